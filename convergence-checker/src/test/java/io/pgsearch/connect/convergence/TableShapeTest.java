package io.pgsearch.connect.convergence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TableShapeTest {
  @Test
  void selectsKeysRawAndColumnsAsJsonWithTheRowFilter() {
    TableShape shape =
        new TableShape(
            "public.t",
            List.of(
                new TableShape.Column("price", ValueKind.NUMBER, TableShape.Category.BASE, "money"),
                new TableShape.Column("b", ValueKind.BASE64, TableShape.Category.BASE, "bytea"),
                new TableShape.Column("r", ValueKind.NUMBER, TableShape.Category.RANGE, "int4")),
            List.of("a", "we\"ird"));
    String select = shape.select("in_stock = true");
    assertThat(select)
        .startsWith(
            "SELECT \"a\", \"we\"\"ird\", CASE WHEN \"price\" IS NULL THEN NULL ELSE to_jsonb(\"price\"::numeric) END::text")
        .contains("translate(encode(\"b\", 'base64'), E'\\n', '')")
        .contains("isempty(\"r\")")
        .endsWith(" FROM public.t WHERE in_stock = true");
  }

  @Test
  void kindsFollowTheTypes() {
    assertThat(ValueKind.ofType("int8")).isEqualTo(ValueKind.NUMBER);
    assertThat(ValueKind.ofType("timestamptz")).isEqualTo(ValueKind.INSTANT);
    assertThat(ValueKind.ofType("jsonb")).isEqualTo(ValueKind.JSON);
    assertThat(ValueKind.ofType("uuid")).isEqualTo(ValueKind.TEXT);
  }
}

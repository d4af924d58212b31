package io.pgsearch.connect.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class KeyColumnsTest {
  @Test
  void parsesDebeziumsFormatAndMatchesTablesAsRegularExpressions() {
    KeyColumns keys = KeyColumns.parse("public.stock:sku, warehouse;inv\\..*:code");
    assertThat(keys.forTable(new TableName("public", "stock")))
        .contains(List.of("sku", "warehouse"));
    assertThat(keys.forTable(new TableName("inv", "parts"))).contains(List.of("code"));
    assertThat(keys.forTable(new TableName("public", "stocks"))).isEmpty();
  }

  @Test
  void rejectsEntriesWithoutColumnsWithAMessageSayingTheForm() {
    assertThatThrownBy(() -> KeyColumns.parse("public.stock"))
        .hasMessageContaining("schema.table:column1,column2");
    assertThatThrownBy(() -> KeyColumns.parse("public.stock:a,,b"))
        .hasMessageContaining("empty column name");
  }
}

package io.pgsearch.connect.sink.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

class DocumentIdsTest {
  static final Schema PAIR =
      SchemaBuilder.struct()
          .field("a", Schema.OPTIONAL_STRING_SCHEMA)
          .field("b", Schema.OPTIONAL_STRING_SCHEMA)
          .build();

  @Test
  void primitivesAreTheirValue() {
    assertThat(DocumentIds.fromKey(42)).isEqualTo("42");
    assertThat(DocumentIds.fromKey(42L)).isEqualTo("42");
    assertThat(DocumentIds.fromKey("abc")).isEqualTo("abc");
    assertThat(DocumentIds.fromKey(new BigDecimal("1E+3"))).isEqualTo("1000");
  }

  @Test
  void aSingleFieldKeyIsThatFieldsValue() {
    Schema schema = SchemaBuilder.struct().field("id", Schema.INT64_SCHEMA).build();
    assertThat(DocumentIds.fromKey(new Struct(schema).put("id", 7L))).isEqualTo("7");
    assertThat(DocumentIds.fromKey(Map.of("id", 7))).isEqualTo("7");
    Schema decimal = SchemaBuilder.struct().field("id", Decimal.schema(2)).build();
    assertThat(DocumentIds.fromKey(new Struct(decimal).put("id", new BigDecimal("1.50"))))
        .isEqualTo("1.50");
  }

  @Test
  void compositeKeysJoinEscapedValuesInFieldOrder() {
    assertThat(DocumentIds.fromKey(pair("acme", "7"))).isEqualTo("acme|7");
    assertThat(DocumentIds.fromKey(pair("a|b", "c"))).isEqualTo("a\\|b|c");
    assertThat(DocumentIds.fromKey(pair("a", "b|c"))).isEqualTo("a|b\\|c");
    assertThat(DocumentIds.fromKey(pair("a\\", "b"))).isEqualTo("a\\\\|b");
    assertThat(DocumentIds.fromKey(pair(null, "b"))).isEqualTo("\\0|b");
    assertThat(DocumentIds.fromKey(pair("ünï", "商店"))).isEqualTo("ünï|商店");
  }

  @Test
  void distinctCompositeKeysNeverCollide() {
    String[] parts = {"", "a", "|", "\\", "\\0", "a|", "|a", "\\|", "0", null, "ü"};
    Set<String> ids = new HashSet<>();
    int keys = 0;
    for (String a : parts) {
      for (String b : parts) {
        if (a == null && b == null) {
          continue;
        }
        ids.add(DocumentIds.fromKey(pair(a, b)));
        keys++;
      }
    }
    assertThat(ids).hasSize(keys);
  }

  @Test
  void mapKeysKeepTheirOrder() {
    Map<String, Object> key = new LinkedHashMap<>();
    key.put("tenant", "t");
    key.put("id", 1);
    assertThat(DocumentIds.fromKey(key)).isEqualTo("t|1");
  }

  @Test
  void overlongIdsAreHashed() {
    String id = DocumentIds.fromKey("x".repeat(600));
    assertThat(id).startsWith("sha256:").hasSize(7 + 64);
    assertThat(DocumentIds.fromKey("x".repeat(600))).isEqualTo(id);
    assertThat(DocumentIds.fromKey("x".repeat(512))).hasSize(512);
  }

  @Test
  void missingKeysAreClearErrors() {
    assertThatThrownBy(() -> DocumentIds.fromKey(null))
        .isInstanceOf(DocumentException.class)
        .hasMessageContaining("key.ignore=true");
    Schema schema = SchemaBuilder.struct().field("id", Schema.OPTIONAL_INT32_SCHEMA).build();
    assertThatThrownBy(() -> DocumentIds.fromKey(new Struct(schema)))
        .hasMessageContaining("only field is null");
    assertThatThrownBy(() -> DocumentIds.fromKey("")).hasMessageContaining("empty");
    assertThatThrownBy(() -> DocumentIds.fromKey(Map.of())).hasMessageContaining("no fields");
  }

  @Test
  void coordinatesIdentifyARecord() {
    assertThat(DocumentIds.fromCoordinates("orders", 2, 99)).isEqualTo("orders+2+99");
    assertThat(
            List.of(
                DocumentIds.fromCoordinates("a", 1, 1), DocumentIds.fromCoordinates("a", 11, 1)))
        .doesNotHaveDuplicates();
  }

  private static Struct pair(String a, String b) {
    return new Struct(PAIR).put("a", a).put("b", b);
  }
}

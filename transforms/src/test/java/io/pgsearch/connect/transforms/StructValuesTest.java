package io.pgsearch.connect.transforms;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

class StructValuesTest {
  private static final Schema SCHEMA =
      SchemaBuilder.struct()
          .field("plain", Schema.OPTIONAL_STRING_SCHEMA)
          .field("defaulted", SchemaBuilder.string().optional().defaultValue("d").build())
          .field("number", Schema.INT64_SCHEMA)
          .build();

  @Test
  void readsWhatGetWithoutDefaultReadsForEveryField() {
    Struct set = new Struct(SCHEMA).put("plain", "p").put("defaulted", "x").put("number", 7L);
    Struct nulls = new Struct(SCHEMA).put("number", 8L);
    for (Struct struct : new Struct[] {set, nulls}) {
      for (var field : SCHEMA.fields()) {
        assertThat(StructValues.withoutDefault(struct, field))
            .as(field.name())
            .isEqualTo(struct.getWithoutDefault(field.name()));
      }
    }
  }

  @Test
  void aNullWithADefaultStaysNullUnlikeStructGet() {
    Struct struct = new Struct(SCHEMA).put("number", 1L);
    var defaulted = SCHEMA.field("defaulted");
    assertThat(struct.get(defaulted)).isEqualTo("d");
    assertThat(StructValues.withoutDefault(struct, defaulted)).isNull();
  }

  @Test
  void findsAFieldAtItsIndexOrByName() {
    assertThat(StructValues.field(SCHEMA, 1, "defaulted")).isSameAs(SCHEMA.field("defaulted"));
    assertThat(StructValues.field(SCHEMA, 0, "number")).isSameAs(SCHEMA.field("number"));
    assertThat(StructValues.field(SCHEMA, 7, "plain")).isSameAs(SCHEMA.field("plain"));
    assertThat(StructValues.field(SCHEMA, 2, "missing")).isNull();
  }
}

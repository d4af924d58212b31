package io.pgsearch.connect.converters;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

class CheckedStructsTest {
  private static final Schema INNER =
      SchemaBuilder.struct().field("n", Schema.INT32_SCHEMA).optional().build();
  private static final Schema OUTER =
      SchemaBuilder.struct()
          .field("s", Schema.OPTIONAL_STRING_SCHEMA)
          .field("inner", INNER)
          .build();

  @Test
  void theConnectWeShipAgainstLetsValuesGoIntoTheArrayDirectly() {
    assertThat(CheckedStructs.direct())
        .as("Struct.values reachable: otherwise every read pays Struct.put's validation again")
        .isTrue();
  }

  @Test
  void aStructFilledDirectlyEqualsOneFilledByPutAndValidates() {
    Struct inner = new Struct(INNER);
    CheckedStructs.put(inner, INNER.field("n"), 7);
    Struct outer = new Struct(OUTER);
    CheckedStructs.put(outer, OUTER.field("s"), "text");
    CheckedStructs.put(outer, OUTER.field("inner"), inner);

    Struct expected =
        new Struct(OUTER).put("s", "text").put("inner", new Struct(INNER).put("n", 7));
    assertThat(outer).isEqualTo(expected);
    assertThat(outer.getStruct("inner").getInt32("n")).isEqualTo(7);
    outer.validate();
  }
}

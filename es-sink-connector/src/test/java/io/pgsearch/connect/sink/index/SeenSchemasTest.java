package io.pgsearch.connect.sink.index;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.junit.jupiter.api.Test;

class SeenSchemasTest {
  private static Schema schema(String... fields) {
    SchemaBuilder builder = SchemaBuilder.struct().name("t.Value");
    for (String field : fields) {
      builder.field(field, Schema.OPTIONAL_STRING_SCHEMA);
    }
    return builder.build();
  }

  @Test
  void aSchemaIsSeenByContentOnceAddedWhateverTheInstance() {
    SeenSchemas seen = new SeenSchemas();
    Schema v1 = schema("id");
    assertThat(seen.contains(v1)).isFalse();
    assertThat(seen.contains(v1))
        .as("not added yet: a failed mapping update is tried again")
        .isFalse();
    seen.add(v1);
    assertThat(seen.contains(v1)).isTrue();
    assertThat(seen.contains(schema("id"))).as("an equal instance").isTrue();
    assertThat(seen.contains(schema("id", "added"))).as("a column added").isFalse();
    assertThat(seen.contains(null)).isTrue();
  }

  @Test
  void manyInstancesOfOneSchemaStayOne() {
    SeenSchemas seen = new SeenSchemas();
    seen.add(schema("id"));
    for (int i = 0; i < 5_000; i++) {
      assertThat(seen.contains(schema("id"))).isTrue();
    }
  }
}

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
  void aSchemaIsNewOnceByContentWhateverTheInstance() {
    SeenSchemas seen = new SeenSchemas();
    Schema v1 = schema("id");
    assertThat(seen.isNew(v1)).isTrue();
    assertThat(seen.isNew(v1)).isFalse();
    assertThat(seen.isNew(schema("id"))).as("an equal instance").isFalse();
    assertThat(seen.isNew(schema("id", "added"))).as("a column added").isTrue();
    assertThat(seen.isNew(null)).isFalse();
  }

  @Test
  void manyInstancesOfOneSchemaStayOne() {
    SeenSchemas seen = new SeenSchemas();
    assertThat(seen.isNew(schema("id"))).isTrue();
    for (int i = 0; i < 5_000; i++) {
      assertThat(seen.isNew(schema("id"))).isFalse();
    }
  }
}

package io.pgsearch.connect.transforms;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.io.SerializedString;
import java.util.Arrays;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.junit.jupiter.api.Test;

class FieldNamesTest {
  private final FieldNames names = new FieldNames();

  @Test
  void namesComeInFieldOrderAndAreKeptPerSchemaObject() {
    Schema schema =
        SchemaBuilder.struct()
            .field("id", Schema.INT64_SCHEMA)
            .field("näme \"q\"", Schema.STRING_SCHEMA)
            .build();
    SerializedString[] found = names.of(schema);
    assertThat(Arrays.stream(found).map(SerializedString::getValue))
        .containsExactly("id", "näme \"q\"");
    assertThat(found[1].asQuotedUTF8())
        .isEqualTo(new SerializedString("näme \"q\"").asQuotedUTF8());
    assertThat(names.of(schema)).isSameAs(found);
  }

  @Test
  void aBuilderWhichCanStillChangeIsNotKept() {
    SchemaBuilder builder = SchemaBuilder.struct().field("a", Schema.INT32_SCHEMA);
    SerializedString[] before = names.of(builder);
    builder.field("b", Schema.INT32_SCHEMA);
    assertThat(names.of(builder)).isNotSameAs(before).hasSize(2);
  }

  @Test
  void whenFullItStartsOverAndStillAnswers() {
    Schema first = SchemaBuilder.struct().field("a", Schema.INT32_SCHEMA).build();
    SerializedString[] kept = names.of(first);
    for (int i = 0; i < FieldNames.CAPACITY; i++) {
      names.of(SchemaBuilder.struct().field("f" + i, Schema.INT32_SCHEMA).build());
    }
    assertThat(names.of(first)).isNotSameAs(kept);
    assertThat(names.of(first)[0].getValue()).isEqualTo("a");
  }
}

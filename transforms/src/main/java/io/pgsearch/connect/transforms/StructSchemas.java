package io.pgsearch.connect.transforms;

import java.util.Collection;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;

/** Copies of a document's struct schema with fields left out, for the transforms that edit one. */
final class StructSchemas {
  private StructSchemas() {}

  /**
   * A builder holding the schema's name, version, doc, parameters, optionality and every field but
   * {@code without}; more fields can be added before it is built.
   */
  static SchemaBuilder copyWithout(Schema schema, Collection<String> without) {
    SchemaBuilder builder =
        SchemaBuilder.struct().name(schema.name()).version(schema.version()).doc(schema.doc());
    if (schema.parameters() != null) {
      builder.parameters(schema.parameters());
    }
    if (schema.isOptional()) {
      builder.optional();
    }
    for (Field field : schema.fields()) {
      if (!without.contains(field.name())) {
        builder.field(field.name(), field.schema());
      }
    }
    return builder;
  }
}

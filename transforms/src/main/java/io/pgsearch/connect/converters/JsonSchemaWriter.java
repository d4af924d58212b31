package io.pgsearch.connect.converters;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.DataException;

/**
 * A Connect {@link Schema} in Kafka's JSON format, member for member in {@code JsonConverter}'s
 * order: {@code type}, then {@code items} / {@code keys}, {@code values} / {@code fields}, then
 * {@code optional}, {@code name}, {@code version}, {@code doc}, {@code parameters}, {@code
 * default}; a struct field's schema ends with its {@code field} name. Runs once per schema: the
 * converter caches what it writes.
 */
final class JsonSchemaWriter {
  private final PayloadWriter defaults;

  JsonSchemaWriter(PayloadWriter defaults) {
    this.defaults = defaults;
  }

  void write(JsonGenerator g, Schema schema) throws IOException {
    if (schema == null) {
      g.writeNull();
      return;
    }
    g.writeStartObject();
    members(g, schema);
    g.writeEndObject();
  }

  private void members(JsonGenerator g, Schema schema) throws IOException {
    g.writeStringField("type", typeName(schema.type()));
    switch (schema.type()) {
      case ARRAY -> {
        g.writeFieldName("items");
        write(g, schema.valueSchema());
      }
      case MAP -> {
        g.writeFieldName("keys");
        write(g, schema.keySchema());
        g.writeFieldName("values");
        write(g, schema.valueSchema());
      }
      case STRUCT -> fields(g, schema);
      default -> {}
    }
    g.writeBooleanField("optional", schema.isOptional());
    if (schema.name() != null) {
      g.writeStringField("name", schema.name());
    }
    if (schema.version() != null) {
      g.writeNumberField("version", schema.version());
    }
    if (schema.doc() != null) {
      g.writeStringField("doc", schema.doc());
    }
    if (schema.parameters() != null) {
      g.writeObjectFieldStart("parameters");
      for (Map.Entry<String, String> parameter : schema.parameters().entrySet()) {
        g.writeStringField(parameter.getKey(), parameter.getValue());
      }
      g.writeEndObject();
    }
    if (schema.defaultValue() != null) {
      g.writeFieldName("default");
      defaults.write(g, schema, schema.defaultValue());
    }
  }

  private void fields(JsonGenerator g, Schema schema) throws IOException {
    g.writeArrayFieldStart("fields");
    for (Field field : schema.fields()) {
      g.writeStartObject();
      members(g, field.schema());
      g.writeStringField("field", field.name());
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  private static String typeName(Schema.Type type) {
    switch (type) {
      case BOOLEAN:
        return "boolean";
      case INT8:
        return "int8";
      case INT16:
        return "int16";
      case INT32:
        return "int32";
      case INT64:
        return "int64";
      case FLOAT32:
        return "float";
      case FLOAT64:
        return "double";
      case BYTES:
        return "bytes";
      case STRING:
        return "string";
      case ARRAY:
        return "array";
      case MAP:
        return "map";
      case STRUCT:
        return "struct";
      default:
        throw new DataException("Couldn't translate unsupported schema type " + type + ".");
    }
  }
}

package io.pgsearch.connect.converters;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.errors.DataException;

/**
 * A schema of Kafka's JSON format ({@code {"type": "struct", "fields": [...], "optional": false,
 * "name": ...}}) as a Connect {@link Schema}, with the rules of {@code JsonConverter}: a member of
 * the wrong JSON type is ignored, except {@code type}, field names and parameters, which must be
 * strings. Runs only for a schema not yet in the cache, so it works on a tree.
 */
final class JsonSchemaReader {
  private final PayloadReader defaults;

  JsonSchemaReader(PayloadReader defaults) {
    this.defaults = defaults;
  }

  /** Null for a JSON null (a payload without a schema). */
  Schema read(JsonNode json) {
    if (json.isNull()) {
      return null;
    }
    JsonNode type = json.get("type");
    if (type == null || !type.isTextual()) {
      throw new DataException("Schema must contain 'type' field");
    }
    SchemaBuilder builder = builder(type.textValue(), json);
    JsonNode optional = json.get("optional");
    if (optional != null && optional.isBoolean() && optional.booleanValue()) {
      builder.optional();
    } else {
      builder.required();
    }
    describe(builder, json);
    JsonNode defaultValue = json.get("default");
    if (defaultValue != null) {
      builder.defaultValue(defaultValue(builder, defaultValue));
    }
    return builder.build();
  }

  private SchemaBuilder builder(String type, JsonNode json) {
    switch (type) {
      case "boolean":
        return SchemaBuilder.bool();
      case "int8":
        return SchemaBuilder.int8();
      case "int16":
        return SchemaBuilder.int16();
      case "int32":
        return SchemaBuilder.int32();
      case "int64":
        return SchemaBuilder.int64();
      case "float":
        return SchemaBuilder.float32();
      case "double":
        return SchemaBuilder.float64();
      case "bytes":
        return SchemaBuilder.bytes();
      case "string":
        return SchemaBuilder.string();
      case "array":
        return array(json);
      case "map":
        return map(json);
      case "struct":
        return struct(json);
      default:
        throw new DataException("Unknown schema type: " + type);
    }
  }

  private SchemaBuilder array(JsonNode json) {
    JsonNode items = json.get("items");
    if (items == null || items.isNull()) {
      throw new DataException("Array schema did not specify the element type");
    }
    return SchemaBuilder.array(read(items));
  }

  private SchemaBuilder map(JsonNode json) {
    JsonNode keys = json.get("keys");
    if (keys == null) {
      throw new DataException("Map schema did not specify the key type");
    }
    JsonNode values = json.get("values");
    if (values == null) {
      throw new DataException("Map schema did not specify the value type");
    }
    return SchemaBuilder.map(read(keys), read(values));
  }

  private SchemaBuilder struct(JsonNode json) {
    JsonNode fields = json.get("fields");
    if (fields == null || !fields.isArray()) {
      throw new DataException("Struct schema's \"fields\" argument is not an array.");
    }
    SchemaBuilder builder = SchemaBuilder.struct();
    for (JsonNode field : fields) {
      JsonNode name = field.get("field");
      if (name == null || !name.isTextual()) {
        throw new DataException("Struct schema's field name not specified properly");
      }
      builder.field(name.asText(), read(field));
    }
    return builder;
  }

  private static void describe(SchemaBuilder builder, JsonNode json) {
    JsonNode name = json.get("name");
    if (name != null && name.isTextual()) {
      builder.name(name.textValue());
    }
    JsonNode version = json.get("version");
    if (version != null && version.isIntegralNumber()) {
      builder.version(version.intValue());
    }
    JsonNode doc = json.get("doc");
    if (doc != null && doc.isTextual()) {
      builder.doc(doc.textValue());
    }
    JsonNode parameters = json.get("parameters");
    if (parameters != null && parameters.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> it = parameters.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> parameter = it.next();
        if (!parameter.getValue().isTextual()) {
          throw new DataException("Schema parameters must have string values.");
        }
        builder.parameter(parameter.getKey(), parameter.getValue().textValue());
      }
    }
  }

  private Object defaultValue(SchemaBuilder builder, JsonNode json) {
    try (JsonParser p = json.traverse()) {
      p.nextToken();
      return defaults.read(p, builder);
    } catch (PayloadMismatch e) {
      throw new DataException(
          "The default value of a schema does not fit it: expected " + e.expected(), null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

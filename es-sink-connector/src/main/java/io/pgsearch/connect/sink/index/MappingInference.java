package io.pgsearch.connect.sink.index;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgsearch.connect.transforms.PgsearchSchemas;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;

/**
 * Elasticsearch mappings inferred from a Connect schema: strings are text with a keyword subfield,
 * numbers keep their width, decimals are doubles with an exact keyword subfield (this distribution
 * may lack scaled_float, and _source keeps every digit anyway), dates are dates, structs are
 * objects, a struct of exactly {@code lat} and {@code lon} is a geo_point, and a schema parameter
 * {@code pgsearch.es.type} (set by the transforms, e.g. on ranges) names the type outright.
 */
public final class MappingInference {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Marks a named type whose mapping is left to Elasticsearch. */
  private static final ObjectNode DYNAMIC = NODES.objectNode();

  private MappingInference() {}

  /** {@code {"properties": ...}} for a struct schema; {@code null} when nothing can be inferred. */
  public static ObjectNode mappings(Schema schema) {
    if (schema == null || schema.type() != Schema.Type.STRUCT) {
      return null;
    }
    ObjectNode mappings = NODES.objectNode();
    mappings.set("properties", properties(schema));
    return mappings;
  }

  private static ObjectNode properties(Schema struct) {
    ObjectNode properties = NODES.objectNode();
    for (Field field : struct.fields()) {
      ObjectNode mapping = mapping(field.schema());
      if (mapping != null) {
        properties.set(field.name(), mapping);
      }
    }
    return properties;
  }

  /** The mapping of one field, or null to leave it to dynamic mapping. */
  static ObjectNode mapping(Schema schema) {
    String esType =
        schema.parameters() == null ? null : schema.parameters().get(PgsearchSchemas.ES_TYPE);
    if (esType != null) {
      ObjectNode typed = type(esType);
      // The transforms write range bounds as dates or timestamps, with or without a time.
      return esType.equals("date_range")
          ? typed.put("format", "strict_date_optional_time||strict_date")
          : typed;
    }
    if (schema.name() != null) {
      ObjectNode named = named(schema.name());
      if (named == DYNAMIC) {
        return null;
      }
      if (named != null) {
        return named;
      }
    }
    return switch (schema.type()) {
      case STRING -> text();
      case INT8 -> type("byte");
      case INT16 -> type("short");
      case INT32 -> type("integer");
      case INT64 -> type("long");
      case FLOAT32 -> type("float");
      case FLOAT64 -> type("double");
      case BOOLEAN -> type("boolean");
      case BYTES -> type("binary");
      case ARRAY -> mapping(schema.valueSchema());
      case MAP -> type("object");
      case STRUCT -> isGeoPoint(schema) ? type("geo_point") : object(schema);
    };
  }

  private static ObjectNode named(String name) {
    return switch (name) {
      case org.apache.kafka.connect.data.Decimal.LOGICAL_NAME,
          "io.debezium.data.VariableScaleDecimal" ->
          decimal();
      case org.apache.kafka.connect.data.Date.LOGICAL_NAME, "io.debezium.time.Date" ->
          type("date").put("format", "strict_date");
      case org.apache.kafka.connect.data.Time.LOGICAL_NAME,
          "io.debezium.time.Time",
          "io.debezium.time.MicroTime",
          "io.debezium.time.NanoTime",
          "io.debezium.time.ZonedTime",
          // rendered as ISO-8601 durations (PT1H30M) by the conversion
          "io.debezium.time.MicroDuration",
          "io.debezium.time.NanoDuration" ->
          type("keyword");
      case org.apache.kafka.connect.data.Timestamp.LOGICAL_NAME,
          "io.debezium.time.Timestamp",
          "io.debezium.time.MicroTimestamp",
          "io.debezium.time.NanoTimestamp",
          "io.debezium.time.ZonedTimestamp" ->
          type("date");
      // JSON text may hold an object, an array or a number: dynamic mapping decides.
      case "io.debezium.data.Json", PgsearchSchemas.JSON -> DYNAMIC;
      case PgsearchSchemas.GEO_POINT -> type("geo_point");
      case "io.debezium.data.Uuid", "io.debezium.data.Enum" -> type("keyword");
      default -> null;
    };
  }

  private static boolean isGeoPoint(Schema struct) {
    return struct.fields().size() == 2
        && struct.field("lat") != null
        && struct.field("lon") != null
        && isNumber(struct.field("lat").schema())
        && isNumber(struct.field("lon").schema());
  }

  private static boolean isNumber(Schema schema) {
    return schema.type() == Schema.Type.FLOAT64 || schema.type() == Schema.Type.FLOAT32;
  }

  private static ObjectNode object(Schema struct) {
    ObjectNode object = type("object");
    object.set("properties", properties(struct));
    return object;
  }

  private static ObjectNode text() {
    ObjectNode text = type("text");
    ObjectNode keyword = type("keyword").put("ignore_above", 256);
    text.set("fields", NODES.objectNode().set("keyword", keyword));
    return text;
  }

  private static ObjectNode decimal() {
    ObjectNode decimal = type("double");
    decimal.set("fields", NODES.objectNode().set("exact", type("keyword")));
    return decimal;
  }

  private static ObjectNode type(String type) {
    return NODES.objectNode().put("type", type);
  }
}

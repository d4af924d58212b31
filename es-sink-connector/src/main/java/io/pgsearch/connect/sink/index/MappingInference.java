package io.pgsearch.connect.sink.index;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgsearch.connect.sink.document.DocumentJson;
import io.pgsearch.connect.transforms.PgsearchSchemas;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;

/**
 * Elasticsearch mappings inferred from a Connect schema as the sink renders it, that is after the
 * transforms' {@code NativeValues} (the one table of PostgreSQL conversions, which names each
 * converted type's field type in the schema parameter {@code pgsearch.es.type}): that parameter
 * names the type outright; otherwise strings are text with a keyword subfield, numbers keep their
 * width, decimals are doubles with an exact keyword subfield (this distribution may lack
 * scaled_float, and _source keeps every digit anyway), structs are objects, a struct of exactly
 * {@code lat} and {@code lon} is a geo_point, and JSON text is left to dynamic mapping, which maps
 * its numbers as doubles.
 */
public final class MappingInference {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private MappingInference() {}

  /**
   * {@code {"properties": ...}} for a struct schema as the sink renders it ({@link
   * DocumentJson#documentSchema}); {@code null} when nothing can be inferred.
   */
  public static ObjectNode mappings(Schema schema) {
    if (schema == null || schema.type() != Schema.Type.STRUCT) {
      return null;
    }
    ObjectNode mappings = NODES.objectNode();
    mappings.set("properties", properties(schema));
    return mappings;
  }

  /**
   * {@link #mappings} with the dynamic templates of an index the sink creates. Only at creation: an
   * index created by a user keeps the dynamic templates it has.
   */
  public static ObjectNode forNewIndex(Schema schema) {
    ObjectNode properties = mappings(schema);
    if (properties == null) {
      return null;
    }
    ObjectNode mappings = NODES.objectNode();
    mappings.set("dynamic_templates", jsonNumbersAsDoubles());
    mappings.setAll(properties);
    return mappings;
  }

  /**
   * Numbers inside JSON values (json, jsonb, hstore) are mapped dynamically. Elasticsearch maps an
   * integer as a long and a fraction as a float, so {@code [1, 2.5]} conflicts within one document
   * and a later {@code 2.5} is cut to 2 in a long field: every dynamic number is a double, as
   * PostgreSQL's JSON numbers are exact numerics (the exact digits stay in {@code _source}).
   */
  private static ArrayNode jsonNumbersAsDoubles() {
    ArrayNode templates = NODES.arrayNode();
    for (String matched : new String[] {"long", "double"}) {
      ObjectNode template = templates.addObject().putObject("json_" + matched + "_as_double");
      template.put("match_mapping_type", matched);
      template.set("mapping", type("double"));
    }
    return templates;
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
      return esType.equals("nested") && schema.type() == Schema.Type.ARRAY
          ? nested(schema.valueSchema())
          : typed(esType);
    }
    if (Decimal.LOGICAL_NAME.equals(schema.name())) {
      return decimal();
    }
    if (PgsearchSchemas.JSON.equals(schema.name())) {
      // JSON text may hold an object, an array or a number: dynamic mapping decides.
      return null;
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

  private static ObjectNode typed(String esType) {
    return switch (esType) {
      // Only exact numbers carry it: doubles to search, every digit in the keyword.
      case "double" -> decimal();
      // The transforms write range bounds as dates or timestamps, with or without a time.
      case "date_range" -> type(esType).put("format", "strict_date_optional_time||strict_date");
      default -> type(esType);
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

  /**
   * An array of objects each searched on its own ({@code items.product:red AND items.quantity:2}
   * within one item), as a document definition asks with {@code "nested": true}.
   */
  private static ObjectNode nested(Schema elements) {
    ObjectNode nested = type("nested");
    if (elements.type() == Schema.Type.STRUCT) {
      nested.set("properties", properties(elements));
    }
    return nested;
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

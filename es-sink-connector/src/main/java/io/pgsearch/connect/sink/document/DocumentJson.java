package io.pgsearch.connect.sink.document;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * Converts a Connect value (with or without a schema) into the JSON of an Elasticsearch document,
 * keeping values exact: {@code Decimal} becomes a plain JSON number with every digit, {@code Date},
 * {@code Time} and {@code Timestamp} become ISO-8601 strings, bytes become base64. Debezium's own
 * semantic types are recognised too, so raw Debezium records index sensibly.
 */
public final class DocumentValues {
  /** Serialises documents: decimals are written plainly ({@code 1000}, not {@code 1E+3}). */
  public static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
          // Parsed JSON (jsonb columns) keeps its numbers exact too.
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
          .build();

  /** Schema name of a JSON document carried as a string (Debezium's json and jsonb columns). */
  public static final String JSON_SCHEMA_NAME = "io.debezium.data.Json";

  /**
   * Schema name of JSON text the transforms produce (json, jsonb, numerics of any scale, GeoJSON):
   * embedded as the parsed value, numbers exact.
   */
  public static final String PGSEARCH_JSON_SCHEMA_NAME = "io.pgsearch.Json";

  private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

  private DocumentValues() {}

  /** The document body for a record value; the value must be a Struct or a Map. */
  public static ObjectNode toDocument(Schema schema, Object value) {
    JsonNode node = toJson(schema, value);
    if (!(node instanceof ObjectNode object)) {
      throw new DocumentException(
          "the record value must be a Struct or a Map to become a document, but it is "
              + describe(schema, value));
    }
    return object;
  }

  /** Serialises a document to the bytes sent to Elasticsearch. */
  public static byte[] toBytes(JsonNode document) {
    try {
      return JSON.writeValueAsBytes(document);
    } catch (JsonProcessingException e) {
      throw new DocumentException("the document cannot be serialised: " + e.getOriginalMessage());
    }
  }

  /** Converts any Connect value; a null schema means a schemaless value. */
  public static JsonNode toJson(Schema schema, Object value) {
    if (value == null) {
      return NODES.nullNode();
    }
    if (schema != null && schema.name() != null) {
      JsonNode logical = LogicalValues.toJson(schema, value);
      if (logical != null) {
        return logical;
      }
    }
    if (value instanceof Struct struct) {
      ObjectNode object = NODES.objectNode();
      for (Field field : struct.schema().fields()) {
        object.set(field.name(), toJson(field.schema(), struct.getWithoutDefault(field.name())));
      }
      return object;
    }
    if (value instanceof Map<?, ?> map) {
      ObjectNode object = NODES.objectNode();
      Schema valueSchema = schema == null ? null : schema.valueSchema();
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        if (entry.getKey() == null) {
          throw new DocumentException("a map has a null key; field names must not be null");
        }
        object.set(String.valueOf(entry.getKey()), toJson(valueSchema, entry.getValue()));
      }
      return object;
    }
    if (value instanceof Collection<?> list) {
      ArrayNode array = NODES.arrayNode();
      Schema elementSchema = schema == null ? null : schema.valueSchema();
      for (Object element : list) {
        array.add(toJson(elementSchema, element));
      }
      return array;
    }
    return primitive(value);
  }

  private static JsonNode primitive(Object value) {
    if (value instanceof String text) {
      return NODES.textNode(text);
    }
    if (value instanceof Boolean bool) {
      return NODES.booleanNode(bool);
    }
    if (value instanceof Byte || value instanceof Short || value instanceof Integer) {
      return NODES.numberNode(((Number) value).intValue());
    }
    if (value instanceof Long number) {
      return NODES.numberNode(number);
    }
    if (value instanceof Float number) {
      return finite(number.doubleValue(), NODES.numberNode(number));
    }
    if (value instanceof Double number) {
      return finite(number, NODES.numberNode(number));
    }
    if (value instanceof BigDecimal decimal) {
      return NODES.numberNode(decimal);
    }
    if (value instanceof BigInteger integer) {
      return NODES.numberNode(integer);
    }
    if (value instanceof byte[] bytes) {
      return NODES.textNode(Base64.getEncoder().encodeToString(bytes));
    }
    if (value instanceof ByteBuffer buffer) {
      byte[] bytes = new byte[buffer.remaining()];
      buffer.duplicate().get(bytes);
      return NODES.textNode(Base64.getEncoder().encodeToString(bytes));
    }
    if (value instanceof Date date) {
      // A java.util.Date without a logical schema (schemaless): an instant.
      return NODES.textNode(DateTimeFormatter.ISO_INSTANT.format(date.toInstant()));
    }
    throw new DocumentException(
        "values of type " + value.getClass().getName() + " cannot be indexed");
  }

  private static JsonNode finite(double number, JsonNode node) {
    if (Double.isNaN(number) || Double.isInfinite(number)) {
      throw new DocumentException(
          "the value "
              + number
              + " cannot be indexed: JSON and Elasticsearch have no NaN or Infinity");
    }
    return node;
  }

  static JsonNode isoDate(int epochDay) {
    return NODES.textNode(LocalDate.ofEpochDay(epochDay).toString());
  }

  static JsonNode isoDate(Date date) {
    return NODES.textNode(LocalDate.ofInstant(date.toInstant(), ZoneOffset.UTC).toString());
  }

  static JsonNode isoTimeOfDayNanos(long nanos) {
    return NODES.textNode(LocalTime.ofNanoOfDay(nanos).format(DateTimeFormatter.ISO_LOCAL_TIME));
  }

  static JsonNode isoTime(Date time) {
    return NODES.textNode(
        LocalTime.ofNanoOfDay(
                TimeUnit.MILLISECONDS.toNanos(Math.floorMod(time.getTime(), 86_400_000L)))
            .format(TIME));
  }

  static JsonNode isoInstant(Instant instant) {
    return NODES.textNode(DateTimeFormatter.ISO_INSTANT.format(instant));
  }

  static JsonNode text(String text) {
    return NODES.textNode(text);
  }

  static JsonNode number(BigDecimal decimal) {
    return NODES.numberNode(decimal);
  }

  static ObjectNode object() {
    return NODES.objectNode();
  }

  static String describe(Schema schema, Object value) {
    if (schema != null) {
      return "of schema type "
          + schema.type()
          + (schema.name() == null ? "" : " (" + schema.name() + ")");
    }
    return value == null ? "null" : "a " + value.getClass().getSimpleName();
  }
}

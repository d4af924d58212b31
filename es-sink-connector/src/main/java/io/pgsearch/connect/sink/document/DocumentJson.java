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
import io.pgsearch.connect.transforms.DecimalStyle;
import io.pgsearch.connect.transforms.NativeValues;
import io.pgsearch.connect.transforms.PgsearchSchemas;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.DateTimeException;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;

/**
 * Renders a Connect value (with or without a schema) as the JSON of an Elasticsearch document. A
 * value with a schema first goes through the transforms' {@link NativeValues}, the one conversion
 * of PostgreSQL values (dates, times, timestamps, intervals, decimals, json, geometry, ranges), so
 * a raw Debezium record indexes exactly as one that went through {@code ElasticsearchValues}. Then
 * numbers stay exact ({@code Decimal} becomes a plain JSON number with every digit), JSON text
 * ({@code io.pgsearch.Json}) is embedded as JSON, bytes become base64.
 */
public final class DocumentJson {
  /** Serialises documents: decimals are written plainly ({@code 1000}, not {@code 1E+3}). */
  public static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
          // Parsed JSON (jsonb columns) keeps its numbers exact too.
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
          .build();

  private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

  /** Exact numbers: the sink writes every decimal as a JSON number. */
  private static final NativeValues NATIVE = new NativeValues(DecimalStyle.NUMBER);

  private DocumentJson() {}

  /** The document body for a record value; the value must be a Struct or a Map. */
  public static ObjectNode toDocument(Schema schema, Object value) {
    Schema converted = documentSchema(schema);
    JsonNode node =
        toJson(converted, schema == null ? value : nativeValue(schema, converted, value));
    if (!(node instanceof ObjectNode object)) {
      throw new DocumentException(
          "the record value must be a Struct or a Map to become a document, but it is "
              + describe(schema, value));
    }
    return object;
  }

  /**
   * The schema of the document a value of {@code schema} becomes: converted by the one table of
   * conversions, each converted type naming its Elasticsearch field type. Throws {@link
   * DocumentException} when the schema cannot be converted; null for a schemaless value.
   */
  public static Schema documentSchema(Schema schema) {
    if (schema == null) {
      return null;
    }
    try {
      return NATIVE.schema(schema);
    } catch (DataException | ClassCastException e) {
      throw new DocumentException("its value schema cannot be converted: " + e.getMessage());
    }
  }

  /**
   * A value PostgreSQL can hold but its conversion refuses (a malformed range, an invalid WKB) is a
   * malformed record, never a task failure. The messages name fields and types, not values.
   */
  private static Object nativeValue(Schema schema, Schema converted, Object value) {
    try {
      return NATIVE.value(schema, converted, value);
    } catch (DataException | ClassCastException | DateTimeException | ArithmeticException e) {
      throw new DocumentException("a value cannot be converted: " + e.getMessage());
    }
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
    if (schema != null && PgsearchSchemas.JSON.equals(schema.name())) {
      return parseJson(value);
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
              + " cannot be indexed: JSON and the search servers have no NaN or Infinity");
    }
    return node;
  }

  private static JsonNode parseJson(Object value) {
    try {
      return JSON.readTree(value.toString());
    } catch (JsonProcessingException e) {
      throw new DocumentException("a " + PgsearchSchemas.JSON + " value is not valid JSON");
    }
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

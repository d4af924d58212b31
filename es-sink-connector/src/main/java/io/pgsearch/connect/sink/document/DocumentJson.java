package io.pgsearch.connect.sink.document;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.pgsearch.connect.transforms.DecimalStyle;
import io.pgsearch.connect.transforms.NativeValues;
import io.pgsearch.connect.transforms.PgsearchSchemas;
import io.pgsearch.connect.transforms.StructValues;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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

  /** Exact numbers: the sink writes every decimal as a JSON number. */
  private static final NativeValues NATIVE = new NativeValues(DecimalStyle.NUMBER);

  private DocumentJson() {}

  /**
   * The bytes of the document a record value becomes; the value must be a Struct or a Map. Written
   * as a stream, without a tree of the document in between.
   */
  public static byte[] toBytes(Schema schema, Object value) {
    Schema converted = documentSchema(schema);
    Object document = schema == null ? value : nativeValue(schema, converted, value);
    if (document != null && converted != null && PgsearchSchemas.JSON.equals(converted.name())) {
      JsonNode parsed = parseJson(document); // JSON text whose top level may be an object
      if (parsed.isObject()) {
        return toBytes(parsed);
      }
    } else if (document instanceof Struct || document instanceof Map) {
      return write(converted, document);
    }
    throw new DocumentException(
        "the record value must be a Struct or a Map to become a document, but it is "
            + describe(schema, value));
  }

  /** Any Connect value as JSON text (a null schema means a schemaless value). */
  public static String toJsonText(Schema schema, Object value) {
    return new String(write(schema, value), StandardCharsets.UTF_8);
  }

  /**
   * The document schema of a value of {@code schema}: converted by the one table of conversions,
   * each converted type naming its Elasticsearch field type. Throws {@link DocumentException} when
   * the schema cannot be converted; null for a schemaless value.
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

  /** Serialises a JSON tree to the bytes sent to the search server. */
  public static byte[] toBytes(JsonNode document) {
    try {
      return JSON.writeValueAsBytes(document);
    } catch (JsonProcessingException e) {
      throw new DocumentException("the document cannot be serialised: " + e.getOriginalMessage());
    }
  }

  private static byte[] write(Schema schema, Object value) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
    try (JsonGenerator generator = JSON.createGenerator(bytes, JsonEncoding.UTF8)) {
      write(generator, schema, value);
    } catch (IOException e) {
      throw new DocumentException("the document cannot be serialised: " + e.getMessage());
    }
    return bytes.toByteArray();
  }

  /** Writes any Connect value; a null schema means a schemaless value. */
  private static void write(JsonGenerator out, Schema schema, Object value) throws IOException {
    if (value == null) {
      out.writeNull();
    } else if (schema != null && PgsearchSchemas.JSON.equals(schema.name())) {
      copyJson(out, value);
    } else if (value instanceof Struct struct) {
      out.writeStartObject();
      for (Field field : struct.schema().fields()) {
        out.writeFieldName(field.name());
        write(out, field.schema(), StructValues.withoutDefault(struct, field));
      }
      out.writeEndObject();
    } else if (value instanceof Map<?, ?> map) {
      Schema valueSchema = schema == null ? null : schema.valueSchema();
      out.writeStartObject();
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        if (entry.getKey() == null) {
          throw new DocumentException("a map has a null key; field names must not be null");
        }
        out.writeFieldName(String.valueOf(entry.getKey()));
        write(out, valueSchema, entry.getValue());
      }
      out.writeEndObject();
    } else if (value instanceof Collection<?> list) {
      Schema elementSchema = schema == null ? null : schema.valueSchema();
      out.writeStartArray();
      for (Object element : list) {
        write(out, elementSchema, element);
      }
      out.writeEndArray();
    } else {
      primitive(out, value);
    }
  }

  private static void primitive(JsonGenerator out, Object value) throws IOException {
    if (value instanceof String text) {
      out.writeString(text);
    } else if (value instanceof Boolean bool) {
      out.writeBoolean(bool);
    } else if (value instanceof Byte || value instanceof Short || value instanceof Integer) {
      out.writeNumber(((Number) value).intValue());
    } else if (value instanceof Long number) {
      out.writeNumber(number);
    } else if (value instanceof Float number) {
      out.writeNumber(finite(number.doubleValue(), number));
    } else if (value instanceof Double number) {
      out.writeNumber(finite(number, number));
    } else if (value instanceof BigDecimal decimal) {
      out.writeNumber(decimal);
    } else if (value instanceof BigInteger integer) {
      out.writeNumber(integer);
    } else if (value instanceof byte[] bytes) {
      out.writeString(Base64.getEncoder().encodeToString(bytes));
    } else if (value instanceof ByteBuffer buffer) {
      byte[] bytes = new byte[buffer.remaining()];
      buffer.duplicate().get(bytes);
      out.writeString(Base64.getEncoder().encodeToString(bytes));
    } else if (value instanceof Date date) {
      // A java.util.Date without a logical schema (schemaless): an instant.
      out.writeString(DateTimeFormatter.ISO_INSTANT.format(date.toInstant()));
    } else {
      throw new DocumentException(
          "values of type " + value.getClass().getName() + " cannot be indexed");
    }
  }

  private static <N extends Number> N finite(double number, N value) {
    if (Double.isNaN(number) || Double.isInfinite(number)) {
      throw new DocumentException(
          "the value "
              + number
              + " cannot be indexed: JSON and the search servers have no NaN or Infinity");
    }
    return value;
  }

  /**
   * Copies JSON text into the document as a stream, without a tree in between; numbers are copied
   * exactly, as {@link #JSON} reads them (big decimals for floats).
   */
  private static void copyJson(JsonGenerator out, Object value) throws IOException {
    try (JsonParser parser = JSON.createParser(value.toString())) {
      if (parser.nextToken() == null) {
        throw new DocumentException("a " + PgsearchSchemas.JSON + " value is not valid JSON");
      }
      out.copyCurrentStructureExact(parser);
    } catch (JsonProcessingException e) {
      throw new DocumentException("a " + PgsearchSchemas.JSON + " value is not valid JSON");
    }
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

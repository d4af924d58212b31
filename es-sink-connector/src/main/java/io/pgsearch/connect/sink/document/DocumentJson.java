package io.pgsearch.connect.sink.document;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.pgsearch.connect.transforms.DecimalStyle;
import io.pgsearch.connect.transforms.NativeValues;
import io.pgsearch.connect.transforms.PgsearchSchemas;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.DataException;

/**
 * The JSON of Elasticsearch documents: the mapper the sink reads and writes JSON with, and the
 * conversion of a record's schema and value into a document's. A value with a schema goes through
 * the transforms' {@link NativeValues}, the one conversion of PostgreSQL values (dates, times,
 * timestamps, intervals, decimals, json, geometry, ranges), so a raw Debezium record indexes
 * exactly as one that went through {@code ElasticsearchValues}. {@link DocumentRenderer} writes the
 * bytes.
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
   * The bytes of the document a record value becomes; the value must be a Struct or a Map. For one
   * document: a task renders with its own {@link DocumentRenderer}, which keeps its buffers.
   */
  public static byte[] toBytes(Schema schema, Object value) {
    try (DocumentRenderer renderer = new DocumentRenderer()) {
      return renderer.toBytes(schema, value);
    }
  }

  /** Any Connect value as JSON text (a null schema means a schemaless value). */
  public static String toJsonText(Schema schema, Object value) {
    try (DocumentRenderer renderer = new DocumentRenderer()) {
      return new String(renderer.write(schema, value), StandardCharsets.UTF_8);
    }
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
  static Object nativeValue(Schema schema, Schema converted, Object value) {
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

  static JsonNode parseJson(Object value) {
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

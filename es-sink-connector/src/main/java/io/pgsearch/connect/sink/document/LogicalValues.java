package io.pgsearch.connect.sink.document;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * Values whose meaning is given by their schema name: Connect's logical types and Debezium's
 * semantic types, rendered exactly as JSON numbers or ISO-8601 strings.
 */
final class LogicalValues {
  private LogicalValues() {}

  /** The JSON of a named value, or null when the name is not a type this class knows. */
  static JsonNode toJson(Schema schema, Object value) {
    return switch (schema.name()) {
      case org.apache.kafka.connect.data.Decimal.LOGICAL_NAME ->
          DocumentValues.number((BigDecimal) value);
      case org.apache.kafka.connect.data.Date.LOGICAL_NAME -> DocumentValues.isoDate((Date) value);
      case org.apache.kafka.connect.data.Time.LOGICAL_NAME -> DocumentValues.isoTime((Date) value);
      case org.apache.kafka.connect.data.Timestamp.LOGICAL_NAME ->
          DocumentValues.isoInstant(((Date) value).toInstant());
      case "io.debezium.time.Date" -> DocumentValues.isoDate(((Number) value).intValue());
      case "io.debezium.time.Time" ->
          DocumentValues.isoTimeOfDayNanos(
              TimeUnit.MILLISECONDS.toNanos(((Number) value).longValue()));
      case "io.debezium.time.MicroTime" ->
          DocumentValues.isoTimeOfDayNanos(
              TimeUnit.MICROSECONDS.toNanos(((Number) value).longValue()));
      case "io.debezium.time.NanoTime" ->
          DocumentValues.isoTimeOfDayNanos(((Number) value).longValue());
      case "io.debezium.time.Timestamp" ->
          DocumentValues.isoInstant(Instant.ofEpochMilli(((Number) value).longValue()));
      case "io.debezium.time.MicroTimestamp" ->
          DocumentValues.isoInstant(micros(((Number) value).longValue()));
      case "io.debezium.time.NanoTimestamp" ->
          DocumentValues.isoInstant(nanos(((Number) value).longValue()));
      case DocumentValues.JSON_SCHEMA_NAME, DocumentValues.PGSEARCH_JSON_SCHEMA_NAME ->
          parseJson(schema.name(), value);
      case "io.debezium.data.VariableScaleDecimal" -> variableScaleDecimal((Struct) value);
      default -> null;
    };
  }

  private static Instant micros(long micros) {
    return Instant.ofEpochSecond(
        Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
  }

  private static Instant nanos(long nanos) {
    return Instant.ofEpochSecond(
        Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
  }

  private static JsonNode parseJson(String name, Object value) {
    try {
      return DocumentValues.JSON.readTree(value.toString());
    } catch (JsonProcessingException e) {
      throw new DocumentException("a " + name + " value is not valid JSON");
    }
  }

  private static JsonNode variableScaleDecimal(Struct struct) {
    Object bytes = struct.get("value");
    byte[] unscaled = bytes instanceof ByteBuffer buffer ? toArray(buffer) : (byte[]) bytes;
    return DocumentValues.number(
        new BigDecimal(new BigInteger(unscaled), struct.getInt32("scale")));
  }

  private static byte[] toArray(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    return bytes;
  }
}

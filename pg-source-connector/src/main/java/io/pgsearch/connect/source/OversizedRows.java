package io.pgsearch.connect.source;

import io.debezium.data.Envelope;
import io.debezium.data.Json;
import io.pgsearch.connect.transforms.PgsearchHeaders;
import io.pgsearch.connect.transforms.StructValues;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one large row from stopping capture for every table: Kafka refuses a record over the
 * producer's {@code max.request.size} (or the topic's {@code max.message.bytes}), and the source
 * task would fail on it. A change event estimated above {@code row.max.bytes} has its largest
 * values left out, largest first, until it fits: a nullable column becomes null, a NOT NULL one its
 * type's empty value. The record gets the header {@link PgsearchHeaders#OMITTED} with the columns
 * left out, and a warning names the table, the columns and the sizes (never the values).
 */
final class OversizedRows {
  private static final Logger LOG = LoggerFactory.getLogger(OversizedRows.class);

  /** Values smaller than this are never left out: they cannot make a row too large alone. */
  private static final long SMALL = 1024;

  private final long maxBytes;

  OversizedRows(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** Fits every record in place. */
  void fit(Collection<SourceRecord> records) {
    for (SourceRecord record : records) {
      fit(record);
    }
  }

  /** Fits one record in place; returns the columns left out (empty when it fitted). */
  List<String> fit(SourceRecord record) {
    if (!(record.value() instanceof Struct envelope)) {
      return List.of();
    }
    // Cheap first: most rows are far below the limit even counting every character at 6 bytes.
    if (Sizes.upperBound(record.key()) + Sizes.upperBound(envelope) <= maxBytes) {
      return List.of();
    }
    long size = Sizes.of(record.key()) + Sizes.of(envelope);
    if (size <= maxBytes) {
      return List.of();
    }
    List<String> omitted = new ArrayList<>();
    long left = size;
    for (Candidate candidate : candidates(envelope)) {
      if (left <= maxBytes) {
        break;
      }
      candidate.row().put(candidate.field(), emptyValue(candidate.field().schema()));
      left -= candidate.bytes();
      if (!omitted.contains(candidate.field().name())) {
        omitted.add(candidate.field().name());
      }
    }
    record.headers().addString(PgsearchHeaders.OMITTED, String.join(",", omitted));
    LOG.warn(
        "A change of {} is about {} bytes, over {} ({}): the values of {} were left out of it"
            + " (header {}) so that it fits in Kafka; the other columns are indexed",
        TableName.ofChangeEvent(envelope).map(TableName::toString).orElse("a table"),
        size,
        PostgresSourceConfig.ROW_MAX_BYTES,
        maxBytes,
        omitted,
        PgsearchHeaders.OMITTED);
    return omitted;
  }

  private record Candidate(Struct row, Field field, long bytes) {}

  /** The values of the after and before images, largest first. */
  private static List<Candidate> candidates(Struct envelope) {
    List<Candidate> candidates = new ArrayList<>();
    for (String image : List.of(Envelope.FieldName.AFTER, Envelope.FieldName.BEFORE)) {
      Field imageField = envelope.schema().field(image);
      if (imageField == null
          || !(StructValues.withoutDefault(envelope, imageField) instanceof Struct row)) {
        continue;
      }
      for (Field field : row.schema().fields()) {
        long bytes = Sizes.of(StructValues.withoutDefault(row, field));
        if (bytes >= SMALL && emptyValue(field.schema()) != UNFIT) {
          candidates.add(new Candidate(row, field, bytes));
        }
      }
    }
    candidates.sort(Comparator.comparingLong(Candidate::bytes).reversed());
    return candidates;
  }

  /** Marks a type without an empty value: such a column is never left out. */
  private static final Object UNFIT = new Object();

  static Object emptyValue(Schema schema) {
    if (schema.isOptional()) {
      return null;
    }
    if (Json.LOGICAL_NAME.equals(schema.name())) {
      return "null";
    }
    return switch (schema.type()) {
      case STRING -> "";
      case BYTES -> new byte[0];
      case ARRAY -> List.of();
      case MAP -> Map.of();
      default -> UNFIT;
    };
  }

  /** Estimates of the bytes a value takes once converted to JSON, with some slack. */
  static final class Sizes {
    private Sizes() {}

    static long of(Object value) {
      return measure(value, text -> utf8(text) + 2);
    }

    /** At least {@link #of}, without reading the characters of strings: each counts 6 bytes. */
    static long upperBound(Object value) {
      return measure(value, text -> text.length() * 6L + 2);
    }

    /** The size of a value, its strings measured by {@code strings}. */
    private static long measure(Object value, ToLongFunction<String> strings) {
      if (value == null) {
        return 4;
      }
      if (value instanceof String text) {
        return strings.applyAsLong(text);
      }
      if (value instanceof byte[] bytes) {
        return bytes.length * 4L / 3 + 4;
      }
      if (value instanceof ByteBuffer buffer) {
        return buffer.remaining() * 4L / 3 + 4;
      }
      long size = 2;
      if (value instanceof Struct struct) {
        for (Field field : struct.schema().fields()) {
          size +=
              field.name().length()
                  + 4
                  + measure(StructValues.withoutDefault(struct, field), strings);
        }
        return size;
      }
      if (value instanceof Collection<?> list) {
        for (Object element : list) {
          size += measure(element, strings) + 1;
        }
        return size;
      }
      if (value instanceof Map<?, ?> map) {
        for (Map.Entry<?, ?> entry : map.entrySet()) {
          size += measure(entry.getKey(), strings) + measure(entry.getValue(), strings) + 2;
        }
        return size;
      }
      return 24;
    }

    /** UTF-8 length, counting characters JSON escapes (quotes, backslashes, controls) at 6. */
    static long utf8(String text) {
      long bytes = 0;
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c < 0x20 || c == '"' || c == '\\') {
          bytes += 6;
        } else if (c < 0x80) {
          bytes += 1;
        } else if (c < 0x800 || Character.isSurrogate(c)) {
          bytes += 2; // a surrogate pair counts 2 + 2 = 4
        } else {
          bytes += 3;
        }
      }
      return bytes;
    }
  }
}

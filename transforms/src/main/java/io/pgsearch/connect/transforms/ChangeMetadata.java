package io.pgsearch.connect.transforms;

import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.Headers;

/**
 * What the sink needs to know about a change, read from a Debezium envelope's {@code op} and {@code
 * source} block, and written as {@link PgsearchHeaders}.
 */
record ChangeMetadata(String op, Long lsn, String schema, String table, Long commitTs) {

  static ChangeMetadata of(String op, Struct source) {
    if (source == null) {
      return new ChangeMetadata(op, null, null, null, null);
    }
    return new ChangeMetadata(
        op,
        version(op, position(get(source, "lsn"), get(source, "sequence"))),
        string(get(source, "schema")),
        string(get(source, "table")),
        number(get(source, "ts_ms")));
  }

  static ChangeMetadata of(String op, Map<?, ?> source) {
    if (source == null) {
      return new ChangeMetadata(op, null, null, null, null);
    }
    return new ChangeMetadata(
        op,
        version(op, position(source.get("lsn"), source.get("sequence"))),
        string(source.get("schema")),
        string(source.get("table")),
        number(source.get("ts_ms")));
  }

  /** Bits of a version below the generation: the LSN part ({@code 2 * lsn + 1} at most). */
  static final int GENERATION_SHIFT = 56;

  /**
   * This change's metadata in the record's generation ({@link PgsearchHeaders#GENERATION}): the
   * generation goes in the version's high bits.
   */
  ChangeMetadata inGenerationOf(Headers headers) {
    org.apache.kafka.connect.header.Header header =
        headers.lastWithName(PgsearchHeaders.GENERATION);
    long generation = header == null ? 0 : generation(header.value());
    if (generation <= 0 || lsn == null) {
      return this;
    }
    if (generation > Long.MAX_VALUE >> GENERATION_SHIFT || lsn >= 1L << GENERATION_SHIFT) {
      throw new DataException(
          "The LSN "
              + lsn / 2
              + " in generation "
              + generation
              + " is outside the range that "
              + PgsearchHeaders.LSN
              + " can carry");
    }
    return new ChangeMetadata(op, (generation << GENERATION_SHIFT) | lsn, schema, table, commitTs);
  }

  private static long generation(Object value) {
    if (value instanceof Number n) {
      return n.longValue();
    }
    try {
      return value == null ? 0 : Long.parseLong(value.toString().trim());
    } catch (NumberFormatException e) {
      throw new DataException(
          "The header " + PgsearchHeaders.GENERATION + " is not a whole number: " + value);
    }
  }

  /** Replaces any pgsearch headers already present, so applying the transform twice is safe. */
  void writeTo(Headers headers, boolean partial) {
    for (String name :
        new String[] {
          PgsearchHeaders.LSN,
          PgsearchHeaders.OP,
          PgsearchHeaders.SCHEMA,
          PgsearchHeaders.TABLE,
          PgsearchHeaders.COMMIT_TS,
          PgsearchHeaders.PARTIAL
        }) {
      headers.remove(name);
    }
    if (lsn != null) {
      headers.addLong(PgsearchHeaders.LSN, lsn);
    }
    headers.addString(PgsearchHeaders.OP, op);
    if (schema != null) {
      headers.addString(PgsearchHeaders.SCHEMA, schema);
    }
    if (table != null) {
      headers.addString(PgsearchHeaders.TABLE, table);
    }
    if (commitTs != null) {
      headers.add(PgsearchHeaders.COMMIT_TS, commitTs, Schema.INT64_SCHEMA);
    }
    if (partial) {
      headers.addBoolean(PgsearchHeaders.PARTIAL, true);
    }
  }

  /**
   * The value of {@link PgsearchHeaders#LSN}: {@code 2 * lsn} for snapshot reads, {@code 2 * lsn +
   * 1} for streamed changes. Debezium gives snapshot rows the LSN of the replication slot's
   * consistent point, and the first change streamed after the snapshot is written at that very LSN:
   * both carry the same {@code source.lsn} (seen in ChangeEventToDocumentIT). The streamed change
   * is the newer state, so it must get the greater version; the low bit does that and keeps the
   * order of everything else, since distinct LSNs stay distinct and ordered.
   */
  static Long version(String op, Long lsn) {
    if (lsn == null) {
      return null;
    }
    if (lsn < 0 || lsn > (Long.MAX_VALUE - 1) / 2) {
      throw new DataException(
          "The LSN " + lsn + " is outside the range that " + PgsearchHeaders.LSN + " can carry");
    }
    return lsn * 2 + ("r".equals(op) ? 0 : 1);
  }

  /**
   * The LSN of the change. Debezium leaves {@code source.lsn} empty for incremental snapshot rows
   * but still writes {@code source.sequence} = {@code ["<last commit lsn>","<lsn>"]}, whose last
   * non-null element is the streaming position when the row was read.
   */
  private static Long position(Object lsn, Object sequence) {
    Long direct = number(lsn);
    if (direct != null || !(sequence instanceof String text)) {
      return direct;
    }
    String[] parts = text.replaceAll("[\\[\\]\" ]", "").split(",");
    for (int i = parts.length - 1; i >= 0; i--) {
      if (!parts[i].isEmpty() && !"null".equals(parts[i])) {
        try {
          return Long.parseLong(parts[i]);
        } catch (NumberFormatException e) {
          return null;
        }
      }
    }
    return null;
  }

  private static Object get(Struct struct, String field) {
    return struct.schema().field(field) == null ? null : struct.getWithoutDefault(field);
  }

  private static String string(Object value) {
    return value == null ? null : value.toString();
  }

  private static Long number(Object value) {
    return value instanceof Number n ? n.longValue() : null;
  }
}

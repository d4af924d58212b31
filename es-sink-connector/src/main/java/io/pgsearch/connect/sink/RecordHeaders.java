package io.pgsearch.connect.sink;

import io.pgsearch.connect.transforms.PgsearchHeaders;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * The headers the sink routes a record by, read in one pass over the record's headers; the last
 * header of a name wins, as with {@code Headers.lastWithName}. Looked up by name, they were about
 * nine walks of the header list per record, most of them for headers a record does not carry.
 *
 * @param op {@link PgsearchHeaders#OP} as text, or null
 * @param schema {@link PgsearchHeaders#SCHEMA} as text, or null
 * @param table {@link PgsearchHeaders#TABLE} as text, or null
 * @param rebuild {@link PgsearchHeaders#REBUILD} as text, or null
 * @param rebuildPartitions {@link PgsearchHeaders#REBUILD_PARTITIONS} as text, or null
 * @param partial {@link PgsearchHeaders#PARTIAL}'s value, or null
 * @param version the value of the configured version header, or null
 */
record RecordHeaders(
    String op,
    String schema,
    String table,
    String rebuild,
    String rebuildPartitions,
    Object partial,
    Object version) {

  /** {@code versionHeader} null: the sink does not version its writes. */
  static RecordHeaders of(SinkRecord record, String versionHeader) {
    String op = null;
    String schema = null;
    String table = null;
    String rebuild = null;
    String rebuildPartitions = null;
    Object partial = null;
    Object version = null;
    for (Header header : record.headers()) {
      String key = header.key();
      Object value = header.value();
      if (key.equals(versionHeader)) {
        version = value; // any name, even one of those below
      }
      switch (key) {
        case PgsearchHeaders.OP -> op = text(value);
        case PgsearchHeaders.SCHEMA -> schema = text(value);
        case PgsearchHeaders.TABLE -> table = text(value);
        case PgsearchHeaders.REBUILD -> rebuild = text(value);
        case PgsearchHeaders.REBUILD_PARTITIONS -> rebuildPartitions = text(value);
        case PgsearchHeaders.PARTIAL -> partial = value;
        default -> {
          // not one the sink routes by
        }
      }
    }
    return new RecordHeaders(op, schema, table, rebuild, rebuildPartitions, partial, version);
  }

  private static String text(Object value) {
    return value == null ? null : value.toString();
  }
}

package io.pgsearch.connect.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.debezium.data.Envelope;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Turns the rows read by a snapshot of rows leaving a changed row filter ({@link
 * RowFilterChanges#EXIT_MARKER}) into deletes of the same key: the row stays in the table, but its
 * document must leave the index. The snapshot being read is the first of the collections Debezium
 * keeps in each incremental snapshot row's offset, with its additional condition.
 */
final class FilterExitDeletes {
  /** Debezium's offset key holding the queued incremental snapshot collections, as JSON. */
  static final String COLLECTIONS = "incremental_snapshot_collections";

  private static final String CONDITION = COLLECTIONS + "_additional_condition";
  private static final ObjectMapper JSON = new ObjectMapper();

  private FilterExitDeletes() {}

  /** Replaces, in place, each read of a leaving row by a delete. */
  static void apply(List<SourceRecord> records) {
    ListIterator<SourceRecord> each = records.listIterator();
    while (each.hasNext()) {
      SourceRecord record = each.next();
      if (isExitRead(record)) {
        each.set(asDelete(record));
      }
    }
  }

  static boolean isExitRead(SourceRecord record) {
    if (!(record.value() instanceof Struct value)
        || value.schema().field(Envelope.FieldName.OPERATION) == null
        || !Envelope.Operation.READ.code().equals(value.getString(Envelope.FieldName.OPERATION))) {
      return false;
    }
    Map<String, ?> offset = record.sourceOffset();
    Object collections = offset == null ? null : offset.get(COLLECTIONS);
    if (!(collections instanceof String text) || !text.contains(RowFilterChanges.EXIT_MARKER)) {
      return false;
    }
    try {
      JsonNode current = JSON.readTree(text).path(0);
      // Debezium keeps the condition wrapped in parentheses.
      return current.path(CONDITION).asText("").contains(RowFilterChanges.EXIT_MARKER);
    } catch (IOException e) {
      return false;
    }
  }

  private static SourceRecord asDelete(SourceRecord read) {
    Struct value = (Struct) read.value();
    Envelope envelope = Envelope.fromSchema(read.valueSchema());
    Struct deleted =
        envelope.delete(
            value.getStruct(Envelope.FieldName.AFTER),
            value.getStruct(Envelope.FieldName.SOURCE),
            Instant.now());
    return read.newRecord(
        read.topic(),
        read.kafkaPartition(),
        read.keySchema(),
        read.key(),
        read.valueSchema(),
        deleted,
        read.timestamp(),
        read.headers());
  }
}

package io.pgsearch.connect.source;

import io.pgsearch.connect.transforms.PgsearchHeaders;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.header.Headers;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Stamps each record with its {@link Generations generation}: the source offsets carry the
 * generation and the PostgreSQL history, and from the first restore on each record carries the
 * header {@link PgsearchHeaders#GENERATION}. In a new generation, once its snapshot is complete, it
 * adds to each captured table's topic a TRUNCATE at the start of the generation: the sink then
 * deletes every document older than the generation, those of rows the restored database no longer
 * has.
 */
final class GenerationStamp {
  /** Task config key: the captured tables, {@code schema.table}, comma-separated. */
  static final String TASK_TABLES = "pgsearch.task.tables";

  private final Generations.State state;
  private final String topicPrefix;
  private final List<TableName> tables;
  private boolean sweepPending;

  GenerationStamp(Generations.State state, String topicPrefix, List<TableName> tables) {
    this.state = state;
    this.topicPrefix = topicPrefix;
    this.tables = tables;
    this.sweepPending = state.sweepPending();
  }

  /** Stamps the records in place, adding the generation's truncates where they are due. */
  void apply(List<SourceRecord> records) {
    List<SourceRecord> stamped = new ArrayList<>(records.size());
    for (SourceRecord record : records) {
      boolean sweepNow = sweepPending && isPastSnapshot(record.sourceOffset());
      stamped.add(stamp(record, record.sourceOffset(), sweepPending && !sweepNow));
      if (sweepNow) {
        for (TableName table : tables) {
          stamped.add(truncate(record, table));
        }
        sweepPending = false;
      }
    }
    records.clear();
    records.addAll(stamped);
  }

  /** Whether a record comes after the snapshot: its last row, or any streamed record. */
  static boolean isPastSnapshot(Map<String, ?> offset) {
    return offset == null
        || Boolean.TRUE.equals(offset.get("last_snapshot_record"))
        || !offset.containsKey("snapshot");
  }

  private SourceRecord stamp(SourceRecord record, Map<String, ?> offset, boolean pending) {
    // Generation 0 (no restore yet, the common case) adds no header: no copy of the headers.
    Headers headers = record.headers();
    if (state.generation() > 0) {
      headers = headers.duplicate();
      headers.remove(PgsearchHeaders.GENERATION);
      headers.addLong(PgsearchHeaders.GENERATION, state.generation());
    }
    return SourceRecordCopy.of(
        record, offset == null ? null : state.offset(offset, pending), headers);
  }

  /**
   * A schemaless TRUNCATE envelope at LSN 0 of this generation: the version {@code generation << 56
   * | 1} is above every version of the previous generations and below every change of this one.
   */
  private SourceRecord truncate(SourceRecord after, TableName table) {
    Map<String, Object> source = new HashMap<>();
    source.put("lsn", 0L);
    source.put("schema", table.schema());
    source.put("table", table.table());
    Map<String, Object> envelope = new HashMap<>();
    envelope.put("op", "t");
    envelope.put("before", null);
    envelope.put("after", null);
    envelope.put("source", source);
    Headers headers = new ConnectHeaders();
    headers.addLong(PgsearchHeaders.GENERATION, state.generation());
    return new SourceRecord(
        after.sourcePartition(),
        after.sourceOffset() == null ? null : state.offset(after.sourceOffset(), false),
        topicPrefix + "." + table.schema() + "." + table.table(),
        null,
        null,
        null,
        null,
        envelope,
        after.timestamp(),
        headers);
  }

  static List<TableName> tables(String taskConfigValue) {
    List<TableName> tables = new ArrayList<>();
    if (taskConfigValue != null && !taskConfigValue.isBlank()) {
      for (String table : taskConfigValue.split(",")) {
        tables.add(TableName.parse(table.strip()));
      }
    }
    return tables;
  }
}

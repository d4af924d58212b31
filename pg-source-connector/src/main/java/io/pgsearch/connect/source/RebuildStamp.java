package io.pgsearch.connect.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgsearch.connect.transforms.PgsearchHeaders;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.header.Headers;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Marks the records of tables being rebuilt. A rebuild is an incremental snapshot whose signal id
 * starts with {@link #ID_PREFIX} (the {@code _rebuild} SQL function's); Debezium keeps the queued
 * snapshots, with their ids, in every record's offset. While a table's is queued or running, each
 * record of the table carries the header {@link PgsearchHeaders#REBUILD}: the sink writes it to the
 * generation being built as well. When the table leaves the queue (its last row was read), one
 * {@link PgsearchHeaders#REBUILD_END_OP} record goes to each partition of its topic: once the sink
 * has applied everything before them, the new generation is complete.
 *
 * <p>The running rebuilds are kept in the offsets too ({@link #OFFSET_KEY}), so an end that falls
 * while the task is down is still sent when it starts again.
 */
final class RebuildStamp {
  private static final Logger log = LoggerFactory.getLogger(RebuildStamp.class);

  /** How the ids of rebuild signals start. */
  static final String ID_PREFIX = "rebuild-";

  /** Task config key: the partitions of each topic, where rebuild ends are sent. */
  static final String TASK_TOPIC_PARTITIONS = "pgsearch.task.topic.partitions";

  /** Our offset key: the running rebuilds, {@code schema.table=id} comma-separated. */
  static final String OFFSET_KEY = "pgsearch_rebuilds";

  private static final String COLLECTION_ID = FilterExitDeletes.COLLECTIONS + "_id";
  private static final String CORRELATION_ID = FilterExitDeletes.COLLECTIONS + "_correlation_id";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String topicPrefix;
  private final int partitions;
  private final Map<String, TableName> tablesByTopic = new HashMap<>();
  private final Map<TableName, String> running = new TreeMap<>();
  private final Map<TableName, String> finished = new HashMap<>();
  private String lastCollections;
  private Map<TableName, String> lastQueued = Map.of();

  RebuildStamp(
      String topicPrefix, int partitions, List<TableName> tables, Map<String, ?> committed) {
    this.topicPrefix = topicPrefix;
    this.partitions = Math.max(1, partitions);
    for (TableName table : tables) {
      tablesByTopic.put(topic(table), table);
    }
    running.putAll(parse(committed == null ? null : committed.get(OFFSET_KEY)));
  }

  /** Stamps the records in place, adding the end records of rebuilds that finished. */
  void apply(List<SourceRecord> records) {
    if (running.isEmpty() && !anyQueued(records)) {
      return; // the common case: no rebuild, no copy
    }
    List<SourceRecord> stamped = new ArrayList<>(records.size());
    for (SourceRecord record : records) {
      Map<String, ?> offset = record.sourceOffset();
      List<Map.Entry<TableName, String>> ended = List.of();
      if (isStreamed(offset)) {
        Map<TableName, String> queued = queued(offset);
        ended = new ArrayList<>();
        for (Map.Entry<TableName, String> was : running.entrySet()) {
          if (!was.getValue().equals(queued.get(was.getKey()))) {
            ended.add(Map.entry(was.getKey(), was.getValue()));
          }
        }
        for (Map.Entry<TableName, String> end : ended) {
          running.remove(end.getKey());
          finished.put(end.getKey(), end.getValue());
        }
        queued.forEach(this::started);
      }
      stamped.add(stamp(record));
      for (Map.Entry<TableName, String> end : ended) {
        log.info(
            "Rebuild {} of {}: every row was read; its end goes to {} partition(s) of {}",
            end.getValue(),
            end.getKey(),
            partitions,
            topic(end.getKey()));
        for (int partition = 0; partition < partitions; partition++) {
          stamped.add(end(record, end.getKey(), end.getValue(), partition));
        }
      }
    }
    records.clear();
    records.addAll(stamped);
  }

  /**
   * Whether the offset tells which snapshots are queued: a streamed record's does (without the key
   * when none is), an initial snapshot's never does, and a record the task built without one (none
   * here) cannot tell.
   */
  private static boolean isStreamed(Map<String, ?> offset) {
    return offset != null && !offset.containsKey("snapshot");
  }

  private void started(TableName table, String id) {
    String last = finished.get(table);
    if (last != null && id.compareTo(last) <= 0) {
      return; // an older offset (a document built before the end) must not start it again
    }
    if (!id.equals(running.put(table, id))) {
      log.info("Rebuild {} of {}: its records go to the new generation too", id, table);
    }
  }

  private boolean anyQueued(List<SourceRecord> records) {
    for (SourceRecord record : records) {
      Map<String, ?> offset = record.sourceOffset();
      if (isStreamed(offset) && !queued(offset).isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /** The tables with a rebuild queued or running in this offset, with its id. */
  private Map<TableName, String> queued(Map<String, ?> offset) {
    Object collections = offset.get(FilterExitDeletes.COLLECTIONS);
    String text = collections instanceof String s ? s : null;
    if (!Objects.equals(text, lastCollections)) {
      // Consecutive records share their offset's snapshot state: read it once.
      lastCollections = text;
      lastQueued = text == null || !text.contains(ID_PREFIX) ? Map.of() : readQueued(text);
    }
    return lastQueued;
  }

  static Map<TableName, String> readQueued(String collections) {
    Map<TableName, String> queued = new LinkedHashMap<>();
    try {
      for (JsonNode collection : JSON.readTree(collections)) {
        String id = collection.path(CORRELATION_ID).asText("");
        String table = collection.path(COLLECTION_ID).asText("");
        if (id.startsWith(ID_PREFIX) && !table.isEmpty()) {
          queued.putIfAbsent(TableName.parse(table), id);
        }
      }
    } catch (IOException | RuntimeException e) {
      log.warn("Could not read the queued snapshots of an offset: {}", e.getMessage());
    }
    return queued;
  }

  private SourceRecord stamp(SourceRecord record) {
    TableName table = tablesByTopic.get(record.topic());
    String id = table == null ? null : running.get(table);
    Headers headers = record.headers();
    if (id != null) {
      headers = headers.duplicate();
      headers.remove(PgsearchHeaders.REBUILD);
      headers.addString(PgsearchHeaders.REBUILD, id);
    }
    return SourceRecordCopy.of(record, offset(record.sourceOffset()), headers);
  }

  private Map<String, ?> offset(Map<String, ?> offset) {
    if (offset == null) {
      return null;
    }
    Map<String, Object> copy = new HashMap<>(offset);
    if (running.isEmpty()) {
      copy.remove(OFFSET_KEY);
    } else {
      copy.put(OFFSET_KEY, format(running));
    }
    return copy;
  }

  /** A rebuild's end in one partition: no key, no value, the headers the sink reads. */
  private SourceRecord end(SourceRecord after, TableName table, String id, int partition) {
    Headers headers = new ConnectHeaders();
    headers.addString(PgsearchHeaders.OP, PgsearchHeaders.REBUILD_END_OP);
    headers.addString(PgsearchHeaders.REBUILD, id);
    headers.addInt(PgsearchHeaders.REBUILD_PARTITIONS, partitions);
    headers.addString(PgsearchHeaders.SCHEMA, table.schema());
    headers.addString(PgsearchHeaders.TABLE, table.table());
    // The transforms pass a record without value through when it carries a position.
    Object lsn = after.sourceOffset() == null ? null : after.sourceOffset().get("lsn");
    headers.addLong(PgsearchHeaders.LSN, lsn instanceof Number n ? 2 * n.longValue() + 1 : 0L);
    return new SourceRecord(
        after.sourcePartition(),
        offset(after.sourceOffset()),
        topic(table),
        partition,
        null,
        null,
        null,
        null,
        after.timestamp(),
        headers);
  }

  private String topic(TableName table) {
    return topicPrefix + "." + table.schema() + "." + table.table();
  }

  /** The running rebuilds as the offsets keep them: a JSON object of table to id. */
  static String format(Map<TableName, String> rebuilds) {
    try {
      return JSON.writeValueAsString(Map.of("rebuilds", byTableParts(rebuilds)));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code [[schema, table, id], ...]}: names with dots or commas stay unambiguous. */
  private static List<List<String>> byTableParts(Map<TableName, String> rebuilds) {
    List<List<String>> parts = new ArrayList<>();
    rebuilds.forEach((table, id) -> parts.add(List.of(table.schema(), table.table(), id)));
    return parts;
  }

  static Map<TableName, String> parse(Object value) {
    Map<TableName, String> rebuilds = new TreeMap<>();
    if (value instanceof String text && !text.isBlank()) {
      try {
        for (JsonNode entry : JSON.readTree(text).path("rebuilds")) {
          rebuilds.put(
              new TableName(entry.path(0).asText(), entry.path(1).asText()),
              entry.path(2).asText());
        }
      } catch (IOException e) {
        log.warn("Could not read the running rebuilds of the committed offset: {}", e.getMessage());
      }
    }
    return rebuilds;
  }
}

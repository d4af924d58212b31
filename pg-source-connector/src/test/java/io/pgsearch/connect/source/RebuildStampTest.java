package io.pgsearch.connect.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsearch.connect.transforms.PgsearchHeaders;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

class RebuildStampTest {
  private static final Map<String, String> PARTITION = Map.of("server", "shop");
  private static final TableName ITEMS = new TableName("public", "items");
  private static final TableName CUSTOMERS = new TableName("crm", "customers");
  private static final List<TableName> TABLES = List.of(ITEMS, CUSTOMERS);
  private static final String REBUILD = "rebuild-20261126101500000000-0a1b2c3d";
  private static final String LATER = "rebuild-20261126111500000000-9f8e7d6c";

  private static SourceRecord record(String topic, Map<String, ?> offset) {
    return new SourceRecord(PARTITION, offset, topic, null, Schema.STRING_SCHEMA, "v");
  }

  /** A streamed record's offset with these snapshots queued, {@code [table, id]} each. */
  private static Map<String, Object> queued(long lsn, String... tableAndId) {
    Map<String, Object> offset = new HashMap<>();
    offset.put("lsn", lsn);
    if (tableAndId.length > 0) {
      StringBuilder json = new StringBuilder("[");
      for (int i = 0; i < tableAndId.length; i += 2) {
        json.append(i == 0 ? "" : ",")
            .append("{\"incremental_snapshot_collections_id\":\"")
            .append(tableAndId[i])
            .append("\",\"incremental_snapshot_collections_additional_condition\":null,")
            .append("\"incremental_snapshot_collections_correlation_id\":\"")
            .append(tableAndId[i + 1])
            .append("\"}");
      }
      offset.put(FilterExitDeletes.COLLECTIONS, json.append(']').toString());
    }
    return offset;
  }

  private static String header(SourceRecord record, String name) {
    Header header = record.headers().lastWithName(name);
    return header == null ? null : String.valueOf(header.value());
  }

  private static RebuildStamp stamp(Map<String, ?> committed) {
    return new RebuildStamp("shop", 2, TABLES, committed);
  }

  @Test
  void withoutARebuildRecordsPassUnchanged() {
    SourceRecord record = record("shop.public.items", queued(7));
    List<SourceRecord> records = new ArrayList<>(List.of(record));

    stamp(null).apply(records);

    assertThat(records).containsExactly(record);
  }

  @Test
  void aReSyncIsNoRebuild() {
    List<SourceRecord> records =
        new ArrayList<>(
            List.of(record("shop.public.items", queued(7, "public.items", "resync-5f1e"))));

    stamp(null).apply(records);

    assertThat(header(records.get(0), PgsearchHeaders.REBUILD)).isNull();
    assertThat(records.get(0).sourceOffset()).doesNotContainKey(RebuildStamp.OFFSET_KEY);
  }

  @Test
  void everyRecordOfTheTableIsMarkedWhileItsRebuildIsQueuedOrRunning() {
    RebuildStamp stamp = stamp(null);
    List<SourceRecord> records =
        new ArrayList<>(
            List.of(
                record("shop.public.items", queued(7, "public.items", REBUILD)),
                record("shop.crm.customers", queued(8, "public.items", REBUILD)),
                record("shop.public.items", queued(9, "public.items", REBUILD))));

    stamp.apply(records);

    assertThat(records).hasSize(3);
    assertThat(header(records.get(0), PgsearchHeaders.REBUILD)).isEqualTo(REBUILD);
    assertThat(header(records.get(1), PgsearchHeaders.REBUILD)).as("another table").isNull();
    assertThat(header(records.get(2), PgsearchHeaders.REBUILD)).isEqualTo(REBUILD);
    assertThat(RebuildStamp.parse(records.get(2).sourceOffset().get(RebuildStamp.OFFSET_KEY)))
        .containsExactly(Map.entry(ITEMS, REBUILD));
  }

  @Test
  void theEndGoesToEveryPartitionOfTheTopicRightAfterTheFirstRecordWithoutTheRebuild() {
    RebuildStamp stamp = stamp(null);
    List<SourceRecord> records =
        new ArrayList<>(
            List.of(
                record("shop.public.items", queued(7, "public.items", REBUILD)),
                record("shop.public.items", queued(9)),
                record("shop.public.items", queued(11))));

    stamp.apply(records);

    assertThat(records).hasSize(5);
    assertThat(header(records.get(1), PgsearchHeaders.REBUILD)).as("after the end").isNull();
    assertThat(records.get(1).sourceOffset()).doesNotContainKey(RebuildStamp.OFFSET_KEY);
    for (int partition = 0; partition < 2; partition++) {
      SourceRecord end = records.get(2 + partition);
      assertThat(end.topic()).isEqualTo("shop.public.items");
      assertThat(end.kafkaPartition()).isEqualTo(partition);
      assertThat(end.key()).isNull();
      assertThat(end.value()).isNull();
      assertThat(header(end, PgsearchHeaders.OP)).isEqualTo(PgsearchHeaders.REBUILD_END_OP);
      assertThat(header(end, PgsearchHeaders.REBUILD)).isEqualTo(REBUILD);
      assertThat(header(end, PgsearchHeaders.REBUILD_PARTITIONS)).isEqualTo("2");
      assertThat(header(end, PgsearchHeaders.SCHEMA)).isEqualTo("public");
      assertThat(header(end, PgsearchHeaders.TABLE)).isEqualTo("items");
      assertThat(header(end, PgsearchHeaders.LSN)).as("passes the transforms").isEqualTo("19");
      assertThat(end.sourceOffset()).doesNotContainKey(RebuildStamp.OFFSET_KEY);
    }
    assertThat(header(records.get(4), PgsearchHeaders.OP)).isNull();
  }

  @Test
  void anEndWhileTheTaskWasDownIsSentFromTheCommittedOffsets() {
    Map<String, Object> committed = queued(7, "public.items", REBUILD);
    committed.put(RebuildStamp.OFFSET_KEY, RebuildStamp.format(Map.of(ITEMS, REBUILD)));
    List<SourceRecord> records = new ArrayList<>(List.of(record("shop.crm.customers", queued(9))));

    stamp(committed).apply(records);

    assertThat(records).hasSize(3);
    assertThat(records.subList(1, 3))
        .allSatisfy(end -> assertThat(end.topic()).isEqualTo("shop.public.items"));
  }

  @Test
  void anOlderOffsetAfterTheEndDoesNotStartTheRebuildAgain() {
    RebuildStamp stamp = stamp(null);
    List<SourceRecord> records =
        new ArrayList<>(
            List.of(
                record("shop.public.items", queued(7, "public.items", REBUILD)),
                record("shop.public.items", queued(9)),
                // a document built before the end carries the offset of a record before it
                record("shop.public.items", queued(7, "public.items", REBUILD))));

    stamp.apply(records);

    assertThat(records).hasSize(5);
    assertThat(header(records.get(4), PgsearchHeaders.REBUILD)).isNull();
  }

  @Test
  void aLaterRebuildOfTheSameTableStartsAfresh() {
    RebuildStamp stamp = stamp(null);
    List<SourceRecord> records =
        new ArrayList<>(
            List.of(
                record("shop.public.items", queued(7, "public.items", REBUILD)),
                record("shop.public.items", queued(9)),
                record("shop.public.items", queued(11, "public.items", LATER))));

    stamp.apply(records);

    assertThat(header(records.get(4), PgsearchHeaders.REBUILD)).isEqualTo(LATER);
  }

  @Test
  void anInitialSnapshotRowTellsNothingOfQueuedSnapshots() {
    Map<String, Object> committed = new HashMap<>();
    committed.put(RebuildStamp.OFFSET_KEY, RebuildStamp.format(Map.of(ITEMS, REBUILD)));
    List<SourceRecord> records =
        new ArrayList<>(
            List.of(record("shop.public.items", Map.of("lsn", 5L, "snapshot", "INITIAL"))));

    stamp(committed).apply(records);

    assertThat(records).hasSize(1);
    assertThat(header(records.get(0), PgsearchHeaders.REBUILD)).isEqualTo(REBUILD);
  }

  @Test
  void theRunningRebuildsSurviveTablesWithDotsAndCommasInTheirNames() {
    Map<TableName, String> rebuilds = Map.of(new TableName("a.b", "c,d=e"), REBUILD);

    assertThat(RebuildStamp.parse(RebuildStamp.format(rebuilds))).isEqualTo(rebuilds);
  }

  @Test
  void theRebuildFunctionSignalsAnIncrementalSnapshotWithASortableId() {
    String sql =
        ResyncFunction.createSql(
            ResyncFunction.Kind.REBUILD,
            new TableName("public", "pgsearch_shop_rebuild"),
            new TableName("public", "pgsearch_shop_signal"),
            List.of());

    assertThat(sql)
        .contains("\"public\".\"pgsearch_shop_rebuild\"")
        .contains("'rebuild-' || to_char(clock_timestamp() AT TIME ZONE 'UTC'")
        .contains("'execute-snapshot'")
        .contains("'incremental'")
        .contains("pgsearch: rebuild of % refused");
  }
}

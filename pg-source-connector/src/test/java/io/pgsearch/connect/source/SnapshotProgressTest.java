package io.pgsearch.connect.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.debezium.data.Envelope;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

class SnapshotProgressTest {
  private static final Schema ROW =
      SchemaBuilder.struct().optional().field("id", Schema.INT32_SCHEMA).build();
  private static final Schema SOURCE =
      SchemaBuilder.struct()
          .field("schema", Schema.STRING_SCHEMA)
          .field("table", Schema.STRING_SCHEMA)
          .build();
  private static final Envelope ENVELOPE =
      Envelope.defineSchema()
          .withName("shop.public.items.Envelope")
          .withRecord(ROW)
          .withSource(SOURCE)
          .build();

  private static String collections(String id, String table) {
    return "[{\"incremental_snapshot_collections_id\":\""
        + table
        + "\",\"incremental_snapshot_collections_additional_condition\":null,"
        + "\"incremental_snapshot_collections_surrogate_key\":null,"
        + "\"incremental_snapshot_collections_correlation_id\":\""
        + id
        + "\"}]";
  }

  private static Map<String, Object> offset(String snapshotId) {
    Map<String, Object> offset = new HashMap<>();
    offset.put("lsn", 100L);
    if (snapshotId != null) {
      offset.put(FilterExitDeletes.COLLECTIONS, collections(snapshotId, "public.items"));
    }
    return offset;
  }

  private static SourceRecord record(String op, String table, String snapshotId) {
    Struct row = new Struct(ROW).put("id", 1);
    Struct source = new Struct(SOURCE).put("schema", "public").put("table", table);
    Struct value =
        "r".equals(op)
            ? ENVELOPE.read(row, source, Instant.EPOCH)
            : ENVELOPE.update(row, row, source, Instant.EPOCH);
    return new SourceRecord(
        Map.of("server", "shop"),
        offset(snapshotId),
        "shop.public." + table,
        null,
        ENVELOPE.schema(),
        value);
  }

  private static SnapshotProgress progress(Map<String, ?> committed, AtomicLong clock) {
    return new SnapshotProgress(
        committed, table -> OptionalLong.of(1000), Duration.ofSeconds(10), clock::get);
  }

  private static List<Object> rows(List<SourceRecord> records) {
    return records.stream()
        .<Object>map(r -> r.sourceOffset().get(SnapshotProgress.ROWS_KEY))
        .toList();
  }

  @Test
  void readsOfTheSnapshottedTableAreCountedIntoEveryOffsetOfTheSnapshot() {
    SnapshotProgress progress = progress(null, new AtomicLong(1));
    List<SourceRecord> records =
        new ArrayList<>(
            List.of(
                record("r", "items", "load-1"),
                record("u", "items", "load-1"),
                record("r", "items", "load-1"),
                record("u", "items", null)));
    progress.apply(records);
    assertThat(rows(records))
        .as("a streamed change between chunks carries the count; none once the snapshot is over")
        .containsExactly(1L, 1L, 2L, null);
    Map<String, Object> stamped = new HashMap<>(records.get(0).sourceOffset());
    assertThat(stamped).containsEntry(SnapshotProgress.ID_KEY, "load-1").containsEntry("lsn", 100L);
  }

  /** Reads of public.items in snapshot {@code running}, after a commit that counted 40,000. */
  private static List<Object> rowsAfterCommit(String running, String counted, String... reads) {
    Map<String, Object> committed = offset(running);
    committed.put(SnapshotProgress.ID_KEY, counted);
    committed.put(SnapshotProgress.ROWS_KEY, 40_000L);
    SnapshotProgress progress = progress(committed, new AtomicLong(1));
    List<SourceRecord> records = new ArrayList<>();
    for (String snapshot : reads) {
      records.add(record("r", "items", snapshot));
    }
    progress.apply(records);
    return rows(records);
  }

  @Test
  void aResumedSnapshotCountsOnFromItsCommittedOffsetAndANewOneFromZero() {
    assertThat(rowsAfterCommit("load-1", "load-1", "load-1", "load-2", "load-2"))
        .containsExactly(40_001L, 1L, 2L);
  }

  @Test
  void theFirstChunkOfAResumedSnapshotCountsThoughItsOffsetsLackTheSnapshotState() {
    assertThat(rowsAfterCommit("load-1", "load-1", null, "load-1"))
        .as("Debezium emits the chunk it reads when resuming with its streaming offset")
        .containsExactly(null, 40_002L);
  }

  @Test
  void aSnapshotEndsAtAStreamedRecordWithoutItsStateNotAtABlockingSnapshotRecord() {
    SnapshotProgress progress = progress(null, new AtomicLong(1));
    SourceRecord change = record("u", "items", null);
    Map<String, Object> blocking = new HashMap<>(change.sourceOffset());
    blocking.put("snapshot", "true");
    List<SourceRecord> records =
        new ArrayList<>(
            List.of(
                record("r", "items", "load-1"),
                SourceRecordCopy.of(change, blocking, change.headers()),
                record("r", "items", "load-1"),
                change,
                record("r", "items", null)));
    progress.apply(records);
    assertThat(rows(records))
        .as("a read after the end is not counted")
        .containsExactly(1L, null, 2L, null, null);
  }

  @Test
  void aCommittedCountOfAnotherSnapshotIsNotCarriedOver() {
    assertThat(rowsAfterCommit("load-2", "load-1", "load-2")).containsExactly(1L);
  }

  @Test
  void theRunningSnapshotIsTheFirstQueued() {
    assertThat(SnapshotProgress.running(offset("load-1")))
        .isEqualTo(new SnapshotProgress.Running("load-1", new TableName("public", "items")));
    assertThat(SnapshotProgress.running(offset(null))).isNull();
    assertThat(SnapshotProgress.running(Map.of(FilterExitDeletes.COLLECTIONS, "[]"))).isNull();
    assertThat(SnapshotProgress.running(Map.of(FilterExitDeletes.COLLECTIONS, "not json")))
        .isNull();
  }

  @Test
  void aProgressLineHasTheCountTheEstimateTheRateAndTheTimeLeft() {
    assertThat(SnapshotProgress.describe(50_000, 200_000, 5_000))
        .isEqualTo("50000 of ~200000 rows (25%), 5000 rows/s, about 30 s left");
    assertThat(SnapshotProgress.describe(10, 100_000_000, 2_000))
        .isEqualTo("10 of ~100000000 rows (0%), 2000 rows/s, about 13 h 53 min left");
    assertThat(SnapshotProgress.describe(10, 1_000, 0))
        .isEqualTo("10 of ~1000 rows (1%), 0 rows/s, time left unknown");
    assertThat(SnapshotProgress.describe(500, -1, 100.4))
        .as("never analyzed: no estimate")
        .isEqualTo("500 rows, 100 rows/s");
    assertThat(SnapshotProgress.describe(1_500, 1_000, 100))
        .as("past the estimate: rows were added since")
        .isEqualTo("1500 rows, 100 rows/s");
  }

  @Test
  void durationsReadAsSecondsMinutesOrHours() {
    assertThat(SnapshotProgress.format(Duration.ofSeconds(45))).isEqualTo("45 s");
    assertThat(SnapshotProgress.format(Duration.ofSeconds(725))).isEqualTo("12 min 5 s");
    assertThat(SnapshotProgress.format(Duration.ofMinutes(200))).isEqualTo("3 h 20 min");
  }
}

package io.pgsearch.connect.sink.truncate;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsearch.connect.sink.bulk.RecordPosition;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

/** The steps of applying a truncate, on a fake clock, index and writer. */
class TruncateSweepsTest {
  private static final long READ_TIMEOUT_MS = 60_000;
  private static final TopicPartition TP = new TopicPartition("shop.public.orders", 1);
  private static final RecordPosition AT = new RecordPosition(TP, 17);
  private static final SinkRecord TRUNCATE =
      new SinkRecord(TP.topic(), 1, null, null, null, null, 17);

  private final AtomicLong now = new AtomicLong(5_000_000_000L);
  private final TruncateFloorsTest.FakeStore store = new TruncateFloorsTest.FakeStore();
  private final TruncateFloors floors = new TruncateFloors(store, now::get);
  private final FakeIndex index = new FakeIndex();
  private final FakeWrites writes = new FakeWrites();
  private final TruncateSweeps sweeps =
      new TruncateSweeps(floors, store, index, writes, READ_TIMEOUT_MS, now::get);

  /** Documents by id with their versions, read two per page from a snapshot, as a scroll does. */
  static final class FakeIndex implements DocumentScan {
    final Map<String, Long> documents = new LinkedHashMap<>();
    private List<Hit> snapshot = List.of();
    int opened;
    IOException failure;

    @Override
    public Page open(String name) throws IOException {
      if (failure != null) {
        throw failure;
      }
      opened++;
      snapshot = documents.entrySet().stream().map(e -> new Hit(e.getKey(), e.getValue())).toList();
      return page(0);
    }

    @Override
    public Page next(String cursor) {
      return page(Integer.parseInt(cursor));
    }

    @Override
    public void close(String cursor) {}

    private Page page(int from) {
      List<Hit> hits = snapshot.stream().skip(from).limit(2).toList();
      return new Page(hits.isEmpty() ? null : String.valueOf(from + 2), hits);
    }
  }

  /** Records the deletes; they complete when the test applies them. */
  final class FakeWrites implements SweepWrites {
    final List<String> deleted = new ArrayList<>();
    final List<AtomicBoolean> done = new ArrayList<>();

    @Override
    public BooleanSupplier delete(
        String name, String id, long version, SinkRecord truncate, RecordPosition position) {
      assertThat(version).isEqualTo(100);
      assertThat(truncate).isSameAs(TRUNCATE);
      assertThat(position).isEqualTo(AT);
      deleted.add(id);
      AtomicBoolean applied = new AtomicBoolean();
      done.add(applied);
      return applied::get;
    }

    /** Applies every queued delete to the fake index. */
    void apply() {
      deleted.forEach(index.documents::remove);
      done.forEach(d -> d.set(true));
    }
  }

  private final AtomicInteger released = new AtomicInteger();

  private void advanceMs(long ms) {
    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(ms));
  }

  @Test
  void recordsTheFloorWaitsUntilEveryTaskKnowsItThenDeletesOnlyOlderDocumentsTwice() {
    index.documents.put("1", 10L);
    index.documents.put("2", 99L);
    index.documents.put("3", 101L); // inserted after the truncate
    index.documents.put("4", 50L);
    sweeps.start("orders", 100, TRUNCATE, AT, released::incrementAndGet);
    assertThat(floors.floor("orders")).as("raised at once for this task").isEqualTo(100);
    assertThat(sweeps.advance()).isTrue();
    assertThat(store.floors).containsEntry("orders", 100L);
    assertThat(index.opened).isZero();

    advanceMs(TruncateFloors.MAX_AGE_MS);
    sweeps.advance();
    assertThat(index.opened).as("another task may not know the floor yet").isZero();

    advanceMs(1_000);
    assertThat(sweeps.advance()).isTrue();
    assertThat(writes.deleted).containsExactly("1", "2", "4");
    writes.apply();
    sweeps.advance();
    assertThat(released).as("a straggler may still land").hasValue(0);

    index.documents.put("5", 60L); // another task's write that was in flight
    advanceMs(READ_TIMEOUT_MS);
    assertThat(sweeps.advance()).isTrue();
    assertThat(index.opened).isEqualTo(2);
    assertThat(writes.deleted).containsExactly("1", "2", "4", "5");
    writes.apply();

    assertThat(sweeps.advance()).isFalse();
    assertThat(released).hasValue(1);
    assertThat(index.documents).containsOnlyKeys("3");
  }

  @Test
  void theScanWaitsWhileTooManyOfItsDeletesArePendingAndGoesOnAsTheyComplete() {
    int documents = TruncateSweep.MAX_PENDING_DELETES + 100;
    for (int i = 0; i < documents; i++) {
      index.documents.put(String.valueOf(i), 1L);
    }
    sweeps.start("orders", 100, TRUNCATE, AT, released::incrementAndGet);
    sweeps.advance();
    advanceMs(TruncateFloors.MAX_AGE_MS + 1_000);

    sweeps.advance();
    assertThat(writes.deleted).hasSize(TruncateSweep.MAX_PENDING_DELETES + 2);

    writes.apply();
    sweeps.advance();
    assertThat(writes.deleted).hasSize(documents);
  }

  @Test
  void aFailedScanIsRetriedASecondLater() {
    index.documents.put("1", 10L);
    sweeps.start("orders", 100, TRUNCATE, AT, released::incrementAndGet);
    sweeps.advance();
    advanceMs(TruncateFloors.MAX_AGE_MS + 1_000);
    index.failure = new IOException("connection refused");
    sweeps.advance();
    assertThat(writes.deleted).isEmpty();

    index.failure = null;
    sweeps.advance();
    assertThat(writes.deleted).as("not before a second").isEmpty();
    advanceMs(1_000);
    sweeps.advance();
    assertThat(writes.deleted).containsExactly("1");
  }

  @Test
  void aRevokedPartitionsTruncateIsAbandonedForItsNextOwner() {
    sweeps.start("orders", 100, TRUNCATE, AT, released::incrementAndGet);
    sweeps.advance();

    sweeps.forget(List.of(TP));

    advanceMs(TruncateFloors.MAX_AGE_MS + READ_TIMEOUT_MS + 2_000);
    assertThat(sweeps.advance()).isFalse();
    assertThat(index.opened).isZero();
    assertThat(released).hasValue(0);
  }
}

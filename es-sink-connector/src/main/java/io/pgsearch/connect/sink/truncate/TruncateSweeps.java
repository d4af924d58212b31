package io.pgsearch.connect.sink.truncate;

import io.pgsearch.connect.sink.bulk.RecordPosition;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * The TRUNCATEs this task is applying. A truncate at version {@code V} of a table means: every
 * document of its index older than {@code V} goes, every later row stays. Rows inserted after the
 * truncate have greater versions (PostgreSQL orders them after it: TRUNCATE locks the table), so
 * the sweeps delete only older documents, at version {@code V}, and the floor makes every task drop
 * older writes it still has, from any partition.
 */
public final class TruncateSweeps {
  /** How long a step may take on the task's thread before it returns to Connect. */
  private static final long STEP_BUDGET_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

  private final TruncateFloors floors;
  private final FloorStore store;
  private final DocumentScan scan;
  private final SweepWrites writes;
  private final long[] passDelaysMs;
  private final LongSupplier nanoClock;
  private final List<TruncateSweep> active = new ArrayList<>();

  /**
   * @param readTimeoutMs the longest a bulk request may take: the second sweep waits for it
   */
  public TruncateSweeps(
      TruncateFloors floors,
      FloorStore store,
      DocumentScan scan,
      SweepWrites writes,
      long readTimeoutMs,
      LongSupplier nanoClock) {
    this.floors = floors;
    this.store = store;
    this.scan = scan;
    this.writes = writes;
    // A margin over MAX_AGE_MS: the other tasks measure it from when they sent their reading.
    long known = TruncateFloors.MAX_AGE_MS + 1_000;
    this.passDelaysMs = new long[] {known, known + readTimeoutMs};
    this.nanoClock = nanoClock;
  }

  /**
   * Starts applying a truncate; {@code onDone} runs once it is applied (the caller holds the
   * truncate's record uncommitted until then).
   */
  public void start(
      String index, long version, SinkRecord record, RecordPosition position, Runnable onDone) {
    floors.raise(index, version);
    active.add(
        new TruncateSweep(
            index, version, record, position, onDone, passDelaysMs, nanoClock.getAsLong()));
  }

  /** Takes the steps that are due, for a bounded time; true while truncates are being applied. */
  public boolean advance() {
    long started = nanoClock.getAsLong();
    boolean progressed = true;
    while (progressed && nanoClock.getAsLong() - started < STEP_BUDGET_NANOS) {
      progressed = false;
      for (TruncateSweep sweep : active) {
        progressed |= sweep.step(nanoClock.getAsLong(), store, scan, writes);
      }
    }
    active.removeIf(TruncateSweep::isDone);
    return !active.isEmpty();
  }

  /** Abandons the truncates of revoked partitions. */
  public void forget(Collection<TopicPartition> partitions) {
    Set<TopicPartition> revoked = new HashSet<>(partitions);
    for (TruncateSweep sweep : active) {
      if (revoked.contains(sweep.position().partition())) {
        sweep.abandon(scan);
      }
    }
    active.removeIf(TruncateSweep::isDone);
  }

  /** Abandons everything (the task stops). */
  public void close() {
    active.forEach(sweep -> sweep.abandon(scan));
    active.clear();
  }
}

package io.pgsearch.connect.sink;

import io.pgsearch.connect.sink.bulk.BufferLimit;
import java.util.Collection;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a task's buffer bounded without failing it: when more than {@code max.buffered.records}, or
 * records holding more than {@code max.buffered.bytes}, wait for Elasticsearch after {@code put}
 * has waited up to a second for room, every assigned partition is paused; once the buffer is down
 * to half of both, they are all resumed. Invariant: while {@link #paused()}, every partition the
 * task holds is paused, including those it is given meanwhile, so one resume resumes them all.
 */
final class Backpressure {
  private static final Logger log = LoggerFactory.getLogger(Backpressure.class);

  /** How soon Connect calls {@code put} again while paused, to resume in time. */
  static final long POLL_AGAIN_MS = 100;

  /** Longest {@code put} waits for room before pausing. */
  static final long MAX_PUT_WAIT_MS = 1_000;

  /** The records a task holds: queued or in flight. */
  interface Buffer {
    int bufferedRecords();

    /** The bytes the buffered records keep on the heap. */
    long bufferedBytes();

    /** Waits until the buffer is within {@code limit}; false if the time ran out. */
    boolean awaitBuffered(BufferLimit limit, long timeoutMs) throws InterruptedException;
  }

  private final SinkTaskContext context;
  private final Buffer buffer;
  private final BufferLimit limit;
  private final Runnable onPause;
  private boolean paused;

  /**
   * @param limit {@code max.buffered.records} and {@code max.buffered.bytes}
   * @param onPause called each time the partitions are paused (a metric)
   */
  Backpressure(SinkTaskContext context, Buffer buffer, BufferLimit limit, Runnable onPause) {
    this.context = context;
    this.buffer = buffer;
    this.limit = limit;
    this.onPause = onPause;
  }

  /** After each {@code put}: pauses, resumes, or asks to be called again soon while paused. */
  void afterPut() {
    // Waits for room even while paused: put returns as soon as the buffer is back to the limit.
    if (!within(limit) && !awaitRoom() && !paused) {
      pauseAll();
    }
    // Not while the task holds no partition (a put between an eager rebalance's revocation and its
    // assignment): Connect remembers the pause of the revoked partitions and pauses again those
    // given back, so the flag must stay set until they are opened and can be resumed.
    if (paused && within(limit.half()) && !context.assignment().isEmpty()) {
      context.resume(assigned());
      paused = false;
      log.info("Resumed partitions {}", context.assignment());
    }
    if (paused) {
      context.timeout(POLL_AGAIN_MS); // a paused consumer's poll returns soon, and put runs
    }
  }

  /** Partitions given to the task while it is paused are paused too (see the invariant). */
  void opened(Collection<TopicPartition> partitions) {
    if (paused && !partitions.isEmpty()) {
      context.pause(partitions.toArray(new TopicPartition[0]));
    }
  }

  boolean paused() {
    return paused;
  }

  private boolean within(BufferLimit bound) {
    return bound.holds(buffer.bufferedRecords(), buffer.bufferedBytes());
  }

  private boolean awaitRoom() {
    try {
      return buffer.awaitBuffered(limit, MAX_PUT_WAIT_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConnectException("Interrupted while waiting for the search server", e);
    }
  }

  private void pauseAll() {
    context.pause(assigned());
    paused = true;
    onPause.run();
    log.info(
        "Paused partitions {}: {} records holding {} bytes wait for the search server"
            + " (max.buffered.records {}, max.buffered.bytes {})",
        context.assignment(),
        buffer.bufferedRecords(),
        buffer.bufferedBytes(),
        limit.records(),
        limit.bytes());
  }

  private TopicPartition[] assigned() {
    Set<TopicPartition> assignment = context.assignment();
    return assignment.toArray(new TopicPartition[0]);
  }
}

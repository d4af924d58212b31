package io.pgsearch.connect.sink.bulk;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which offsets are safe to commit: per partition, the offset below which every record has been
 * applied to Elasticsearch or reported. Records complete out of order; commits never pass a record
 * that has not. Not thread-safe: the writer guards it.
 */
public final class OffsetTracker {
  private final Map<TopicPartition, Partition> partitions = new HashMap<>();

  /** Starts tracking a record; returns the handle to mark it done. */
  Entry track(RecordPosition position) {
    return track(position, System.nanoTime());
  }

  /** Starts tracking a record received at {@code nowNanos} ({@link System#nanoTime()}). */
  Entry track(RecordPosition position, long nowNanos) {
    Partition partition = partitions.computeIfAbsent(position.partition(), p -> new Partition());
    Entry entry = new Entry(position.offset(), nowNanos);
    partition.entries.addLast(entry);
    return entry;
  }

  /**
   * When the oldest record not yet done was received ({@link System#nanoTime()}), or {@link
   * Long#MAX_VALUE} when every record is done. A partition's records arrive in order, so its oldest
   * is its first one not done; records already done are dropped on the way, as {@link #committable}
   * would.
   */
  long oldestPendingNanos() {
    long oldest = Long.MAX_VALUE;
    for (Partition partition : partitions.values()) {
      Entry first = partition.firstPending();
      if (first != null) {
        oldest = Math.min(oldest, first.trackedNanos);
      }
    }
    return oldest;
  }

  /**
   * Offsets to commit (next offset to consume), given Connect's consumed position of each
   * partition. A partition with a record not yet done commits up to that record. A partition with
   * none commits the consumed position: it also covers records Connect consumed that never reached
   * the task because a transform dropped them (e.g. Debezium's tombstone after a delete), which a
   * commit stopping at the last tracked record would leave as lag for ever.
   */
  Map<TopicPartition, OffsetAndMetadata> committable(
      Map<TopicPartition, OffsetAndMetadata> consumed) {
    Map<TopicPartition, OffsetAndMetadata> result = new HashMap<>();
    consumed.forEach(
        (topicPartition, position) -> {
          Partition partition = partitions.get(topicPartition);
          Entry first = partition == null ? null : partition.firstPending();
          if (first != null) {
            result.put(topicPartition, new OffsetAndMetadata(first.offset));
            return;
          }
          result.put(topicPartition, position);
        });
    return result;
  }

  /** Whether every record tracked in the partition before this position is done. */
  boolean doneBefore(RecordPosition position) {
    Partition partition = partitions.get(position.partition());
    if (partition == null) {
      return true;
    }
    for (Entry entry : partition.entries) {
      if (entry.offset >= position.offset()) {
        return true;
      }
      if (!entry.isDone()) {
        return false;
      }
    }
    return true;
  }

  /**
   * Forgets a partition that is no longer assigned; its records not yet done are marked {@link
   * Entry#isRevoked revoked}, so their writes still in flight are not retried by this task.
   */
  void remove(TopicPartition topicPartition) {
    Partition removed = partitions.remove(topicPartition);
    if (removed != null) {
      removed.entries.forEach(Entry::revoke);
    }
  }

  /** One tracked record (or one derived operation). */
  public static final class Entry {
    final long offset;
    private final long trackedNanos;
    private volatile boolean done;
    private volatile boolean revoked;

    Entry(long offset) {
      this(offset, System.nanoTime());
    }

    private Entry(long offset, long trackedNanos) {
      this.offset = offset;
      this.trackedNanos = trackedNanos;
    }

    /** Whether the record is applied or reported. */
    public boolean isDone() {
      return done;
    }

    /** The record is applied or reported: commits may pass it. */
    void markDone() {
      done = true;
    }

    /**
     * Whether the record's partition was revoked from the task before the record was done: the
     * partition's next owner consumes it again from the last commit.
     */
    boolean isRevoked() {
      return revoked;
    }

    private void revoke() {
      revoked = true;
    }
  }

  private static final class Partition {
    final ArrayDeque<Entry> entries = new ArrayDeque<>();

    /** The first entry not done, dropping the done ones before it; null when all are done. */
    Entry firstPending() {
      while (!entries.isEmpty() && entries.peekFirst().isDone()) {
        entries.pollFirst();
      }
      return entries.peekFirst();
    }
  }
}

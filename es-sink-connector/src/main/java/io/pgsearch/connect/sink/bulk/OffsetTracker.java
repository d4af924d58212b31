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
    Partition partition = partitions.computeIfAbsent(position.partition(), p -> new Partition());
    Entry entry = new Entry(position.offset());
    partition.entries.addLast(entry);
    return entry;
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
          if (partition != null) {
            while (!partition.entries.isEmpty() && partition.entries.peekFirst().isDone()) {
              partition.entries.pollFirst();
            }
            if (!partition.entries.isEmpty()) {
              result.put(
                  topicPartition, new OffsetAndMetadata(partition.entries.peekFirst().offset));
              return;
            }
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

  /** Forgets a partition that is no longer assigned. */
  void remove(TopicPartition topicPartition) {
    partitions.remove(topicPartition);
  }

  /** One tracked record (or one derived operation). */
  public static final class Entry {
    final long offset;
    private volatile boolean done;

    Entry(long offset) {
      this.offset = offset;
    }

    /** Whether the record is applied or reported. */
    public boolean isDone() {
      return done;
    }

    /** The record is applied or reported: commits may pass it. */
    void markDone() {
      done = true;
    }
  }

  private static final class Partition {
    final ArrayDeque<Entry> entries = new ArrayDeque<>();
  }
}

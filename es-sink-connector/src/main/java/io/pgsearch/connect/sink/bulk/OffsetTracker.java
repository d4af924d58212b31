package io.pgsearch.connect.sink.bulk;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which offsets are safe to commit: per partition, the offset below which every record has been
 * applied to Elasticsearch or reported. Records complete out of order; commits never pass a record
 * that has not. Not thread-safe: the writer guards it.
 */
final class OffsetTracker {
  private final Map<TopicPartition, Partition> partitions = new HashMap<>();

  /** Starts tracking a record; returns the handle to mark it done. */
  Entry track(RecordPosition position) {
    Partition partition = partitions.computeIfAbsent(position.partition(), p -> new Partition());
    Entry entry = new Entry(position.offset());
    partition.entries.addLast(entry);
    return entry;
  }

  /** Offsets to commit (next offset to consume) for the given partitions that have any. */
  Map<TopicPartition, OffsetAndMetadata> committable(Collection<TopicPartition> assigned) {
    Map<TopicPartition, OffsetAndMetadata> result = new HashMap<>();
    for (TopicPartition topicPartition : assigned) {
      Partition partition = partitions.get(topicPartition);
      if (partition == null) {
        continue;
      }
      while (!partition.entries.isEmpty() && partition.entries.peekFirst().done) {
        partition.committed = partition.entries.pollFirst().offset + 1;
      }
      if (!partition.entries.isEmpty()) {
        partition.committed = partition.entries.peekFirst().offset;
      }
      if (partition.committed >= 0) {
        result.put(topicPartition, new OffsetAndMetadata(partition.committed));
      }
    }
    return result;
  }

  /** Forgets a partition that is no longer assigned. */
  void remove(TopicPartition topicPartition) {
    partitions.remove(topicPartition);
  }

  /** One tracked record. */
  static final class Entry {
    final long offset;
    boolean done;

    Entry(long offset) {
      this.offset = offset;
    }
  }

  private static final class Partition {
    final ArrayDeque<Entry> entries = new ArrayDeque<>();
    long committed = -1;
  }
}

package io.pgsearch.connect.sink.metrics;

/** What a sink task has written, as JMX attributes. */
public interface SinkTaskMetricsMBean {
  long getDocumentsIndexed();

  long getDocumentsDeleted();

  long getDocumentsFailed();

  long getRetries();

  long getVersionConflicts();

  long getBulkRequests();

  double getBulkLatencyAvgMs();

  long getBulkLatencyMaxMs();

  /**
   * The time all bulk requests took, summed: with {@link #getBulkRequests} gives a mean by rate.
   */
  long getBulkLatencyTotalMs();

  /** Streamed row changes (not snapshot rows) applied whose commit time the record carried. */
  long getChangesTimed();

  /** Commit-to-indexed latencies of {@link #getChangesTimed} changes, summed. */
  long getChangeLatencyTotalMs();

  /**
   * The upper bounds (inclusive) of {@link #getChangeLatencyBucketCounts}' buckets but the last.
   */
  long[] getChangeLatencyBucketBoundsMs();

  /**
   * How many of the {@link #getChangeLatencyTotalMs} latencies fell in each bucket (the last one
   * holds those above every bound): two readings give the percentiles in between.
   */
  long[] getChangeLatencyBucketCounts();

  /** The commit-to-indexed latency (until the bulk is acknowledged) of the last change timed. */
  long getChangeLatencyLastMs();

  /** How long the oldest record received but not yet applied or reported has waited; 0 if none. */
  long getOldestBufferedRecordAgeMs();

  int getInFlightRequests();

  int getBufferedRecords();

  /** The bytes the buffered records keep on the heap (bounded by max.buffered.bytes). */
  long getBufferedBytes();

  /** How many times the task paused its partitions because its buffer was full. */
  long getPauses();
}

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

  int getInFlightRequests();

  int getBufferedRecords();

  /** How many times the task paused its partitions because its buffer was full. */
  long getPauses();
}

package io.pgsearch.connect.sink.bulk;

import io.pgsearch.connect.sink.config.SinkConfig;

/** The limits a {@link BulkWriter} works within. */
public record BulkSettings(
    int batchSize,
    long bulkSizeBytes,
    int maxInFlightRequests,
    long lingerMs,
    int maxRetries,
    Backoff backoff) {

  public static BulkSettings from(SinkConfig config) {
    return new BulkSettings(
        config.batchSize(),
        config.bulkSizeBytes(),
        config.maxInFlightRequests(),
        config.lingerMs(),
        config.maxRetries(),
        new Backoff(config.retryBackoffMs(), config.retryBackoffMaxMs()));
  }
}

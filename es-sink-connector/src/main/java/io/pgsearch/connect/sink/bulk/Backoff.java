package io.pgsearch.connect.sink.bulk;

import java.util.concurrent.ThreadLocalRandom;

/** Capped exponential backoff with jitter, so retries of many tasks do not arrive together. */
record Backoff(long initialMs, long maxMs) {
  /** Milliseconds to wait before attempt {@code attempt} (1 = the first retry). */
  long delayMs(int attempt) {
    int doublings = Math.min(Math.max(attempt - 1, 0), 30);
    long ceiling = Math.min(maxMs, initialMs << doublings);
    if (ceiling <= 0) {
      ceiling = maxMs;
    }
    // Between half and all of the ceiling: "equal jitter".
    return ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
  }
}

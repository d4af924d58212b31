package io.pgsearch.connect.sink.metrics;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counts of latencies by bucket, so that a reader taking two snapshots gets the percentiles of what
 * happened between them (a mean, or the last value, hides the slow tail).
 */
final class LatencyHistogram {
  /** The buckets' upper bounds in milliseconds, inclusive; one more bucket holds the rest. */
  static final long[] BOUNDS_MS = {
    5, 10, 25, 50, 75, 100, 150, 200, 300, 500, 750, 1_000, 1_500, 2_000, 5_000, 10_000, 30_000,
    60_000
  };

  private final AtomicLongArray counts = new AtomicLongArray(BOUNDS_MS.length + 1);

  void record(long ms) {
    counts.incrementAndGet(bucket(ms));
  }

  /** The bucket of a latency: the first whose bound is at least it, or the last. */
  static int bucket(long ms) {
    int found = Arrays.binarySearch(BOUNDS_MS, ms);
    return found >= 0 ? found : -found - 1;
  }

  /** The count of each bucket, in the order of {@link #BOUNDS_MS}, the unbounded one last. */
  long[] counts() {
    long[] copy = new long[counts.length()];
    for (int i = 0; i < copy.length; i++) {
      copy[i] = counts.get(i);
    }
    return copy;
  }
}

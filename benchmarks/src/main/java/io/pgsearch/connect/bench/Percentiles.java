package io.pgsearch.connect.bench;

import java.util.Arrays;

/**
 * Latency percentiles by the nearest-rank method: the p-th percentile is the smallest sample such
 * that at least p % of all samples are at most it. No interpolation, so every figure reported is a
 * latency that was actually measured.
 *
 * @param count how many samples
 * @param p50 median, in the samples' unit
 * @param p95 95th percentile
 * @param p99 99th percentile
 * @param max the largest sample
 */
public record Percentiles(int count, long p50, long p95, long p99, long max) {

  /** The percentiles of the samples; fails on an empty set, which has none. */
  public static Percentiles of(long[] samples) {
    if (samples.length == 0) {
      throw new IllegalArgumentException("No samples: percentiles of an empty set do not exist");
    }
    long[] sorted = samples.clone();
    Arrays.sort(sorted);
    return new Percentiles(
        sorted.length,
        rank(sorted, 50),
        rank(sorted, 95),
        rank(sorted, 99),
        sorted[sorted.length - 1]);
  }

  /** The nearest-rank percentile of sorted samples: the ceil(p / 100 × n)-th smallest. */
  static long rank(long[] sorted, double percentile) {
    if (percentile <= 0 || percentile > 100) {
      throw new IllegalArgumentException("A percentile is in (0, 100], not " + percentile);
    }
    int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
    return sorted[Math.max(rank, 1) - 1];
  }
}

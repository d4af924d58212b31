package io.pgsearch.connect.sink.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
  @Test
  void aLatencyCountsInTheFirstBucketWhoseBoundIsAtLeastIt() {
    LatencyHistogram histogram = new LatencyHistogram();
    histogram.record(0);
    histogram.record(5);
    histogram.record(6);
    histogram.record(150);
    histogram.record(60_000);
    histogram.record(60_001);

    long[] counts = histogram.counts();
    assertThat(counts).hasSize(LatencyHistogram.BOUNDS_MS.length + 1);
    assertThat(counts[0]).as("<= 5 ms").isEqualTo(2);
    assertThat(counts[1]).as("<= 10 ms").isEqualTo(1);
    assertThat(counts[LatencyHistogram.bucket(150)]).isEqualTo(1);
    assertThat(LatencyHistogram.BOUNDS_MS[LatencyHistogram.bucket(150)]).isEqualTo(150);
    assertThat(counts[LatencyHistogram.BOUNDS_MS.length - 1]).as("<= 60 s").isEqualTo(1);
    assertThat(counts[LatencyHistogram.BOUNDS_MS.length]).as("above every bound").isEqualTo(1);
  }
}

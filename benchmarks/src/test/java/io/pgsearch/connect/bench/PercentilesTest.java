package io.pgsearch.connect.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class PercentilesTest {
  @Test
  void nearestRankOnOneToHundred() {
    long[] samples = LongStream.rangeClosed(1, 100).toArray();
    // shuffled order must not matter
    long[] shuffled = new long[100];
    for (int i = 0; i < 100; i++) {
      shuffled[i] = samples[(i * 37) % 100];
    }
    Percentiles p = Percentiles.of(shuffled);
    assertThat(p.count()).isEqualTo(100);
    assertThat(p.p50()).isEqualTo(50);
    assertThat(p.p95()).isEqualTo(95);
    assertThat(p.p99()).isEqualTo(99);
    assertThat(p.max()).isEqualTo(100);
  }

  @Test
  void percentilesAreMeasuredValuesNotInterpolations() {
    Percentiles p = Percentiles.of(new long[] {10, 1000});
    assertThat(p.p50()).isEqualTo(10);
    assertThat(p.p95()).isEqualTo(1000);
    assertThat(p.p99()).isEqualTo(1000);
  }

  @Test
  void aSingleSampleIsEveryPercentile() {
    Percentiles p = Percentiles.of(new long[] {742});
    assertThat(p).isEqualTo(new Percentiles(1, 742, 742, 742, 742));
  }

  @Test
  void aTailOfOnePercentShowsInP99Only() {
    long[] samples = new long[1000];
    for (int i = 0; i < 1000; i++) {
      samples[i] = i < 989 ? 300 : 5000; // 11 slow ones: more than 1 %
    }
    Percentiles p = Percentiles.of(samples);
    assertThat(p.p95()).isEqualTo(300);
    assertThat(p.p99()).isEqualTo(5000);
    samples[989] = 300; // now exactly 10 slow ones: p99 is the 990th value, still fast
    assertThat(Percentiles.of(samples).p99()).isEqualTo(300);
  }

  @Test
  void theInputIsNotReordered() {
    long[] samples = {3, 1, 2};
    Percentiles.of(samples);
    assertThat(samples).containsExactly(3, 1, 2);
  }

  @Test
  void noSamplesHaveNoPercentiles() {
    assertThatThrownBy(() -> Percentiles.of(new long[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("No samples");
    assertThatThrownBy(() -> Percentiles.rank(new long[] {1}, 0)).hasMessageContaining("(0, 100]");
  }
}

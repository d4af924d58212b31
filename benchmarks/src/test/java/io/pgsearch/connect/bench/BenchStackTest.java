package io.pgsearch.connect.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BenchStackTest {
  @Test
  void anOptionThatNamesACollectorReplacesTheWorkersOwn() {
    assertThat(BenchStack.choosesCollector("-XX:+UseG1GC")).isTrue();
    assertThat(BenchStack.choosesCollector("-XX:+UseSerialGC")).isTrue();
    assertThat(BenchStack.choosesCollector(BenchStack.WORKER_GC)).isTrue();
    assertThat(BenchStack.choosesCollector("-XX:MaxGCPauseMillis=20")).isFalse();
    assertThat(BenchStack.choosesCollector("-XX:StartFlightRecording=filename=/tmp/w.jfr"))
        .isFalse();
  }
}

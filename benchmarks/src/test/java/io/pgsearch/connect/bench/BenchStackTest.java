package io.pgsearch.connect.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.coordinator.group.GroupCoordinatorConfig;
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

  @Test
  void theBrokerWaitsForMoreMembersAsKafkasOwnDefaultDoes() {
    assertThat(BenchStack.BROKER_SETTINGS)
        .containsExactly(
            Map.entry(
                GroupCoordinatorConfig.GROUP_INITIAL_REBALANCE_DELAY_MS_CONFIG,
                String.valueOf(GroupCoordinatorConfig.GROUP_INITIAL_REBALANCE_DELAY_MS_DEFAULT)));
  }
}

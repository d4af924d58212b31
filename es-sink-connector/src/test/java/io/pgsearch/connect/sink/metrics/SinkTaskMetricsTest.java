package io.pgsearch.connect.sink.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

class SinkTaskMetricsTest {
  @Test
  void changeLatenciesAddUpAndTheLastIsKept() {
    try (SinkTaskMetrics metrics = new SinkTaskMetrics("latency", "0")) {
      metrics.changeApplied(1_000, 1_250);
      metrics.changeApplied(2_000, 2_100);
      assertThat(metrics.getChangesTimed()).isEqualTo(2);
      assertThat(metrics.getChangeLatencyTotalMs()).isEqualTo(350);
      assertThat(metrics.getChangeLatencyLastMs()).isEqualTo(100);
      metrics.changeApplied(5_000, 4_000); // PostgreSQL's clock ahead of the worker's
      assertThat(metrics.getChangeLatencyLastMs()).isZero();
      assertThat(metrics.getChangeLatencyTotalMs()).isEqualTo(350);
      long[] buckets = metrics.getChangeLatencyBucketCounts();
      assertThat(buckets[LatencyHistogram.bucket(250)]).isEqualTo(1);
      assertThat(buckets[LatencyHistogram.bucket(100)]).isEqualTo(1);
      assertThat(buckets[0]).as("0 ms").isEqualTo(1);
      assertThat(metrics.getChangeLatencyBucketBoundsMs())
          .containsExactly(LatencyHistogram.BOUNDS_MS);
    }
  }

  @Test
  void bulkLatencyIsSummedForRates() {
    try (SinkTaskMetrics metrics = new SinkTaskMetrics("bulk", "0")) {
      metrics.bulkStarted();
      metrics.bulkFinished(30);
      metrics.bulkStarted();
      metrics.bulkFinished(50);
      assertThat(metrics.getBulkRequests()).isEqualTo(2);
      assertThat(metrics.getBulkLatencyTotalMs()).isEqualTo(80);
      assertThat(metrics.getBulkLatencyMaxMs()).isEqualTo(50);
    }
  }

  @Test
  void theNewAttributesAreReadableOverJmx() throws Exception {
    try (SinkTaskMetrics metrics = new SinkTaskMetrics("jmx", "3")) {
      metrics.changeApplied(0, 40);
      metrics.oldestBufferedAge(() -> 1_500);
      ObjectName name =
          new ObjectName("io.pgsearch.connect:type=sink-task-metrics,connector=\"jmx\",task=\"3\"");
      var server = ManagementFactory.getPlatformMBeanServer();
      assertThat(server.getAttribute(name, "ChangeLatencyLastMs")).isEqualTo(40L);
      assertThat(server.getAttribute(name, "ChangesTimed")).isEqualTo(1L);
      assertThat(server.getAttribute(name, "OldestBufferedRecordAgeMs")).isEqualTo(1_500L);
    }
  }
}

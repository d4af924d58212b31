package io.pgsearch.connect.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgsearch.connect.devstack.ConnectCluster;
import io.pgsearch.connect.devstack.DevStackExtension;
import io.pgsearch.connect.devstack.SearchNode;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Elasticsearch going away or pushing back never loses a record nor fails the task. */
@ExtendWith(DevStackExtension.class)
class ElasticsearchOutageIT {
  private static final Schema VALUE =
      SchemaBuilder.struct()
          .field("n", Schema.INT32_SCHEMA)
          .field("text", Schema.STRING_SCHEMA)
          .build();

  private static final long BYTE_LIMIT = 1024 * 1024;
  private static final int LARGE_RECORDS = 200;
  private static final String LARGE_TEXT = "x".repeat(40_000);

  @Test
  void elasticsearchStoppedForThirtySecondsMidStreamLosesNothing(ConnectCluster connect)
      throws Exception {
    try (SearchNode elasticsearch =
            SearchNode.builder().workDir(DevStackExtension.workDir()).heapMb(384).start();
        SinkHarness harness = new SinkHarness(connect, elasticsearch)) {
      String topic = "outage-" + System.nanoTime();
      harness.createTopic(topic, 2);
      Map<String, String> config = harness.sinkConfig(topic);
      config.put("retry.backoff.max.ms", "2000");
      // Below the 10,000 records produced while Elasticsearch is down: the task must pause its
      // partitions, and resume them once Elasticsearch is back.
      config.put("max.buffered.records", "1000");
      harness.startSink("outage", config);

      produce(harness, topic, 0, 10_000);
      harness.awaitCount(topic, 10_000, Duration.ofMinutes(2));

      elasticsearch.stopProcess();
      produce(harness, topic, 10_000, 20_000);
      Thread.sleep(30_000);
      assertThat(taskStates(connect, "outage")).isEqualTo("RUNNING");
      elasticsearch.startProcess();
      produce(harness, topic, 20_000, 30_000);

      harness.awaitCount(topic, 30_000, Duration.ofMinutes(3));
      assertThat(taskStates(connect, "outage")).isEqualTo("RUNNING");
      assertThat(metric("outage", "Retries")).isPositive();
      assertThat(metric("outage", "Pauses")).as("paused for backpressure").isPositive();
      harness.deleteSink("outage");
    }
  }

  /**
   * Large records: the buffer's bytes, counting each record's fields besides its document, pause
   * the task long before its record bound would, and nothing is lost once Elasticsearch is back.
   */
  @Test
  void aFewLargeRecordsPauseTheTaskByBytesAndAllAreIndexedAfterTheOutage(ConnectCluster connect)
      throws Exception {
    try (SearchNode elasticsearch =
            SearchNode.builder().workDir(DevStackExtension.workDir()).heapMb(384).start();
        SinkHarness harness = new SinkHarness(connect, elasticsearch)) {
      String topic = "bytes-" + System.nanoTime();
      harness.createTopic(topic, 1);
      Map<String, String> config = harness.sinkConfig(topic);
      config.put("retry.backoff.max.ms", "1000");
      config.put("max.buffered.records", "1000000");
      config.put("max.buffered.bytes", String.valueOf(BYTE_LIMIT));
      harness.startSink("bytes", config);
      produce(harness, topic, 0, 1, LARGE_TEXT);
      harness.awaitCount(topic, 1, Duration.ofMinutes(1));

      elasticsearch.stopProcess();
      produce(harness, topic, 1, LARGE_RECORDS, LARGE_TEXT);
      await().atMost(Duration.ofMinutes(2)).until(() -> metric("bytes", "Pauses") > 0);
      long records = metric("bytes", "BufferedRecords");
      long bytes = metric("bytes", "BufferedBytes");
      assertThat(records).as("paused by bytes, not records").isBetween(1L, LARGE_RECORDS - 2L);
      assertThat(bytes).isGreaterThan(BYTE_LIMIT);
      assertThat(bytes / records)
          .as("each record counts its fields (as large as its document) besides its document")
          .isGreaterThan(3L * LARGE_TEXT.length() / 2);
      assertThat(taskStates(connect, "bytes")).isEqualTo("RUNNING");

      elasticsearch.startProcess();
      harness.awaitCount(topic, LARGE_RECORDS, Duration.ofMinutes(3));
      assertThat(harness.source(topic, String.valueOf(LARGE_RECORDS - 1)).path("text").asText())
          .isEqualTo(LARGE_TEXT);
      await().atMost(Duration.ofMinutes(1)).until(() -> metric("bytes", "BufferedBytes") == 0);
      assertThat(taskStates(connect, "bytes")).isEqualTo("RUNNING");
      harness.deleteSink("bytes");
    }
  }

  @Test
  void aTaskPausedForBackpressureResumesEveryPartitionItKeepsAfterARebalance(
      ConnectCluster connect, SearchNode elasticsearch) {
    try (SinkHarness harness = new SinkHarness(connect, elasticsearch)) {
      String topic = "paused-" + System.nanoTime();
      harness.createTopic(topic, 4);
      produce(harness, topic, 0, 8_000);
      Map<String, String> config = harness.sinkConfig(topic);
      // A tiny buffer: the first task, alone with all four partitions, pauses them whenever
      // Elasticsearch lags; the rebalance that brings the second task takes some away. Every
      // partition must flow again (BackpressureTest pins the pause across a rebalance).
      config.put("tasks.max", "2");
      config.put("max.buffered.records", "50");
      config.put("batch.size", "20");
      harness.startSink("paused", config);

      harness.awaitCount(topic, 8_000, Duration.ofMinutes(3));
      assertThat(taskStates(connect, "paused")).isEqualTo("RUNNING");
      harness.deleteSink("paused");
    }
  }

  private static void produce(SinkHarness harness, String topic, int from, int to) {
    produce(harness, topic, from, to, null);
  }

  /** Rows {@code from} to {@code to}, each with {@code text} or else "row n". */
  private static void produce(SinkHarness harness, String topic, int from, int to, String text) {
    for (int n = from; n < to; n++) {
      harness.send(
          topic,
          Schema.INT32_SCHEMA,
          n,
          VALUE,
          new Struct(VALUE).put("n", n).put("text", text == null ? "row " + n : text),
          null);
    }
    harness.flush();
  }

  private static String taskStates(ConnectCluster connect, String name) {
    var status = connect.rest().get("/connectors/" + name + "/status").body();
    StringBuilder states = new StringBuilder();
    status.path("tasks").forEach(task -> states.append(task.path("state").asText()).append(' '));
    String distinct = states.toString().trim().replaceAll("(RUNNING ?)+", "RUNNING").trim();
    return distinct;
  }

  private static long metric(String connector, String attribute) throws Exception {
    return SinkHarness.taskMetric(connector, 0, attribute).longValue();
  }
}

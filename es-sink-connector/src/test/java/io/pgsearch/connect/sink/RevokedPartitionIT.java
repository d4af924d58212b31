package io.pgsearch.connect.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgsearch.connect.devstack.DevStackExtension;
import io.pgsearch.connect.devstack.SearchNode;
import io.pgsearch.connect.transforms.PgsearchHeaders;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.junit.jupiter.api.Test;

/**
 * A partition taken from a task while one of its writes is in flight: the task that lost it must
 * not write that record again later, whatever the write's outcome. FaultToleranceIT seed {@code
 * 42412818208351} left documents of deleted rows in the index: the old owner retried a failed write
 * of an older version after the new owner had applied the row's delete, and Elasticsearch,
 * restarted in between, no longer knew the delete's version.
 *
 * <p>Two real tasks write to a real node, driven here in the order a rebalance gives (Connect's
 * consumer group is not needed to take a partition from a task: {@code close} is what it calls).
 * The first task writes through {@link HoldingProxy}, which keeps its bulk request in flight and
 * then breaks it.
 */
class RevokedPartitionIT {
  private static final Schema VALUE =
      SchemaBuilder.struct().field("name", Schema.STRING_SCHEMA).build();
  private static final String INDEX = "revoked-" + System.nanoTime();
  private static final TopicPartition PARTITION = new TopicPartition(INDEX, 0);

  @Test
  void aWriteInFlightWhenItsPartitionWasRevokedNeverLandsAfterTheNewOwnersDelete()
      throws Exception {
    try (SearchNode elasticsearch =
            SearchNode.builder().workDir(DevStackExtension.workDir()).heapMb(384).start();
        HoldingProxy proxy = new HoldingProxy("127.0.0.1", elasticsearch.httpPort())) {
      ElasticsearchSinkTask old = task("revoked-old", proxy.url());
      ElasticsearchSinkTask owner = null;
      try {
        old.open(List.of(PARTITION));
        old.put(List.of(index(0, 10, "first")));
        await().atMost(Duration.ofMinutes(1)).until(() -> version(elasticsearch) == 10);

        proxy.holdBulks();
        old.put(List.of(index(1, 11, "second")));
        await().atMost(Duration.ofMinutes(1)).until(() -> proxy.heldRequests() == 1);
        old.close(List.of(PARTITION)); // a rebalance takes the partition while the write waits

        // The new owner consumes from the last commit (offset 1): the write, then the row's delete.
        owner = task("revoked-owner", elasticsearch.url());
        owner.open(List.of(PARTITION));
        owner.put(List.of(index(1, 11, "second"), delete(2, 12)));
        ElasticsearchSinkTask newOwner = owner;
        await()
            .atMost(Duration.ofMinutes(1))
            .until(
                () ->
                    newOwner
                        .preCommit(Map.of(PARTITION, new OffsetAndMetadata(3)))
                        .equals(Map.of(PARTITION, new OffsetAndMetadata(3))));
        assertThat(version(elasticsearch)).as("deleted").isEqualTo(-1);

        // Elasticsearch restarts: it forgets the versions of deleted documents.
        assertThat(elasticsearch.request("POST", "/" + INDEX + "/_flush", null).status())
            .isEqualTo(200);
        elasticsearch.stopProcess();
        elasticsearch.startProcess();
        assertThat(
                elasticsearch
                    .request(
                        "GET",
                        "/_cluster/health/" + INDEX + "?wait_for_status=yellow&timeout=60s",
                        null)
                    .status())
            .isEqualTo(200);

        proxy.breakHeld(); // the old owner's write fails now, after it lost the partition
        await()
            .atMost(Duration.ofMinutes(2))
            .until(() -> metric("revoked-old", "BufferedRecords") == 0);
        assertThat(version(elasticsearch)).as("still deleted").isEqualTo(-1);
        assertThat(elasticsearch.refreshedCount(INDEX)).isZero();
        assertThat(metric("revoked-old", "Retries")).as("never retried").isZero();
      } finally {
        old.stop();
        if (owner != null) {
          owner.stop();
        }
      }
    }
  }

  private static ElasticsearchSinkTask task(String name, String url) {
    Map<String, String> config = new HashMap<>();
    config.put("name", name);
    config.put("connection.url", url);
    config.put("retry.backoff.ms", "50");
    config.put("retry.backoff.max.ms", "200");
    ElasticsearchSinkTask task = new ElasticsearchSinkTask();
    task.initialize(new Context(config));
    task.start(config);
    return task;
  }

  private static SinkRecord index(long offset, long version, String name) {
    return record(offset, version, VALUE, new Struct(VALUE).put("name", name));
  }

  private static SinkRecord delete(long offset, long version) {
    return record(offset, version, null, null);
  }

  private static SinkRecord record(long offset, long version, Schema schema, Object value) {
    SinkRecord record =
        new SinkRecord(INDEX, 0, Schema.STRING_SCHEMA, "row-1", schema, value, offset);
    record.headers().addString(PgsearchHeaders.LSN, Long.toString(version));
    return record;
  }

  /** The version of the row's document, or -1 when there is none. */
  private static long version(SearchNode elasticsearch) throws Exception {
    SearchNode.Response response =
        elasticsearch.request("GET", "/" + INDEX + "/_doc/row-1?realtime=true", null);
    if (response.status() == 404) {
      return -1;
    }
    if (response.status() != 200) {
      throw new IllegalStateException("GET of the document answered " + response.status());
    }
    JsonNode document = SinkHarness.json(response.body());
    return document.path("found").asBoolean() ? document.path("_version").asLong() : -1;
  }

  private static long metric(String connector, String attribute) throws Exception {
    return SinkHarness.taskMetric(connector, 0, attribute).longValue();
  }

  /** What Connect gives a task, for a task driven by a test: one partition, nothing paused. */
  private record Context(Map<String, String> configs) implements SinkTaskContext {
    @Override
    public void offset(Map<TopicPartition, Long> offsets) {}

    @Override
    public void offset(TopicPartition partition, long offset) {}

    @Override
    public void timeout(long timeoutMs) {}

    @Override
    public Set<TopicPartition> assignment() {
      return Set.of(PARTITION);
    }

    @Override
    public void pause(TopicPartition... partitions) {}

    @Override
    public void resume(TopicPartition... partitions) {}

    @Override
    public void requestCommit() {}

    @Override
    public PluginMetrics pluginMetrics() {
      return null;
    }
  }
}

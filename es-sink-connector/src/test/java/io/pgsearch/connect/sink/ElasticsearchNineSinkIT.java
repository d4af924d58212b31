package io.pgsearch.connect.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsearch.connect.devstack.ConnectCluster;
import io.pgsearch.connect.devstack.DevStackExtension;
import io.pgsearch.connect.devstack.ElasticsearchNode;
import io.pgsearch.connect.devstack.ElasticsearchOptions;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.time.Duration;
import javax.management.ObjectName;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The same client and writes work against Elasticsearch 9. */
@ExtendWith(DevStackExtension.class)
class ElasticsearchNineSinkIT {

  @Test
  void indexesUpdatesAndDeletesWithVersionsOnElasticsearch9(
      ConnectCluster connect, @ElasticsearchOptions(major = 9) ElasticsearchNode elasticsearch)
      throws Exception {
    assertThat(elasticsearch.version()).startsWith("9.");
    try (SinkHarness harness = new SinkHarness(connect, elasticsearch)) {
      String topic = "nine-" + System.nanoTime();
      harness.createTopic(topic, 1);
      Schema value =
          SchemaBuilder.struct()
              .field("name", Schema.STRING_SCHEMA)
              .field("price", Decimal.schema(2))
              .build();
      for (int n = 0; n < 1_000; n++) {
        harness.send(topic, Schema.INT32_SCHEMA, n, value, row(value, "v1", n), 10L * n + 1);
      }
      harness.send(topic, Schema.INT32_SCHEMA, 7, value, row(value, "v2", 7), 100_000L);
      harness.send(topic, Schema.INT32_SCHEMA, 8, value, null, 100_001L);
      harness.flush();
      harness.startSink("nine", harness.sinkConfig(topic));

      harness.awaitCount(topic, 999, Duration.ofMinutes(2));
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofMinutes(1))
          .untilAsserted(
              () -> assertThat(harness.source(topic, "7").path("name").asText()).isEqualTo("v2"));
      assertThat(harness.source(topic, "7").path("price").toString()).isEqualTo("7.00");
      assertThat(harness.source(topic, "8")).isNull();

      // A stale write of document 7, sent once v2 is indexed: nothing in the sink's queue can
      // absorb it, so Elasticsearch 9 itself must refuse it as a version conflict.
      harness.send(topic, Schema.INT32_SCHEMA, 7, value, row(value, "stale", 7), 99_999L);
      harness.send(
          topic, Schema.INT32_SCHEMA, 9, value, row(value, "after the stale", 9), 100_002L);
      harness.flush();
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofMinutes(1))
          .untilAsserted(
              () ->
                  assertThat(harness.source(topic, "9").path("name").asText())
                      .isEqualTo("after the stale"));
      assertThat(harness.source(topic, "7").path("name").asText()).isEqualTo("v2");
      assertThat(
              ManagementFactory.getPlatformMBeanServer()
                  .getAttribute(
                      new ObjectName(
                          "io.pgsearch.connect:type=sink-task-metrics,connector=\"nine\",task=\"0\""),
                      "VersionConflicts"))
          .as("the stale write reached Elasticsearch and was refused")
          .isEqualTo(1L);
      harness.deleteSink("nine");
    }
  }

  private static Struct row(Schema schema, String name, int n) {
    return new Struct(schema).put("name", name).put("price", new BigDecimal(n).setScale(2));
  }
}

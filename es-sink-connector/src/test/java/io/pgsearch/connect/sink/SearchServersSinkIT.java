package io.pgsearch.connect.sink;

import static io.pgsearch.connect.sink.SinkHarness.header;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgsearch.connect.devstack.ConnectCluster;
import io.pgsearch.connect.devstack.DevStackExtension;
import io.pgsearch.connect.devstack.SearchDistribution;
import io.pgsearch.connect.devstack.SearchNode;
import io.pgsearch.connect.devstack.SearchNodes;
import io.pgsearch.connect.devstack.Secrets;
import io.pgsearch.connect.transforms.PgsearchHeaders;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The sink's promises on each server it supports, Elasticsearch 8 and 9 and OpenSearch 2 and 3,
 * through the same code: index, update and delete with external versions, a stale write refused by
 * the server itself, inferred mappings, a mapping conflict reported to the dead letter queue, and
 * rejections (429) retried until every record is indexed. Truncates: {@link TruncateIT}.
 */
@ExtendWith(DevStackExtension.class)
class SearchServersSinkIT {
  private static final Schema ROW =
      SchemaBuilder.struct()
          .field("name", Schema.STRING_SCHEMA)
          .field("price", Decimal.schema(2))
          .build();

  @ParameterizedTest(name = "{0}")
  @EnumSource(SearchDistribution.class)
  void writesUpdatesAndDeletesAndTheServerRefusesAStaleWrite(
      SearchDistribution server, ConnectCluster connect, SearchNodes nodes) throws Exception {
    SearchNode node = nodes.get(server);
    assertThat(node.distribution()).isEqualTo(server);
    String name = "servers-" + server.optionValue();
    try (SinkHarness harness = new SinkHarness(connect, node)) {
      String topic = name + "-" + System.nanoTime();
      harness.createTopic(topic, 1);
      for (int n = 0; n < 1_000; n++) {
        harness.send(topic, Schema.INT32_SCHEMA, n, ROW, row("v1", n), 10L * n + 1);
      }
      harness.send(topic, Schema.INT32_SCHEMA, 7, ROW, row("v2", 7), 100_000L);
      harness.send(topic, Schema.INT32_SCHEMA, 8, ROW, null, 100_001L);
      harness.flush();
      harness.startSink(name, harness.sinkConfig(topic));

      harness.awaitCount(topic, 999, Duration.ofMinutes(2));
      Awaitility.await()
          .atMost(Duration.ofMinutes(1))
          .untilAsserted(
              () -> assertThat(harness.source(topic, "7").path("name").asText()).isEqualTo("v2"));
      assertThat(harness.source(topic, "7").path("price").toString()).isEqualTo("7.00");
      assertThat(harness.source(topic, "8")).isNull();
      assertThat(document(node, topic, "7").path("_version").asLong()).isEqualTo(100_000L);
      // The index is the first generation behind an alias of the name, which takes the writes.
      JsonNode alias =
          SinkHarness.json(node.request("GET", "/_alias/" + topic, null).body())
              .path(topic + "-000001")
              .path("aliases")
              .path(topic);
      assertThat(alias.path("is_write_index").asBoolean()).as(alias.toString()).isTrue();
      JsonNode price = SinkHarness.json(node.mappings(topic)).path("properties").path("price");
      assertThat(price.path("type").asText()).isEqualTo("double");
      assertThat(price.path("fields").path("exact").path("type").asText()).isEqualTo("keyword");

      // A stale write of document 7, sent once v2 is indexed: nothing in the sink's queue can
      // absorb it, so the server itself must refuse it as a version conflict.
      harness.send(topic, Schema.INT32_SCHEMA, 7, ROW, row("stale", 7), 99_999L);
      harness.send(topic, Schema.INT32_SCHEMA, 9, ROW, row("after the stale", 9), 100_002L);
      harness.flush();
      Awaitility.await()
          .atMost(Duration.ofMinutes(1))
          .untilAsserted(
              () ->
                  assertThat(harness.source(topic, "9").path("name").asText())
                      .isEqualTo("after the stale"));
      assertThat(harness.source(topic, "7").path("name").asText()).isEqualTo("v2");
      assertThat(metric(name, 0, "VersionConflicts"))
          .as("the stale write reached the server and was refused")
          .isEqualTo(1L);
      assertThat(connect.rest().get("/connectors/" + name + "/status").body().toString())
          .doesNotContain("FAILED");
      harness.deleteSink(name);
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(SearchDistribution.class)
  void aRecordThatConflictsWithTheMappingGoesToTheDeadLetterQueueAndTheOthersAreIndexed(
      SearchDistribution server, ConnectCluster connect, SearchNodes nodes) {
    SearchNode node = nodes.get(server);
    String name = "conflict-" + server.optionValue();
    try (SinkHarness harness = new SinkHarness(connect, node)) {
      String topic = name + "-" + System.nanoTime();
      String dlq = topic + "-dlq";
      harness.createTopic(topic, 1);
      harness.createTopic(dlq, 1);
      assertThat(
              node.request(
                      "PUT",
                      "/" + topic,
                      "{\"mappings\":{\"properties\":{\"price\":{\"type\":\"long\"}}}}")
                  .status())
          .isEqualTo(200);
      for (int i = 0; i < 10; i++) {
        String price = i == 4 ? "\"not a number\"" : Integer.toString(i * 10);
        harness.sendRaw(topic, "\"k" + i + "\"", "{\"id\":" + i + ",\"price\":" + price + "}");
      }
      harness.flush();
      harness.startSink(name, SinkHarness.withDeadLetterQueue(harness.rawSinkConfig(topic), dlq));

      harness.awaitCount(topic, 9, Duration.ofMinutes(1));
      List<ConsumerRecord<byte[], byte[]>> dead = harness.deadLetters(dlq, 1);
      assertThat(dead).hasSize(1);
      ConsumerRecord<byte[], byte[]> record = dead.get(0);
      assertThat(new String(record.value(), StandardCharsets.UTF_8)).contains("not a number");
      assertThat(header(record, "__connect.errors.topic")).isEqualTo(topic);
      assertThat(header(record, "__connect.errors.offset")).isEqualTo("4");
      // Elasticsearch names it document_parsing_exception; OpenSearch kept the older name.
      assertThat(header(record, PgsearchHeaders.ERROR_TYPE))
          .isEqualTo(
              server.isOpenSearch() ? "mapper_parsing_exception" : "document_parsing_exception");
      assertThat(header(record, PgsearchHeaders.ERROR_REASON))
          .contains("price")
          .doesNotContain("not a number");
      assertThat(connect.rest().get("/connectors/" + name + "/status").body().toString())
          .doesNotContain("FAILED");
      harness.deleteSink(name);
    }
  }

  /**
   * TLS with the node's CA and basic auth as a user with only the writer role: validation passes
   * and names a wrong password on its key, and every record is indexed and deleted. Not on
   * OpenSearch 3: its security plugin cannot be installed from Maven Central ({@code
   * OpenSearchSecurity}).
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(
      value = SearchDistribution.class,
      names = "OPENSEARCH_3",
      mode = EnumSource.Mode.EXCLUDE)
  void writesOverTlsWithBasicAuth(
      SearchDistribution server, ConnectCluster connect, SearchNodes nodes) {
    SearchNode node = nodes.secured(server);
    assertThat(node.url()).startsWith("https://");
    String name = "secured-" + server.optionValue();
    try (SinkHarness harness = new SinkHarness(connect, node)) {
      String topic = name + "-" + System.nanoTime();
      harness.createTopic(topic, 1);
      for (int n = 0; n < 500; n++) {
        harness.send(topic, Schema.INT32_SCHEMA, n, ROW, row("tls", n), n + 1L);
      }
      for (int n = 0; n < 100; n++) {
        harness.send(topic, Schema.INT32_SCHEMA, n, ROW, null, 1_000L + n);
      }
      harness.flush();
      Map<String, String> config = harness.sinkConfig(topic);
      assertThat(config).containsEntry("connection.username", node.writerUser());
      assertThat(
              SecuredElasticsearchSinkIT.errors(
                  SecuredElasticsearchSinkIT.validate(connect, config)))
          .isEmpty();
      Map<String, String> wrong = new java.util.HashMap<>(config);
      wrong.put("connection.password", Secrets.remember("wrong-" + System.nanoTime()));
      assertThat(
              SecuredElasticsearchSinkIT.errors(
                  SecuredElasticsearchSinkIT.validate(connect, wrong), "connection.password"))
          .singleElement()
          .asString()
          .contains("HTTP 401");

      harness.startSink(name, config);
      harness.awaitCount(topic, 400, Duration.ofMinutes(2));
      assertThat(harness.source(topic, "99")).isNull();
      assertThat(harness.source(topic, "100").path("name").asText()).isEqualTo("tls");
      assertThat(connect.rest().get("/connectors/" + name + "/status").body().toString())
          .doesNotContain("FAILED");
      harness.deleteSink(name);
    }
  }

  /**
   * A node with one write thread and a queue of one rejects shard writes with 429 under four tasks'
   * concurrent bulk requests; every rejected item is retried until all are indexed.
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(SearchDistribution.class)
  void rejectionsAreRetriedUntilEveryRecordIsIndexed(
      SearchDistribution server, ConnectCluster connect) throws Exception {
    String name = "rejected-" + server.optionValue();
    try (SearchNode node =
            SearchNode.builder()
                .distribution(server)
                .workDir(DevStackExtension.workDir())
                .heapMb(384)
                .setting("thread_pool.write.size", "1")
                .setting("thread_pool.write.queue_size", "1")
                .start();
        SinkHarness harness = new SinkHarness(connect, node)) {
      String topic = name + "-" + System.nanoTime();
      harness.createTopic(topic, 4);
      assertThat(
              node.request(
                      "PUT",
                      "/" + topic,
                      "{\"settings\":{\"number_of_shards\":4,\"number_of_replicas\":0}}")
                  .status())
          .isEqualTo(200);
      for (int n = 0; n < 40_000; n++) {
        harness.send(topic, Schema.INT32_SCHEMA, n, ROW, row("r", n), n + 1L);
      }
      harness.flush();
      Map<String, String> config = harness.sinkConfig(topic);
      config.put("tasks.max", "4");
      config.put("batch.size", "200");
      config.put("max.in.flight.requests", "10");
      config.put("retry.backoff.ms", "10");
      config.put("retry.backoff.max.ms", "500");
      harness.startSink(name, config);

      harness.awaitCount(topic, 40_000, Duration.ofMinutes(5));
      long retries = 0;
      for (int task = 0; task < 4; task++) {
        retries += metric(name, task, "Retries");
      }
      assertThat(retries).as("items rejected with 429 and retried").isPositive();
      assertThat(connect.rest().get("/connectors/" + name + "/status").body().toString())
          .doesNotContain("FAILED");
      harness.deleteSink(name);
    }
  }

  private static JsonNode document(SearchNode node, String index, String id) {
    return SinkHarness.json(node.request("GET", "/" + index + "/_doc/" + id, null).body());
  }

  private static long metric(String connector, int task, String attribute) throws Exception {
    return SinkHarness.taskMetric(connector, task, attribute).longValue();
  }

  private static Struct row(String name, int n) {
    return new Struct(ROW).put("name", name).put("price", new BigDecimal(n).setScale(2));
  }
}

package io.pgsearch.connect.sink;

import static io.pgsearch.connect.sink.SinkHarness.header;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgsearch.connect.devstack.ConnectCluster;
import io.pgsearch.connect.devstack.DevStackExtension;
import io.pgsearch.connect.devstack.LogCapture;
import io.pgsearch.connect.devstack.SearchNode;
import io.pgsearch.connect.transforms.PgsearchHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Records that can never be indexed, through the real pipeline: each goes to the dead letter queue
 * with the reason while the records around it are indexed; without tolerance the task fails naming
 * the record, and nothing after it is lost once the cause is fixed. No log line carries a value of
 * a rejected record.
 */
@ExtendWith(DevStackExtension.class)
class PoisonRecordsIT {
  private final ConnectCluster connect;
  private final SearchNode elasticsearch;
  private SinkHarness harness;
  private LogCapture log;

  PoisonRecordsIT(ConnectCluster connect, SearchNode elasticsearch) {
    this.connect = connect;
    this.elasticsearch = elasticsearch;
  }

  @BeforeEach
  void start() {
    harness = new SinkHarness(connect, elasticsearch);
    log = LogCapture.all();
  }

  @AfterEach
  void stop() {
    log.close();
    harness.close();
  }

  /**
   * A poison record: its key, its value bytes, whether it is marked partial, and what the DLQ
   * record must say.
   */
  private record Poison(String name, String key, byte[] value, boolean partial, String errorType) {
    Poison(String name, String key, byte[] value, String errorType) {
      this(name, key, value, false, errorType);
    }
  }

  private static Poison poison(String name, String key, String json, String errorType) {
    return new Poison(name, key, json.getBytes(StandardCharsets.UTF_8), errorType);
  }

  @Test
  void eachPoisonRecordGoesToTheDeadLetterQueueWithItsReasonAndTheOthersAreIndexed() {
    String topic = "poison-" + System.nanoTime();
    String dlq = topic + "-dlq";
    String secret = "POISONVALUE" + System.nanoTime();
    harness.createTopic(topic, 1);
    harness.createTopic(dlq, 1);
    assertThat(
            elasticsearch
                .request(
                    "PUT",
                    "/" + topic,
                    "{\"settings\":{\"index.mapping.total_fields.limit\":30},"
                        + "\"mappings\":{\"properties\":{\"price\":{\"type\":\"long\"},"
                        + "\"tag\":{\"type\":\"keyword\"}}}}")
                .status())
        .isEqualTo(200);
    StringBuilder manyFields = new StringBuilder("{\"id\":4");
    for (int f = 0; f < 40; f++) {
      manyFields.append(",\"f").append(f).append("\":\"").append(secret).append('"');
    }
    manyFields.append('}');
    byte[] invalidUtf8 =
        concat(
            "{\"id\":5,\"name\":\"".getBytes(StandardCharsets.UTF_8),
            new byte[] {(byte) 0xC3, (byte) 0x28},
            "\"}".getBytes(StandardCharsets.UTF_8));
    List<Poison> poisons =
        List.of(
            poison(
                "mapping conflict",
                "p1",
                "{\"id\":1,\"price\":\"" + secret + "\"}",
                "document_parsing_exception"),
            poison("value not a map", "p2", "\"" + secret + "\"", "document_error"),
            poison(
                "no key, no id", null, "{\"id\":3,\"note\":\"" + secret + "\"}", "document_error"),
            poison("too many fields", "p4", manyFields.toString(), null),
            new Poison("invalid UTF-8", "p5", invalidUtf8, null),
            poison("empty field name", "p6", "{\"\":\"" + secret + "\"}", null),
            poison("_id field", "p7", "{\"_id\":\"" + secret + "\"}", null),
            poison("dot field name", "p8", "{\".\":\"" + secret + "\"}", null),
            poison(
                "keyword over 32766 bytes",
                "p9",
                "{\"id\":9,\"tag\":\"" + secret.repeat(40_000 / secret.length() + 1) + "\"}",
                "document_parsing_exception"),
            // A partial update (unchanged TOAST left out) of a document the index does not hold:
            // it was counted as a version conflict and lost; it is reported.
            new Poison(
                "partial update of a missing document",
                "p10",
                ("{\"id\":10,\"note\":\"" + secret + "\"}").getBytes(StandardCharsets.UTF_8),
                true,
                "document_missing_exception"));
    // Offsets: good g0, poison, good g1, poison, ... good g8.
    Map<Long, Poison> poisonAt = new LinkedHashMap<>();
    long offset = 0;
    List<String> good = new ArrayList<>();
    for (Poison p : poisons) {
      good.add(sendGood(topic, good.size()));
      offset++;
      harness.sendBytes(
          topic,
          p.key() == null ? null : p.key().getBytes(StandardCharsets.UTF_8),
          p.value(),
          p.partial() ? Map.of("pgsearch.partial", "true") : Map.of());
      poisonAt.put(offset++, p);
    }
    good.add(sendGood(topic, good.size()));
    harness.flush();

    Map<String, String> config = SinkHarness.withDeadLetterQueue(harness.rawSinkConfig(topic), dlq);
    harness.startSink("poison", config);

    harness.awaitCount(topic, good.size(), Duration.ofMinutes(1));
    assertThat(harness.sources(topic, good)).containsOnlyKeys(good);
    List<ConsumerRecord<byte[], byte[]>> dead = harness.deadLetters(dlq, poisons.size());
    Map<Long, ConsumerRecord<byte[], byte[]>> deadAt = new HashMap<>();
    dead.forEach(r -> deadAt.put(Long.parseLong(header(r, "__connect.errors.offset")), r));
    assertThat(deadAt).containsOnlyKeys(poisonAt.keySet());
    poisonAt.forEach(
        (at, p) -> {
          ConsumerRecord<byte[], byte[]> record = deadAt.get(at);
          assertThat(header(record, "__connect.errors.topic")).as(p.name()).isEqualTo(topic);
          if (p.name().equals("invalid UTF-8")) {
            // The converter fails before the sink sees it: the bytes as they were, and only
            // Connect's own error headers.
            assertThat(record.value()).isEqualTo(p.value());
            assertThat(header(record, "__connect.errors.stage")).isEqualTo("VALUE_CONVERTER");
            assertThat(record.headers().lastHeader(PgsearchHeaders.ERROR_TYPE)).isNull();
          } else {
            // The sink reports the converted record: the DLQ holds it converted back to JSON.
            assertThat(SinkHarness.json(new String(record.value(), StandardCharsets.UTF_8)))
                .as(p.name())
                .isEqualTo(SinkHarness.json(new String(p.value(), StandardCharsets.UTF_8)));
            assertThat(header(record, PgsearchHeaders.ERROR_TYPE)).as(p.name()).isNotBlank();
            assertThat(header(record, PgsearchHeaders.ERROR_REASON)).as(p.name()).isNotBlank();
            if (p.errorType() != null) {
              assertThat(header(record, PgsearchHeaders.ERROR_TYPE))
                  .as(p.name())
                  .isEqualTo(p.errorType());
            }
            assertThat(header(record, PgsearchHeaders.ERROR_REASON))
                .as(p.name() + ": the reason quotes no value")
                .doesNotContain(secret)
                .doesNotContain("Preview of field's value")
                .doesNotContain("prefix of the first immense term");
          }
        });
    assertThat(connect.rest().get("/connectors/poison/status").body().toString())
        .doesNotContain("FAILED");
    assertThat(log.lines()).noneMatch(line -> line.contains(secret));
    harness.deleteSink("poison");
  }

  @Test
  void withoutToleranceTheTaskFailsNamingTheRecordAndResumesWithNothingLostOnceFixed() {
    String topic = "strict-" + System.nanoTime();
    String secret = "STRICTVALUE" + System.nanoTime();
    harness.createTopic(topic, 1);
    assertThat(
            elasticsearch
                .request(
                    "PUT",
                    "/" + topic,
                    "{\"mappings\":{\"dynamic\":\"strict\","
                        + "\"properties\":{\"id\":{\"type\":\"long\"}}}}")
                .status())
        .isEqualTo(200);
    for (int i = 0; i < 10; i++) {
      String extra = i == 5 ? ",\"extra\":\"" + secret + "\"" : "";
      harness.sendRaw(topic, "k" + i, "{\"id\":" + i + extra + "}");
    }
    harness.flush();
    Map<String, String> config = harness.rawSinkConfig(topic);
    connect.rest().createConnector("strict", config);

    Awaitility.await()
        .atMost(Duration.ofMinutes(1))
        .until(() -> taskState("strict").path("state").asText().equals("FAILED"));
    String trace = taskState("strict").path("trace").asText();
    assertThat(trace)
        .contains(topic + "-0@5", "strict_dynamic_mapping_exception", "dead letter queue")
        .doesNotContain(secret);

    // The fix: the mapping gets the field. The task resumes from the failed record.
    assertThat(
            elasticsearch
                .request(
                    "PUT",
                    "/" + topic + "/_mapping",
                    "{\"properties\":{\"extra\":{\"type\":\"keyword\"}}}")
                .status())
        .isEqualTo(200);
    connect.rest().post("/connectors/strict/tasks/0/restart", null);
    harness.awaitCount(topic, 10, Duration.ofMinutes(1));
    JsonNode fixed = harness.source(topic, "k5");
    assertThat(fixed.path("extra").asText()).isEqualTo(secret);
    assertThat(taskState("strict").path("state").asText()).isEqualTo("RUNNING");
    assertThat(log.lines()).noneMatch(line -> line.contains(secret));
    harness.deleteSink("strict");
  }

  /**
   * A dedicated node whose {@code http.max_content_length} is tiny: a bulk request over it gets
   * HTTP 413. The documents in it are sent again one per request; the one document too large on its
   * own goes to the dead letter queue, and the pipeline goes on.
   */
  @Test
  void aDocumentOverElasticsearchsRequestLimitGoesToTheDeadLetterQueueAndTheOthersAreIndexed() {
    try (SearchNode small =
            SearchNode.builder()
                .workDir(DevStackExtension.workDir())
                .heapMb(256)
                .setting("http.max_content_length", "4kb")
                .start();
        SinkHarness tiny = new SinkHarness(connect, small)) {
      String topic = "huge-" + System.nanoTime();
      String dlq = topic + "-dlq";
      tiny.createTopic(topic, 1);
      tiny.createTopic(dlq, 1);
      String padding = "x".repeat(100);
      for (int i = 0; i < 60; i++) {
        String text = i == 30 ? "y".repeat(8_000) : padding;
        tiny.sendRaw(topic, "k" + i, "{\"id\":" + i + ",\"text\":\"" + text + "\"}");
      }
      tiny.flush();
      Map<String, String> config = SinkHarness.withDeadLetterQueue(tiny.rawSinkConfig(topic), dlq);
      tiny.startSink("huge", config);

      tiny.awaitCount(topic, 59, Duration.ofMinutes(2));
      assertThat(tiny.source(topic, "k30")).isNull();
      List<ConsumerRecord<byte[], byte[]>> dead = tiny.deadLetters(dlq, 1);
      assertThat(dead).hasSize(1);
      assertThat(header(dead.get(0), "__connect.errors.offset")).isEqualTo("30");
      assertThat(header(dead.get(0), PgsearchHeaders.ERROR_TYPE)).isEqualTo("request_too_large");
      assertThat(connect.rest().get("/connectors/huge/status").body().toString())
          .doesNotContain("FAILED");
      tiny.deleteSink("huge");
    }
  }

  /**
   * Writes Elasticsearch refuses until someone acts (a closed index, a write block answered with
   * 403) are retried with a warning, never sent to the dead letter queue one by one, and the task
   * stays RUNNING; once the index is opened or unblocked, every record is indexed.
   */
  @Test
  void refusedWritesAreRetriedNotDeadLetteredAndCatchUpOnceFixed() {
    String topic = "refused-" + System.nanoTime();
    String dlq = topic + "-dlq";
    harness.createTopic(topic, 1);
    harness.createTopic(dlq, 1);
    assertThat(elasticsearch.request("PUT", "/" + topic, "{}").status()).isEqualTo(200);
    assertThat(elasticsearch.request("POST", "/" + topic + "/_close", null).status())
        .isEqualTo(200);
    for (int i = 0; i < 20; i++) {
      sendGood(topic, i);
    }
    harness.flush();
    harness.startSink(
        "refused", SinkHarness.withDeadLetterQueue(harness.rawSinkConfig(topic), dlq));

    awaitRefusalWarning("index_closed_exception");
    assertThat(elasticsearch.request("POST", "/" + topic + "/_open", null).status()).isEqualTo(200);
    harness.awaitCount(topic, 20, Duration.ofMinutes(1));

    // A write block: every item is answered 403 cluster_block_exception.
    assertThat(
            elasticsearch
                .request("PUT", "/" + topic + "/_settings", "{\"index.blocks.write\":true}")
                .status())
        .isEqualTo(200);
    for (int i = 20; i < 40; i++) {
      sendGood(topic, i);
    }
    harness.flush();
    awaitRefusalWarning("cluster_block_exception");
    assertThat(
            elasticsearch
                .request("PUT", "/" + topic + "/_settings", "{\"index.blocks.write\":false}")
                .status())
        .isEqualTo(200);
    harness.awaitCount(topic, 40, Duration.ofMinutes(1));

    assertThat(harness.endOffset(dlq)).as("records in the dead letter queue").isZero();
    assertThat(connect.rest().get("/connectors/refused/status").body().toString())
        .doesNotContain("FAILED");
    harness.deleteSink("refused");
  }

  private void awaitRefusalWarning(String errorType) {
    Awaitility.await()
        .atMost(Duration.ofMinutes(1))
        .until(
            () ->
                log.warnings().stream()
                    .anyMatch(
                        line -> line.contains("search server refuse") && line.contains(errorType)));
  }

  private JsonNode taskState(String connector) {
    return connect.rest().get("/connectors/" + connector + "/status").body().path("tasks").path(0);
  }

  private String sendGood(String topic, int n) {
    String key = "g" + n;
    harness.sendRaw(topic, key, "{\"id\":" + n + ",\"price\":" + n + "}");
    return key;
  }

  private static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] part : parts) {
      length += part.length;
    }
    byte[] all = new byte[length];
    int at = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, all, at, part.length);
      at += part.length;
    }
    return all;
  }
}

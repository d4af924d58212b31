package io.pgsearch.connect.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.pgsearch.connect.devstack.ConnectCluster;
import io.pgsearch.connect.devstack.SearchNode;
import io.pgsearch.connect.sink.metrics.SinkTaskMetrics;
import io.pgsearch.connect.transforms.ConverterSettings;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.storage.StringConverter;
import org.awaitility.Awaitility;

/** Drives the sink as a user would: topics, records, a connector created over REST, the index. */
final class SinkHarness implements AutoCloseable {
  /** Reads numbers exactly as Elasticsearch stored them: 47065.70 stays 47065.70. */
  static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
          .build();

  final ConnectCluster connect;
  final SearchNode elasticsearch;
  private final JsonConverter keyConverter = converter(true);
  private final JsonConverter valueConverter = converter(false);
  private final KafkaProducer<byte[], byte[]> producer;
  private final List<Future<RecordMetadata>> sent = new ArrayList<>();

  SinkHarness(ConnectCluster connect, SearchNode elasticsearch) {
    this.connect = connect;
    this.elasticsearch = elasticsearch;
    Map<String, Object> props = new HashMap<>();
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    this.producer = connect.embedded().kafka().createProducer(props);
  }

  private static JsonConverter converter(boolean isKey) {
    JsonConverter converter = new JsonConverter();
    converter.configure(
        Map.of(
            "schemas.enable", "true",
            "decimal.format", "NUMERIC",
            "replace.null.with.default", "false"),
        isKey);
    return converter;
  }

  /** Creates the topic and waits until every partition has a leader, so no send is refused. */
  void createTopic(String topic, int partitions) {
    connect.embedded().kafka().createTopic(topic, partitions);
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                connect.embedded().kafka().describeTopics(topic).get(topic).stream()
                        .flatMap(description -> description.partitions().stream())
                        .filter(
                            partition -> partition.leader() != null && partition.leader().id() >= 0)
                        .count()
                    == partitions);
  }

  /** Sends a record in Connect JSON (with schemas), optionally with a version header. */
  void send(
      String topic, Schema keySchema, Object key, Schema valueSchema, Object value, Long version) {
    send(topic, keySchema, key, valueSchema, value, version, Map.of());
  }

  /** As {@link #send}, with more headers (string values), e.g. the transforms' table headers. */
  void send(
      String topic,
      Schema keySchema,
      Object key,
      Schema valueSchema,
      Object value,
      Long version,
      Map<String, String> extraHeaders) {
    RecordHeaders headers = new RecordHeaders();
    extraHeaders.forEach((name, text) -> headers.add(name, text.getBytes(StandardCharsets.UTF_8)));
    if (version != null) {
      headers.add("pgsearch.lsn", Long.toString(version).getBytes(StandardCharsets.UTF_8));
    }
    byte[] keyBytes = keyConverter.fromConnectData(topic, keySchema, key);
    byte[] valueBytes =
        value == null ? null : valueConverter.fromConnectData(topic, valueSchema, value);
    sent.add(producer.send(new ProducerRecord<>(topic, null, null, keyBytes, valueBytes, headers)));
  }

  /** Sends raw bytes (schemaless JSON or anything else). */
  void sendRaw(String topic, String key, String value) {
    sendBytes(
        topic,
        key == null ? null : key.getBytes(StandardCharsets.UTF_8),
        value == null ? null : value.getBytes(StandardCharsets.UTF_8));
  }

  /** Sends bytes as they are, e.g. text that is not valid UTF-8. */
  void sendBytes(String topic, byte[] key, byte[] value) {
    sendBytes(topic, key, value, Map.of());
  }

  /** Sends bytes as they are, with headers (string values). */
  void sendBytes(String topic, byte[] key, byte[] value, Map<String, String> headers) {
    sendBytes(topic, null, key, value, headers);
  }

  /** Sends bytes as they are, with headers (string values), to a partition (null: any). */
  void sendBytes(
      String topic, Integer partition, byte[] key, byte[] value, Map<String, String> headers) {
    RecordHeaders recordHeaders = new RecordHeaders();
    headers.forEach((name, text) -> recordHeaders.add(name, text.getBytes(StandardCharsets.UTF_8)));
    sent.add(
        producer.send(new ProducerRecord<>(topic, partition, null, key, value, recordHeaders)));
  }

  /** Waits until every record sent so far is in Kafka; fails if any send failed. */
  void flush() {
    producer.flush();
    try {
      for (Future<RecordMetadata> send : sent) {
        send.get();
      }
    } catch (Exception e) {
      throw new IllegalStateException("A test record could not be written to Kafka", e);
    }
    sent.clear();
  }

  /** The sink config every test starts from, for this node (and its security). */
  Map<String, String> sinkConfig(String topics) {
    Map<String, String> config = new HashMap<>();
    config.put("connector.class", ElasticsearchSinkConnector.class.getName());
    config.put("topics", topics);
    config.put("tasks.max", "1");
    config.put("connection.url", elasticsearch.url());
    config.put("key.converter", JsonConverter.class.getName());
    config.put("value.converter", JsonConverter.class.getName());
    config.put(ConverterSettings.REPLACE_NULL_WITH_DEFAULT, "false");
    config.put("consumer.override.auto.offset.reset", "earliest");
    if (elasticsearch.isSecured()) {
      config.put("connection.username", elasticsearch.writerUser());
      config.put("connection.password", elasticsearch.writerPassword());
      config.put("connection.ssl.ca.pem", elasticsearch.caCertificatePem());
    }
    return config;
  }

  /** For records written by {@link #sendRaw}/{@link #sendBytes}: string keys, schemaless JSON. */
  Map<String, String> rawSinkConfig(String topics) {
    Map<String, String> config = sinkConfig(topics);
    config.put("key.converter", StringConverter.class.getName());
    config.put("value.converter.schemas.enable", "false");
    return config;
  }

  /** Tolerates bad records and sends them to {@code dlq}, with Connect's context headers. */
  static Map<String, String> withDeadLetterQueue(Map<String, String> config, String dlq) {
    config.put("errors.tolerance", "all");
    config.put("errors.deadletterqueue.topic.name", dlq);
    config.put("errors.deadletterqueue.topic.replication.factor", "1");
    config.put("errors.deadletterqueue.context.headers.enable", "true");
    return config;
  }

  /** The first {@code count} records of {@code dlq}, waiting up to a minute for them. */
  List<ConsumerRecord<byte[], byte[]>> deadLetters(String dlq, int count) {
    List<ConsumerRecord<byte[], byte[]>> dead = new ArrayList<>();
    connect
        .embedded()
        .kafka()
        .consume(count, Duration.ofMinutes(1).toMillis(), dlq)
        .forEach(dead::add);
    return dead;
  }

  /** A header of a consumed record as text; fails when the record lacks it. */
  static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    assertThat(header).as("header " + name).isNotNull();
    return new String(header.value(), StandardCharsets.UTF_8);
  }

  /** The end offset of partition 0 of {@code topic}: how many records it holds. */
  long endOffset(String topic) {
    Map<String, Object> props = new HashMap<>();
    props.put("bootstrap.servers", connect.embedded().kafka().bootstrapServers());
    props.put("key.deserializer", ByteArrayDeserializer.class.getName());
    props.put("value.deserializer", ByteArrayDeserializer.class.getName());
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
      TopicPartition partition = new TopicPartition(topic, 0);
      return consumer.endOffsets(List.of(partition)).get(partition);
    }
  }

  void startSink(String name, Map<String, String> config) {
    connect.rest().createConnector(name, config);
    connect
        .rest()
        .awaitRunning(
            name, Integer.parseInt(config.getOrDefault("tasks.max", "1")), Duration.ofMinutes(1));
  }

  void deleteSink(String name) {
    connect.rest().delete("/connectors/" + name);
  }

  long count(String index) {
    return Math.max(0, elasticsearch.refreshedCount(index)); // 0 until the sink creates the index
  }

  void awaitCount(String index, long expected, Duration timeout) {
    try {
      Awaitility.await()
          .atMost(timeout.toMillis(), TimeUnit.MILLISECONDS)
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(() -> assertThat(count(index)).isEqualTo(expected));
    } catch (AssertionError | RuntimeException e) {
      printSinkThreads();
      throw e;
    }
  }

  /**
   * Evidence for a stall: where every sink task thread and bulk dispatcher is (a task blocked in
   * put() keeps its partitions from everyone until max.poll.interval.ms).
   */
  static void printSinkThreads() {
    for (ThreadInfo thread : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
      String name = thread.getThreadName();
      if (name.startsWith("task-thread-")
          || name.startsWith("pgsearch-sink-")
          || name.startsWith("elasticsearch-rest-client-")) {
        StringBuilder dump = new StringBuilder();
        dump.append('"').append(name).append("\" ").append(thread.getThreadState());
        if (thread.getLockName() != null) {
          dump.append(" on ").append(thread.getLockName()).append(" owned by ");
          dump.append(thread.getLockOwnerName());
        }
        dump.append('\n');
        for (StackTraceElement frame : thread.getStackTrace()) {
          dump.append("\tat ").append(frame).append('\n');
        }
        System.out.println(dump);
      }
    }
  }

  /** The _source of each id that exists (missing ids are absent from the map). */
  Map<String, JsonNode> sources(String index, List<String> ids) {
    Map<String, Object> body = Map.of("ids", ids);
    SearchNode.Response response =
        elasticsearch.request("POST", "/" + index + "/_mget", write(body));
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    Map<String, JsonNode> found = new HashMap<>();
    for (JsonNode doc : json(response.body()).path("docs")) {
      if (doc.path("found").asBoolean()) {
        found.put(doc.path("_id").asText(), doc.path("_source"));
      }
    }
    return found;
  }

  JsonNode source(String index, String id) {
    return sources(index, List.of(id)).get(id);
  }

  /**
   * An attribute of a sink task's metrics, a number: the MBean of a task of this JVM (the embedded
   * Connect cluster's, or one a test drives).
   */
  static Number taskMetric(String connector, int task, String attribute) throws Exception {
    return (Number)
        ManagementFactory.getPlatformMBeanServer()
            .getAttribute(SinkTaskMetrics.objectName(connector, Integer.toString(task)), attribute);
  }

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    producer.close();
  }
}

package io.pgsearch.connect.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgsearch.connect.sink.document.DocumentIds;
import io.pgsearch.connect.sink.document.DocumentJson;
import io.pgsearch.connect.sink.index.MappingInference;
import java.io.PrintStream;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.json.JsonConverter;

/**
 * Measurements 1 and 2: raw bulk ingest of the documents (the baseline) and the sink indexing the
 * same change events from a topic.
 *
 * <p>The topic is filled by the real pipeline: the source connector snapshots a table with the
 * pgsearch transforms in its own config (as docs/transforms.md allows), so the topic holds exactly
 * what the transforms emit through the JSON converter, {@code pgsearch.*} headers included. The
 * sink then runs without transforms: only its own work (consume, convert, bulk) is measured. The
 * baseline renders the same records with the sink's own document code, so both index identical
 * documents with identical mappings.
 */
final class SinkBenchmark {
  static final String FILL_PREFIX = "fill";
  static final String TOPIC = FILL_PREFIX + ".public." + ItemsTable.NAME;
  static final int PARTITIONS = 2;

  /**
   * The sink's defaults ({@code batch.size}, {@code bulk.size.bytes}), used by the baseline too.
   */
  static final int BULK_DOCS = 2_000;

  static final long BULK_BYTES = 5L * 1024 * 1024;
  static final Duration STALL = Duration.ofSeconds(90);

  static final String KAFKA_JSON_CONVERTER = "org.apache.kafka.connect.json.JsonConverter";

  /** The same documents as schemaless JSON, keyed by their ids, as peers' sinks are compared on. */
  static final String PLAIN_TOPIC = "plain.items";

  /** What the sink reads. */
  enum Format {
    /** The topic the source filled: JSON with embedded schemas and {@code pgsearch.*} headers. */
    SHIPPED("", TOPIC),
    /**
     * As {@link #SHIPPED} with Connect's default header converter, which parses every header's text
     * for a typed value (es-sink.json reads them as text): what that costs.
     */
    SIMPLE_HEADERS(".simpleheaders", TOPIC),
    /** {@link #PLAIN_TOPIC}: JSON documents without schemas or headers. */
    SCHEMALESS(".schemaless", PLAIN_TOPIC),
    /**
     * As {@link #SHIPPED} with Kafka's own {@code JsonConverter} for keys and values (the same wire
     * format): what the shipped converter saves, measured in the same run.
     */
    KAFKA_JSON(".kafkajson", TOPIC),
    /** As {@link #SCHEMALESS} with Kafka's own {@code JsonConverter}. */
    KAFKA_JSON_SCHEMALESS(".kafkajson.schemaless", PLAIN_TOPIC);

    final String keySuffix;
    final String topic;

    boolean schemaless() {
      return this == SCHEMALESS || this == KAFKA_JSON_SCHEMALESS;
    }

    boolean kafkaJson() {
      return this == KAFKA_JSON || this == KAFKA_JSON_SCHEMALESS;
    }

    Format(String keySuffix, String topic) {
      this.keySuffix = keySuffix;
      this.topic = topic;
    }
  }

  private final BenchStack stack;
  private final BenchOptions options;
  private final PrintStream out;
  private Schema valueSchema;

  SinkBenchmark(BenchStack stack, BenchOptions options, PrintStream out) {
    this.stack = stack;
    this.options = options;
    this.out = out;
  }

  /** Fills the topic with {@code events} change events through the source connector. */
  void fillTopic() throws Exception {
    int events = options.events();
    String database = stack.postgres.createDatabase("events");
    out.printf("Filling topic %s with %,d change events (pg-source + transforms)%n", TOPIC, events);
    try (Connection connection = stack.postgres.connect(database)) {
      ItemsTable.create(connection, events);
    }
    ObjectNode source =
        stack.config(
            "pg-source.json",
            database,
            body -> {
              body.put("name", "bench-fill-source");
              ObjectNode config = (ObjectNode) body.path("config");
              config.put("topic.prefix", FILL_PREFIX);
              config.put("topic.creation.default.partitions", String.valueOf(PARTITIONS));
              config.put("transforms", "document,values");
              config.put(
                  "transforms.document.type",
                  "io.pgsearch.connect.transforms.ChangeEventToDocument");
              config.put(
                  "transforms.values.type",
                  "io.pgsearch.connect.transforms.ElasticsearchValues$Value");
            });
    stack.create(source);
    try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
      long[] seen = {0};
      stack.search.awaitNanos(
          () -> {
            stack.awaitRunning("bench-fill-source");
            return (seen[0] = endOffsets(consumer)) >= events;
          },
          () -> seen[0],
          STALL);
      if (seen[0] != events) {
        throw new IllegalStateException(TOPIC + " holds " + seen[0] + " records, not " + events);
      }
    }
    stack.delete("bench-fill-source");
    stack.dropSlots(database);
  }

  /** Every record of the topic rendered as the sink renders it. */
  List<BaselineBulk.Doc> documents() {
    JsonConverter keys = converter(true);
    JsonConverter values = converter(false);
    List<BaselineBulk.Doc> docs = new ArrayList<>(options.events());
    try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
      List<TopicPartition> partitions = partitions(consumer);
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long end = endOffsets(consumer);
      while (docs.size() < end) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
          SchemaAndValue key = keys.toConnectData(TOPIC, record.key());
          SchemaAndValue value = values.toConnectData(TOPIC, record.value());
          valueSchema = value.schema();
          docs.add(
              new BaselineBulk.Doc(
                  DocumentIds.fromKey(key.value()),
                  DocumentJson.toBytes(value.schema(), value.value())));
        }
      }
    }
    return docs;
  }

  /**
   * Writes the rendered documents to {@link #PLAIN_TOPIC} ({@value #PARTITIONS} partitions): each
   * value the document's JSON, each key its id as a JSON string.
   */
  void fillPlainTopic(List<BaselineBulk.Doc> docs) throws Exception {
    out.printf(
        "Filling topic %s with the %,d documents as schemaless JSON%n", PLAIN_TOPIC, docs.size());
    Map<String, Object> props = new HashMap<>();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka.bootstrapServers());
    try (Admin admin = Admin.create(props)) {
      admin.createTopics(List.of(new NewTopic(PLAIN_TOPIC, PARTITIONS, (short) 1))).all().get();
    }
    props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (BaselineBulk.Doc doc : docs) {
        producer.send(
            new ProducerRecord<>(PLAIN_TOPIC, Search.JSON.writeValueAsBytes(doc.id()), doc.body()));
      }
      producer.flush();
    }
  }

  /** The index body the sink creates for these records: mappings inferred from their schema. */
  String indexBody() {
    ObjectNode body = Search.JSON.createObjectNode();
    body.set("mappings", MappingInference.mappings(valueSchema));
    return body.toString();
  }

  /** Raw bulk ingest into a fresh index, timed by the {@link AppliedClock}. */
  AppliedClock.Run baseline(
      List<List<BaselineBulk.Doc>> bulks, int threads, BaselineBulk.Wire wire, String index)
      throws Exception {
    return rawBulk(stack, indexBody(), bulks, threads, wire, index);
  }

  /**
   * Raw bulk ingest of rendered documents into a fresh index created with {@code indexBody}, timed
   * by the {@link AppliedClock}; the index is deleted afterwards.
   */
  static AppliedClock.Run rawBulk(
      BenchStack stack,
      String indexBody,
      List<List<BaselineBulk.Doc>> bulks,
      int threads,
      BaselineBulk.Wire wire,
      String index)
      throws Exception {
    stack.search.createIndex(index, indexBody);
    long expected = bulks.stream().mapToLong(List::size).sum();
    try (BaselineBulk client = new BaselineBulk(stack.elasticsearch.url(), wire)) {
      Exception[] failed = {null};
      Thread sender =
          new Thread(
              () -> {
                try {
                  client.index(index, bulks, threads);
                } catch (Exception e) {
                  failed[0] = e;
                }
              },
              "baseline-bulk");
      sender.start();
      AppliedClock.Run run =
          stack.clock.await(
              index,
              expected,
              STALL,
              () -> {
                if (failed[0] != null) {
                  throw new IllegalStateException("The baseline's bulk failed", failed[0]);
                }
              });
      sender.join();
      expectCount(stack, index, expected);
      return run;
    } finally {
      stack.search.deleteIndex(index);
    }
  }

  /** Every applied document is searchable: the clock counted documents, not retries. */
  static void expectCount(BenchStack stack, String index, long expected) {
    long count = stack.search.count(index);
    if (count != expected) {
      throw new IllegalStateException(index + " holds " + count + " documents, not " + expected);
    }
  }

  /**
   * A sink run until a fifth of the events are indexed, not measured: the worker's JIT compiles the
   * sink's code path, as it has in a worker that has been running for a while.
   */
  void warmUpSink() throws Exception {
    sink("bench-sink-warmup", Format.SHIPPED, 1, Math.max(1, options.events() / 5));
  }

  /**
   * A sink run over every event. Each round's connector has a name (so a consumer group) of its
   * own: a group that committed the topic's end in an earlier round would consume nothing.
   */
  SinkRun sink(Format format, int tasks, int round) throws Exception {
    return sink(
        "bench-sink" + format.keySuffix.replace('.', '-') + "-tasks" + tasks + "-round" + round,
        format,
        tasks,
        options.events());
  }

  /**
   * A sink run: its start-up (connector creation until the first document is applied) and its
   * indexing, timed by the {@link AppliedClock} like the baseline.
   */
  record SinkRun(double startupSeconds, AppliedClock.Run run) {}

  private SinkRun sink(String name, Format format, int tasks, long expected) throws Exception {
    String index = name;
    ObjectNode body =
        stack.config(
            "es-sink.json",
            "unused",
            sink -> {
              sink.put("name", name);
              ObjectNode config = (ObjectNode) sink.path("config");
              config.remove("topics.regex");
              config.put("topics", format.topic);
              if (format == Format.SIMPLE_HEADERS) {
                config.put(
                    "header.converter", "org.apache.kafka.connect.storage.SimpleHeaderConverter");
              }
              if (format.schemaless()) {
                config.put("key.converter.schemas.enable", "false");
                config.put("value.converter.schemas.enable", "false");
              }
              if (format.kafkaJson()) {
                config.put("key.converter", KAFKA_JSON_CONVERTER);
                config.put("value.converter", KAFKA_JSON_CONVERTER);
              }
              config.put("tasks.max", String.valueOf(tasks));
              config.put("topic.index.map", format.topic + ":" + index);
              // The transforms already ran in the source connector that filled the topic.
              config.remove(
                  List.of("transforms", "transforms.document.type", "transforms.values.type"));
            });
    long start = stack.create(body);
    try {
      AppliedClock.Run run =
          stack.clock.await(index, expected, STALL, () -> stack.awaitRunning(name));
      if (expected == options.events()) {
        expectCount(stack, index, expected);
      }
      return new SinkRun(seconds(start, run.firstNanos()), run);
    } finally {
      stack.delete(name);
      stack.search.deleteIndex(index);
    }
  }

  static double seconds(long startNanos, long endNanos) {
    return (endNanos - startNanos) / 1e9;
  }

  private static JsonConverter converter(boolean isKey) {
    JsonConverter converter = new JsonConverter();
    converter.configure(
        Map.of("schemas.enable", "true", "replace.null.with.default", "false"), isKey);
    return converter;
  }

  private KafkaConsumer<byte[], byte[]> consumer() {
    return consumer(stack);
  }

  /** A consumer of raw bytes on the stack's broker, committing nothing. */
  static KafkaConsumer<byte[], byte[]> consumer(BenchStack stack) {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka.bootstrapServers());
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer) {
    var infos = consumer.partitionsFor(TOPIC, Duration.ofSeconds(10));
    if (infos == null) {
      return List.of();
    }
    return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
  }

  /** The records in the topic: 0 while it does not exist yet. */
  private static long endOffsets(KafkaConsumer<byte[], byte[]> consumer) {
    if (!consumer.listTopics(Duration.ofSeconds(10)).containsKey(TOPIC)) {
      return 0;
    }
    return consumer.endOffsets(partitions(consumer)).values().stream()
        .mapToLong(Long::longValue)
        .sum();
  }
}

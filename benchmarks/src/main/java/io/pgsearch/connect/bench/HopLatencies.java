package io.pgsearch.connect.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Where a streamed change's time goes before the sink has it, from the change events on the topic
 * while the writer runs: PostgreSQL's commit ({@code source.ts_ms}) to Debezium building the event
 * ({@code ts_ms}), the event to the broker appending it (the record's timestamp: the topic's
 * timestamps are the broker's when the pipeline's topics are created with {@code
 * message.timestamp.type=LogAppendTime}, otherwise the producer's), and the broker to a consumer
 * reading it. The sink's own share is the rest of its commit-to-indexed latency.
 *
 * <p>It shares the pipeline's core, so it costs as little as it can: the consumer waits for data at
 * the broker (which answers as soon as a record arrives) rather than asking again every few
 * milliseconds, and each event's three times are read as a stream, its embedded schema (most of its
 * bytes) skipped without building a tree. Reading every event into a tree used to be most of the
 * benchmark JVM's samples while the writer ran at 1,000 rows/s.
 */
final class HopLatencies implements Runnable {
  private static final JsonFactory JSON = new JsonFactory();

  /** What a change event says about its times; {@code op} null when it has none. */
  record Times(String op, long committed, long built) {}

  /** The hops, each with its samples (milliseconds). */
  record Reading(
      String timestampType,
      Percentiles commitToEvent,
      Percentiles eventToTopic,
      Percentiles topicToConsumer) {}

  private final String bootstrap;
  private final String topic;
  private final AtomicBoolean stop = new AtomicBoolean();
  private final LongSamples commitToEvent = new LongSamples();
  private final LongSamples eventToTopic = new LongSamples();
  private final LongSamples topicToConsumer = new LongSamples();
  private volatile TimestampType timestampType = TimestampType.NO_TIMESTAMP_TYPE;
  private volatile Exception failure;

  HopLatencies(String bootstrap, String topic) {
    this.bootstrap = bootstrap;
    this.topic = topic;
  }

  @Override
  public void run() {
    Map<String, Object> props =
        Map.of(
            "bootstrap.servers",
            bootstrap,
            "key.deserializer",
            ByteArrayDeserializer.class.getName(),
            "value.deserializer",
            ByteArrayDeserializer.class.getName());
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      partitions.forEach(consumer::position); // from now on only
      while (!stop.get()) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(50))) {
          add(record, System.currentTimeMillis());
        }
      }
    } catch (Exception e) {
      failure = e;
    }
  }

  private void add(ConsumerRecord<byte[], byte[]> record, long now) throws IOException {
    if (record.value() == null) {
      return;
    }
    Times times = times(record.value());
    if (!"c".equals(times.op()) && !"u".equals(times.op()) && !"d".equals(times.op())) {
      return;
    }
    timestampType = record.timestampType();
    commitToEvent.add(times.built() - times.committed());
    eventToTopic.add(record.timestamp() - times.built());
    topicToConsumer.add(now - record.timestamp());
  }

  /**
   * The op, {@code source.ts_ms} and {@code ts_ms} of a change event, in JSON with an embedded
   * schema (the payload's fields) or without (the top level's).
   */
  static Times times(byte[] value) throws IOException {
    try (JsonParser parser = JSON.createParser(value)) {
      return parser.nextToken() == JsonToken.START_OBJECT ? object(parser) : new Times(null, 0, 0);
    }
  }

  /** Reads an object whose start was just read, through its end. */
  private static Times object(JsonParser parser) throws IOException {
    String op = null;
    long committed = 0;
    long built = 0;
    Times payload = null;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonToken value = parser.nextToken();
      switch (name) {
        case "payload" -> payload = nested(parser, value);
        case "op" -> op = parser.getValueAsString();
        case "ts_ms" -> built = parser.getValueAsLong();
        case "source" -> {
          Times source = nested(parser, value);
          committed = source == null ? 0 : source.built();
        }
        default -> parser.skipChildren();
      }
    }
    return payload != null ? payload : new Times(op, committed, built);
  }

  /** The object a field holds, or null (its value skipped) when it holds something else. */
  private static Times nested(JsonParser parser, JsonToken value) throws IOException {
    if (value == JsonToken.START_OBJECT) {
      return object(parser);
    }
    parser.skipChildren();
    return null;
  }

  /** Stops reading and returns the hops' percentiles (null when no change was read). */
  Reading stop(Thread thread) throws Exception {
    stop.set(true);
    thread.join();
    if (failure != null) {
      throw failure;
    }
    if (commitToEvent.size() == 0) {
      return null;
    }
    return new Reading(
        timestampType.name,
        commitToEvent.percentiles(),
        eventToTopic.percentiles(),
        topicToConsumer.percentiles());
  }

  /** A growing array of samples. */
  private static final class LongSamples {
    private long[] samples = new long[1024];
    private int size;

    synchronized void add(long sample) {
      if (size == samples.length) {
        samples = java.util.Arrays.copyOf(samples, size * 2);
      }
      samples[size++] = sample;
    }

    synchronized int size() {
      return size;
    }

    synchronized Percentiles percentiles() {
      return Percentiles.of(java.util.Arrays.copyOf(samples, size));
    }
  }
}

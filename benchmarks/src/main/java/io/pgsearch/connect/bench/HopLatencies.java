package io.pgsearch.connect.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 */
final class HopLatencies implements Runnable {
  private static final ObjectMapper JSON = new ObjectMapper();

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
            ByteArrayDeserializer.class.getName(),
            "fetch.max.wait.ms",
            "5");
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
    JsonNode value = JSON.readTree(record.value());
    JsonNode payload = value.has("payload") ? value.path("payload") : value;
    String op = payload.path("op").asText();
    if (!"c".equals(op) && !"u".equals(op) && !"d".equals(op)) {
      return;
    }
    long committed = payload.path("source").path("ts_ms").asLong();
    long built = payload.path("ts_ms").asLong();
    timestampType = record.timestampType();
    commitToEvent.add(built - committed);
    eventToTopic.add(record.timestamp() - built);
    topicToConsumer.add(now - record.timestamp());
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

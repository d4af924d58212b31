package io.pgsearch.connect.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgsearch.connect.devstack.ConnectCluster;
import io.pgsearch.connect.devstack.ConnectRest;
import io.pgsearch.connect.devstack.PostgresNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** What the source ITs share: a connector config, SQL, and reading the change events back. */
final class SourceFixture {
  static final String CONNECTOR_CLASS = PostgresSourceConnector.class.getName();
  static final Duration TIMEOUT = Duration.ofMinutes(2);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One record of a topic: the key, and the value's op/before/after (op null: tombstone). */
  record Event(JsonNode key, String op, JsonNode before, JsonNode after) {
    JsonNode row() {
      return after == null || after.isNull() ? before : after;
    }

    int id() {
      return key.path("id").asInt();
    }
  }

  private SourceFixture() {}

  /** The minimal config a user writes, plus what the single-broker test cluster needs. */
  static Map<String, String> config(PostgresNode postgres, String database, String prefix) {
    Map<String, String> config = new LinkedHashMap<>();
    config.put("connector.class", CONNECTOR_CLASS);
    config.put("database.hostname", postgres.host());
    config.put("database.port", String.valueOf(postgres.port()));
    config.put("database.user", postgres.user());
    config.put("database.password", postgres.password());
    config.put("database.dbname", database);
    config.put("topic.prefix", prefix);
    config.put("topic.creation.default.replication.factor", "1");
    config.put("topic.creation.default.partitions", "1");
    config.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
    config.put("key.converter.schemas.enable", "false");
    config.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
    config.put("value.converter.schemas.enable", "false");
    return config;
  }

  static void start(ConnectCluster connect, String name, Map<String, String> config) {
    connect.rest().createConnector(name, config);
    connect.rest().awaitRunning(name, 1, TIMEOUT);
  }

  static void stop(ConnectCluster connect, String name) {
    connect.rest().delete("/connectors/" + name);
  }

  static void sql(PostgresNode postgres, String database, String... statements)
      throws SQLException {
    try (Connection connection = postgres.connect(database);
        Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }

  /** Every record on the topic now (up to its end offset), in order. */
  static List<Event> events(ConnectCluster connect, String topic) {
    List<Event> events = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : records(connect, topic)) {
      JsonNode key = parse(record.key());
      JsonNode value = parse(record.value());
      events.add(
          value == null
              ? new Event(key, null, null, null)
              : new Event(key, value.path("op").asText(), value.get("before"), value.get("after")));
    }
    return events;
  }

  /** The raw records on the topic now (up to its end offset), in order; none before it exists. */
  static List<ConsumerRecord<byte[], byte[]>> records(ConnectCluster connect, String topic) {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try {
      connect.embedded().kafka().consumeAll(TIMEOUT.toMillis(), topic).forEach(records::add);
    } catch (Exception e) {
      if (e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException) {
        return List.of(); // not created yet: nothing captured so far
      }
      throw new IllegalStateException("Reading topic " + topic, e);
    }
    return records;
  }

  /** The events that are not tombstones. */
  static List<Event> changes(ConnectCluster connect, String topic) {
    return events(connect, topic).stream().filter(e -> e.op() != null).toList();
  }

  static Set<String> topics(ConnectCluster connect) throws Exception {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, connect.bootstrapServers());
    try (Admin admin = Admin.create(props)) {
      return admin.listTopics().names().get();
    }
  }

  /** The error messages the validate response holds for a key. */
  static List<String> errorsOn(ConnectRest.Response response, String key) {
    return response.validationErrors().getOrDefault(key, List.of());
  }

  /** Random letters: they do not compress, so PostgreSQL stores a long one out of line (TOAST). */
  static String randomText(int length) {
    java.util.Random random = new java.util.Random(length);
    StringBuilder text = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      text.append((char) ('a' + random.nextInt(26)));
    }
    return text.toString();
  }

  /** A record's key or value as JSON; null for none. */
  static JsonNode parse(byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    try {
      return JSON.readTree(new String(bytes, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

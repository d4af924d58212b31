package io.pgsearch.connect.source;

import static io.pgsearch.connect.source.SourceFixture.TIMEOUT;
import static io.pgsearch.connect.source.SourceFixture.config;
import static io.pgsearch.connect.source.SourceFixture.parse;
import static io.pgsearch.connect.source.SourceFixture.records;
import static io.pgsearch.connect.source.SourceFixture.sql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgsearch.connect.devstack.ConnectCluster;
import io.pgsearch.connect.devstack.DevStackExtension;
import io.pgsearch.connect.devstack.PostgresNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The {@code timestamptz} converter changes nothing on the topic: the same table captured by a
 * connector with it (the default) and one without it ({@code converters} empty: Debezium's own
 * conversion) gives the same keys, values and schemas, in the snapshot and in streaming, for every
 * precision, infinities, years BC and after 9999, defaults and deletes.
 */
@ExtendWith(DevStackExtension.class)
class TimestamptzConverterIT {
  private static final int SNAPSHOT = 6 + 1_000;
  private static final int EVENTS = SNAPSHOT + 8 + 200;
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void topicsAreTheSameWithAndWithoutTheConverter(PostgresNode postgres, ConnectCluster connect)
      throws Exception {
    String db = postgres.createDatabase("tstz");
    sql(
        postgres,
        db,
        "CREATE TABLE moments (id int PRIMARY KEY, plain timestamptz, p0 timestamptz(0),"
            + " p3 timestamptz(3), p6 timestamptz(6),"
            + " fixed timestamptz NOT NULL DEFAULT '2020-01-01 00:00:00+00', made timestamptz"
            + " DEFAULT now())",
        "CREATE TABLE stamps (at timestamptz(3) PRIMARY KEY, label text)",
        "SET TIME ZONE 'Asia/Kathmandu'",
        "INSERT INTO moments VALUES"
            + " (1, '2026-11-27 15:42:50.123456+00', '2026-11-27 15:42:50.5+00',"
            + "  '2026-11-27 15:42:50.123456+00', '2026-11-27 15:42:50.1+05:45',"
            + "  '2026-11-27 00:00:00+00', '2026-11-27 00:00:00+00'),"
            + " (2, 'infinity', '-infinity', 'infinity', '-infinity', 'infinity', NULL),"
            + " (3, '0044-03-15 12:00:00+00 BC', '10000-01-01 00:00:00+00',"
            + "  '9999-12-31 23:59:59.999+00', '0001-01-01 00:00:00+00', DEFAULT, DEFAULT),"
            + " (4, NULL, NULL, NULL, NULL, '1850-06-01 12:00:00+00', '1970-01-01 00:00:00+00')",
        "INSERT INTO stamps VALUES ('2026-11-27 15:42:50.123+00', 'a'), ('1999-12-31 23:59:59+00',"
            + " 'b')",
        // As the benchmark's rows: now() and intervals, every fraction, six time zones.
        "INSERT INTO moments SELECT g, now() - make_interval(secs => g * 37.123457),"
            + " now() - make_interval(secs => g * 0.5), now() - make_interval(days => g),"
            + " (now() - make_interval(secs => g * 97531.000001)) AT TIME ZONE"
            + " (ARRAY['UTC','Asia/Kathmandu','America/St_Johns','Pacific/Chatham','Europe/Paris',"
            + "'Pacific/Honolulu'])[g % 6 + 1] AT TIME ZONE 'UTC', now(), NULL"
            + " FROM generate_series(100, 1099) g");
    SourceFixture.start(connect, "tstz-ours", withSchemas(config(postgres, db, "ours")));
    Map<String, String> debezium = withSchemas(config(postgres, db, "dbz"));
    debezium.put("converters", "");
    SourceFixture.start(connect, "tstz-debezium", debezium);
    assertThat(taskConfig(connect, "tstz-ours").path("converters").asText())
        .isEqualTo("pgsearchtimestamptz");
    assertThat(taskConfig(connect, "tstz-ours").path("pgsearchtimestamptz.type").asText())
        .isEqualTo(TimestamptzConverter.class.getName());
    assertThat(taskConfig(connect, "tstz-debezium").has("converters")).isFalse();
    await().atMost(TIMEOUT).until(() -> events(connect, "dbz").size() == SNAPSHOT);
    await().atMost(TIMEOUT).until(() -> events(connect, "ours").size() == SNAPSHOT);

    sql(
        postgres,
        db,
        "SET TIME ZONE 'America/St_Johns'",
        "INSERT INTO moments (id, plain, p0, p3, p6) VALUES"
            + " (5, '2026-11-27 15:42:50.000001+00', '2026-11-27 15:42:50.999999+00',"
            + "  '2026-11-27 15:42:50.9999+00', '2026-11-27 15:42:50+00')",
        "UPDATE moments SET p6 = '0001-01-01 00:00:00+00 BC', p3 = 'infinity' WHERE id = 1",
        "UPDATE moments SET plain = '2024-02-29 23:30:00-01' WHERE id = 4",
        "DELETE FROM moments WHERE id = 3",
        "INSERT INTO stamps VALUES ('infinity', 'c')",
        "DELETE FROM stamps WHERE label = 'a'",
        "UPDATE moments SET plain = clock_timestamp(), p3 = clock_timestamp(), p6 ="
            + " clock_timestamp() - make_interval(secs => id * 0.000013) WHERE id BETWEEN 100 AND"
            + " 299");

    await().atMost(TIMEOUT).until(() -> events(connect, "dbz").size() == EVENTS);
    await().atMost(TIMEOUT).until(() -> events(connect, "ours").size() == EVENTS);
    List<JsonNode> ours = events(connect, "ours");
    List<JsonNode> theirs = events(connect, "dbz");
    assertThat(ours).containsExactlyElementsOf(theirs);
    // Not vacuous: the values are Debezium's strings, the schemas carry the default.
    assertThat(ours.get(0).toString())
        .contains(
            "\"plain\":\"2026-11-27T15:42:50.123456Z\"",
            "\"p0\":\"2026-11-27T15:42:51Z\"",
            "\"p6\":\"2026-11-27T09:57:50.100000Z\"",
            "\"name\":\"io.debezium.time.ZonedTimestamp\"",
            "\"default\":\"2020-01-01T00:00:00");
  }

  /** The configuration Connect holds for the connector's task: what Debezium is given. */
  private static JsonNode taskConfig(ConnectCluster connect, String name) {
    return connect.rest().get("/connectors/" + name + "/tasks").ok().body().path(0).path("config");
  }

  private static Map<String, String> withSchemas(Map<String, String> config) {
    config.put("tables", "moments,stamps");
    config.put("key.converter.schemas.enable", "true");
    config.put("value.converter.schemas.enable", "true");
    config.put("value.converter.replace.null.with.default", "false");
    return config;
  }

  /**
   * Both tables' records under a prefix, keys and values with their schemas, without what differs
   * between two connectors: the prefix in schema names, the {@code source} block's values, the
   * times.
   */
  private static List<JsonNode> events(ConnectCluster connect, String prefix) {
    List<JsonNode> events = new ArrayList<>();
    for (String table : List.of("moments", "stamps")) {
      for (ConsumerRecord<byte[], byte[]> record : records(connect, prefix + ".public." + table)) {
        ObjectNode event = JSON.createObjectNode();
        event.set("key", parse(record.key()));
        JsonNode value = parse(record.value());
        if (value != null) {
          ((ObjectNode) value.get("payload")).remove(List.of("source", "ts_ms", "ts_us", "ts_ns"));
        }
        event.set("value", value);
        String text = event.toString().replace("\"" + prefix + ".public.", "\"public.");
        events.add(parse(text.getBytes(StandardCharsets.UTF_8)));
      }
    }
    return events;
  }
}

package io.pgsearch.connect.transforms;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgsearch.connect.devstack.ConnectCluster;
import io.pgsearch.connect.devstack.PostgresNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Debezium's PostgreSQL connector on the dev-stack Connect cluster with our transforms in its
 * {@code transforms} chain, and the records it writes read back as the sink will see them.
 */
final class DebeziumCapture {
  static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private final ConnectCluster connect;
  private final String name;

  private DebeziumCapture(ConnectCluster connect, String name) {
    this.connect = connect;
    this.name = name;
  }

  /**
   * Starts a connector named {@code name} capturing {@code public.<table>} of {@code database},
   * topic prefix {@code name}, with ChangeEventToDocument and ElasticsearchValues$Value.
   */
  static DebeziumCapture start(
      ConnectCluster connect,
      PostgresNode postgres,
      String database,
      String name,
      String table,
      Map<String, String> extra) {
    Map<String, String> config = new LinkedHashMap<>();
    config.put("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
    config.put("database.hostname", postgres.host());
    config.put("database.port", String.valueOf(postgres.port()));
    config.put("database.user", postgres.user());
    config.put("database.password", postgres.password());
    config.put("database.dbname", database);
    config.put("plugin.name", "pgoutput");
    config.put("slot.name", name + "_slot");
    config.put("publication.name", name + "_publication");
    config.put("publication.autocreate.mode", "filtered");
    config.put("table.include.list", "public." + table);
    config.put("topic.prefix", name);
    config.put("topic.creation.default.replication.factor", "1");
    config.put("topic.creation.default.partitions", "1");
    config.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
    config.put("key.converter.schemas.enable", "false");
    config.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
    config.put("value.converter.schemas.enable", "true");
    // How the sink renders Connect Decimals: exact JSON numbers.
    config.put("value.converter.decimal.format", "NUMERIC");
    // As pg-source-connector defaults it: ranges carry their type, so the transforms see them.
    config.put(
        "datatype.propagate.source.type",
        ".+\\.int4range,.+\\.int8range,.+\\.numrange,.+\\.daterange,.+\\.tsrange,.+\\.tstzrange");
    config.put("transforms", "document,values");
    config.put("transforms.document.type", ChangeEventToDocument.class.getName());
    config.put("transforms.values.type", ElasticsearchValues.Value.class.getName());
    config.putAll(extra);
    connect.rest().createConnector(name, config);
    connect.rest().awaitRunning(name, 1, Duration.ofMinutes(2));
    return new DebeziumCapture(connect, name);
  }

  /** One record of the topic: key, document as the sink writes it (null: tombstone), headers. */
  record Captured(JsonNode key, JsonNode document, Map<String, String> headers) {}

  /** Reads at least {@code count} records of the table's topic, in order. */
  List<Captured> read(String table, int count) {
    List<Captured> records = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record :
        connect
            .embedded()
            .kafka()
            .consume(count, Duration.ofMinutes(2).toMillis(), name + ".public." + table)) {
      Map<String, String> headers = new HashMap<>();
      for (Header header : record.headers()) {
        headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
      }
      JsonNode value = record.value() == null ? null : parse(record.value());
      JsonNode document =
          value == null || value.path("payload").isNull()
              ? null
              : render(value.path("schema"), value.path("payload"));
      records.add(new Captured(parse(record.key()), document, headers));
    }
    return records;
  }

  void stop() {
    connect.rest().delete("/connectors/" + name);
  }

  /**
   * The sink's side of the contract: a string whose schema is named {@code io.pgsearch.Json} is
   * embedded as the JSON it holds; everything else is written as the JsonConverter renders it.
   */
  static JsonNode render(JsonNode schema, JsonNode value) {
    if (value == null || value.isNull()) {
      return JsonNodeFactory.instance.nullNode();
    }
    if (PgsearchSchemas.JSON.equals(schema.path("name").asText())) {
      return parse(value.asText().getBytes(StandardCharsets.UTF_8));
    }
    switch (schema.path("type").asText()) {
      case "struct":
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        for (JsonNode field : schema.path("fields")) {
          String fieldName = field.path("field").asText();
          if (value.has(fieldName)) {
            object.set(fieldName, render(field, value.get(fieldName)));
          }
        }
        return object;
      case "array":
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (Iterator<JsonNode> it = value.elements(); it.hasNext(); ) {
          array.add(render(schema.path("items"), it.next()));
        }
        return array;
      default:
        return value;
    }
  }

  static JsonNode parse(byte[] json) {
    try {
      return json == null ? null : JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Equal JSON, numbers compared by value (1.50 equals 1.5, 1E+3 equals 1000). */
  static boolean sameJson(JsonNode a, JsonNode b) {
    return a.equals(
        (x, y) ->
            x.isNumber() && y.isNumber()
                ? x.decimalValue().compareTo(y.decimalValue())
                : x.equals(y) ? 0 : 1,
        b);
  }
}

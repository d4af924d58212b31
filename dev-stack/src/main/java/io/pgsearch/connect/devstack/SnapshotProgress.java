package io.pgsearch.connect.devstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/**
 * How far the initial snapshot got: rows in the captured PostgreSQL tables, change events on their
 * topics, documents in their Elasticsearch indexes (one index per table, named after it), and the
 * documents of related tables the source defines (one index per document, named after it; one
 * document per root row inside the definition's filter).
 */
final class SnapshotProgress implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DOCUMENT_PREFIX = "document.";

  /** One reading. */
  record Counts(long rows, long captured, long indexed, Map<String, DocumentCount> documents) {
    boolean complete() {
      return rows > 0
          && indexed >= rows
          && documents.values().stream().allMatch(count -> count.indexed() >= count.roots());
    }

    @Override
    public String toString() {
      StringBuilder text =
          new StringBuilder("snapshot: captured ")
              .append(captured)
              .append('/')
              .append(rows)
              .append(" rows, indexed ")
              .append(indexed)
              .append(" documents");
      documents.forEach(
          (name, counts) ->
              text.append("; ")
                  .append(name)
                  .append(' ')
                  .append(counts.indexed())
                  .append('/')
                  .append(counts.roots()));
      return text.toString();
    }
  }

  /** A document's roots inside its filter, and its documents in its index. */
  record DocumentCount(long roots, long indexed) {}

  /** A document the source defines: its root table and the filter on it (null for none). */
  record DocumentRoot(String table, String filter) {}

  /** The documents a source connector's config file defines, by name. */
  static Map<String, DocumentRoot> documents(Path sourceConfig) {
    Map<String, DocumentRoot> documents = new TreeMap<>();
    try {
      JsonNode config = JSON.readTree(sourceConfig.toFile()).path("config");
      for (Map.Entry<String, JsonNode> field :
          (Iterable<Map.Entry<String, JsonNode>>) config::fields) {
        if (field.getKey().startsWith(DOCUMENT_PREFIX)) {
          JsonNode definition = JSON.readTree(field.getValue().asText());
          documents.put(
              field.getKey().substring(DOCUMENT_PREFIX.length()),
              new DocumentRoot(
                  definition.path("table").asText(),
                  definition.hasNonNull("filter") ? definition.get("filter").asText() : null));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Reading " + sourceConfig, e);
    }
    return documents;
  }

  private final PostgresNode postgres;
  private final String database;
  private final SearchNode elasticsearch;
  private final String topicPrefix;
  private final Map<String, DocumentRoot> documents;
  private final Admin admin;

  SnapshotProgress(
      PostgresNode postgres,
      String database,
      KafkaBroker kafka,
      SearchNode elasticsearch,
      String topicPrefix,
      Map<String, DocumentRoot> documents) {
    this.postgres = postgres;
    this.database = database;
    this.elasticsearch = elasticsearch;
    this.topicPrefix = topicPrefix;
    this.documents = documents;
    this.admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, (Object) kafka.bootstrapServers()));
  }

  Counts read() {
    Map<String, Long> rows = rowCounts();
    long indexed = 0;
    for (String table : rows.keySet()) {
      indexed += documentCount(table);
    }
    Map<String, DocumentCount> documentCounts = new TreeMap<>();
    documents.forEach(
        (name, root) ->
            documentCounts.put(name, new DocumentCount(rootCount(root), documentCount(name))));
    return new Counts(
        rows.values().stream().mapToLong(Long::longValue).sum(),
        eventCount(rows.keySet()),
        indexed,
        documentCounts);
  }

  /** The root rows inside the filter: how many documents there are to index. */
  private long rootCount(DocumentRoot root) {
    try (Connection connection = postgres.connect(database);
        Statement statement = connection.createStatement();
        ResultSet result =
            statement.executeQuery(
                "SELECT count(*) FROM "
                    + root.table()
                    + (root.filter() == null ? "" : " WHERE " + root.filter()))) {
      result.next();
      return result.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException("Counting the rows of " + root.table(), e);
    }
  }

  /** Row counts of the tables of schema public, except the connector's own signal table. */
  private Map<String, Long> rowCounts() {
    Map<String, Long> counts = new HashMap<>();
    try (Connection connection = postgres.connect(database);
        Statement statement = connection.createStatement()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet result =
          statement.executeQuery(
              "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                  + " AND tablename NOT LIKE 'pgsearch\\_%'")) {
        while (result.next()) {
          tables.add(result.getString(1));
        }
      }
      for (String table : tables) {
        try (ResultSet result =
            statement.executeQuery("SELECT count(*) FROM public.\"" + table + "\"")) {
          result.next();
          counts.put(table, result.getLong(1));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Counting rows in PostgreSQL database " + database, e);
    }
    return counts;
  }

  private long eventCount(Set<String> tables) {
    try {
      Set<String> existing = admin.listTopics().names().get(10, TimeUnit.SECONDS);
      List<String> topics =
          tables.stream()
              .map(t -> topicPrefix + ".public." + t)
              .filter(existing::contains)
              .toList();
      if (topics.isEmpty()) {
        return 0;
      }
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (TopicDescription topic :
          admin.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS).values()) {
        topic
            .partitions()
            .forEach(
                p ->
                    latest.put(
                        new TopicPartition(topic.name(), p.partition()), OffsetSpec.latest()));
      }
      return admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).values().stream()
          .mapToLong(info -> info.offset())
          .sum();
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Reading topic offsets from Kafka", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted", e);
    }
  }

  private long documentCount(String index) {
    SearchNode.Response response = elasticsearch.request("GET", "/" + index + "/_count", null);
    if (response.status() != 200) {
      return 0;
    }
    try {
      return JSON.readTree(response.body()).path("count").asLong();
    } catch (IOException e) {
      throw new IllegalStateException("Elasticsearch answered _count with " + response.body(), e);
    }
  }

  @Override
  public void close() {
    admin.close();
  }
}

package io.pgsearch.connect.convergence;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgsearch.connect.sink.document.DocumentIds;
import io.pgsearch.connect.sink.document.DocumentJson;
import io.pgsearch.connect.source.DocumentReader;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.elasticsearch.client.RestClient;

/**
 * Compares a PostgreSQL table with its Elasticsearch index, row by row and field by field, after
 * the conversions the transforms make, and reports missing, extra and stale documents.
 *
 * <p>The document id of each row is built by the sink's own {@code DocumentIds} from the key
 * columns' values, so composite keys give {@code a|b} exactly as indexed. The whole index is read
 * into memory (a scroll over {@code _doc}), then the rows are streamed and matched. Run it on a
 * quiet table, or after the pipeline caught up: a change in flight shows up as a difference.
 */
public final class ConvergenceChecker implements AutoCloseable {
  static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
          .build();

  private final Connection connection;
  private final ElasticsearchAccess elasticsearch;
  private final boolean refresh;

  /**
   * A checker on an open connection and client, which it closes when closed.
   *
   * @param refresh refresh each index before reading it, so every indexed document is seen
   */
  public ConvergenceChecker(Connection connection, RestClient elasticsearch, boolean refresh) {
    this.connection = connection;
    this.elasticsearch = new ElasticsearchAccess(elasticsearch, JSON);
    this.refresh = refresh;
  }

  /**
   * A client of Elasticsearch at {@code url}, for {@link #ConvergenceChecker(Connection,
   * RestClient, boolean)}.
   *
   * @param username null for none
   * @param caPem the PEM text of the CA that signed Elasticsearch's certificate, or null
   */
  /** The field ChangeEventToDocument adds, with its default prefix, to a row left partly out. */
  static final String OMITTED_FIELD = "__omitted";

  public static RestClient elasticsearchClient(
      String url, String username, String password, String caPem) {
    return ElasticsearchAccess.client(url, username, password, caPem);
  }

  /** Compares the table's rows (those matching the check's condition) with the index. */
  public ConvergenceReport check(TableCheck check) throws SQLException, IOException {
    TableShape shape =
        TableShape.read(connection, check.table(), check.keyColumns(), check.columns());
    if (refresh) {
      elasticsearch.refresh(check.index());
    }
    Map<String, ObjectNode> documents = elasticsearch.documents(check.index());
    if (documents == null) {
      documents = new HashMap<>();
    }
    long documentCount = documents.size();
    Differences differences = new Differences(check.examples());
    long rows = 0;
    boolean autoCommit = connection.getAutoCommit();
    // A cursor (fetch size) needs a transaction; the session's time zone does not matter, since
    // timestamptz values are compared as instants.
    connection.setAutoCommit(false);
    try (Statement statement = connection.createStatement()) {
      statement.setFetchSize(1000);
      try (ResultSet result = statement.executeQuery(shape.select(check.where()))) {
        while (result.next()) {
          rows++;
          String id = documentId(shape, result);
          ObjectNode document = documents.remove(id);
          if (document == null) {
            differences.missing(id);
          } else {
            List<String> stale = staleFields(shape, result, document);
            if (!stale.isEmpty()) {
              differences.stale(id, stale);
            }
          }
        }
      }
    } finally {
      connection.rollback();
      connection.setAutoCommit(autoCommit);
    }
    documents.keySet().forEach(differences::extra);
    return differences.report(check.table(), check.index(), rows, documentCount);
  }

  /**
   * Compares a document of related tables with its index: every root inside the definition's filter
   * rebuilt from PostgreSQL as the source connector builds it, rendered as the sink renders it, and
   * compared value by value (stale fields are named by path: {@code items[2].product}). The source
   * config gives the definition and the connection; this checker's own connection is not used.
   */
  public ConvergenceReport check(DocumentCheck check) throws Exception {
    if (refresh) {
      elasticsearch.refresh(check.index());
    }
    Map<String, ObjectNode> documents = elasticsearch.documents(check.index());
    if (documents == null) {
      documents = new HashMap<>();
    }
    Map<String, ObjectNode> indexed = documents;
    long documentCount = indexed.size();
    Differences differences = new Differences(check.examples());
    long[] roots = {0};
    try (DocumentReader reader = DocumentReader.open(check.sourceConfig(), check.document())) {
      reader.forEach(
          document -> {
            roots[0]++;
            String id = DocumentIds.fromKey(document.key());
            ObjectNode found = indexed.remove(id);
            if (found == null) {
              differences.missing(id);
              return;
            }
            // Through the very bytes the sink sends, parsed as the index's are.
            JsonNode expected =
                JSON.readTree(DocumentJson.toBytes(document.value().schema(), document.value()));
            List<String> stale = DocumentComparison.differences(expected, found);
            if (!stale.isEmpty()) {
              differences.stale(id, stale);
            }
          });
    }
    indexed.keySet().forEach(differences::extra);
    return differences.report(
        "document " + check.document(), check.index(), roots[0], documentCount);
  }

  private static String documentId(TableShape shape, ResultSet result) throws SQLException {
    Map<String, Object> key = new LinkedHashMap<>();
    for (int i = 0; i < shape.keyColumns().size(); i++) {
      key.put(shape.keyColumns().get(i), result.getObject(i + 1));
    }
    return DocumentIds.fromKey(key);
  }

  private static List<String> staleFields(TableShape shape, ResultSet result, ObjectNode document)
      throws SQLException {
    List<String> stale = new ArrayList<>();
    List<String> omitted = omittedColumns(document);
    int offset = shape.keyColumns().size() + 1;
    for (int i = 0; i < shape.columns().size(); i++) {
      TableShape.Column column = shape.columns().get(i);
      if (omitted.contains(column.name())) {
        continue; // left out of a row too large for Kafka, and flagged as such
      }
      String text = result.getString(offset + i);
      JsonNode row = text == null ? null : parse(text);
      if (!FieldComparison.same(column.kind(), row, document.get(column.name()))) {
        stale.add(column.name());
      }
    }
    return stale;
  }

  /**
   * The columns the source connector left out of the document's row because it was too large for
   * Kafka: the transforms list them in {@value #OMITTED_FIELD} (with the default prefix).
   */
  private static List<String> omittedColumns(ObjectNode document) {
    List<String> omitted = new ArrayList<>();
    document.path(OMITTED_FIELD).forEach(name -> omitted.add(name.asText()));
    return omitted;
  }

  private static JsonNode parse(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new IllegalStateException("PostgreSQL rendered invalid JSON", e);
    }
  }

  @Override
  public void close() throws SQLException, IOException {
    try {
      connection.close();
    } finally {
      elasticsearch.close();
    }
  }

  /** Counts and first examples of each kind of difference. */
  private static final class Differences {
    private final int examples;
    private final List<String> missing = new ArrayList<>();
    private final List<String> extra = new ArrayList<>();
    private final List<ConvergenceReport.Stale> stale = new ArrayList<>();
    private long missingCount;
    private long extraCount;
    private long staleCount;

    Differences(int examples) {
      this.examples = examples;
    }

    void missing(String id) {
      if (missingCount++ < examples) {
        missing.add(id);
      }
    }

    void extra(String id) {
      if (extraCount++ < examples) {
        extra.add(id);
      }
    }

    void stale(String id, List<String> fields) {
      if (staleCount++ < examples) {
        stale.add(new ConvergenceReport.Stale(id, List.copyOf(fields)));
      }
    }

    ConvergenceReport report(String table, String index, long rows, long documents) {
      return new ConvergenceReport(
          table,
          index,
          rows,
          documents,
          missingCount,
          List.copyOf(missing),
          extraCount,
          List.copyOf(extra),
          staleCount,
          List.copyOf(stale));
    }
  }
}

package io.pgsearch.connect.source;

import io.debezium.config.Configuration;
import io.debezium.connector.postgresql.PostgresConnectorConfig;
import io.pgsearch.connect.source.DocumentRelations.Resolved;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;

/**
 * Reads every document of a definition from PostgreSQL's current state, exactly as the source
 * connector builds them (the same definition, queries, Debezium converters, keys and schemas), for
 * the convergence checker to compare with the index. Roots come in keyset pages of {@link
 * DocumentBuilder#BATCH}, so memory grows with a page, not with the table.
 */
public final class DocumentReader implements AutoCloseable {
  /** A document: the record key the connector gives it, and its value (with its schema). */
  public record Document(Struct key, Struct value) {}

  /** What to do with each document; may fail. */
  @FunctionalInterface
  public interface Visitor {
    void visit(Document document) throws Exception;
  }

  private final DocumentRows rows;
  private final Resolved root;
  private final DocumentBuilder builder;

  private DocumentReader(DocumentRows rows, Resolved root, DocumentBuilder builder) {
    this.rows = rows;
    this.root = root;
    this.builder = builder;
  }

  /**
   * A reader of document {@code name} defined in a source connector's config (the {@code config}
   * object users POST to Connect): its {@code document.<name>} key, connection and conversion
   * settings (decimal, time and binary modes).
   *
   * @throws IllegalArgumentException when the config defines no such document or is invalid
   * @throws ConnectException when the definition does not match the database, or it cannot be read
   */
  public static DocumentReader open(Map<String, String> connectorConfig, String name) {
    PostgresSourceConfig config;
    try {
      config = new PostgresSourceConfig(connectorConfig);
    } catch (org.apache.kafka.common.config.ConfigException e) {
      throw new IllegalArgumentException(
          "the source connector config is invalid: " + e.getMessage());
    }
    String json = config.documents().get(name);
    if (json == null) {
      throw new IllegalArgumentException(
          "the source connector config has no "
              + PostgresSourceConfig.DOCUMENT_PREFIX
              + name
              + " key; it defines "
              + (config.documents().isEmpty()
                  ? "no document"
                  : "the documents " + String.join(", ", config.documents().keySet())));
    }
    DocumentRows rows =
        new DocumentRows(
            new PostgresConnectorConfig(Configuration.from(DebeziumProperties.base(config))));
    try {
      Resolved root = DocumentStage.resolve(rows, schemas(name, json), name, json);
      return new DocumentReader(rows, root, new DocumentBuilder(name, root, rows));
    } catch (SQLException | DocumentDefinition.InvalidDefinition | RuntimeException e) {
      throw rows.closeAfter(e, "Reading document " + name + " failed: ");
    }
  }

  /** The schemas of the tables a definition names, its join tables' included. */
  private static List<String> schemas(String name, String json)
      throws DocumentDefinition.InvalidDefinition {
    Set<String> schemas = new LinkedHashSet<>();
    List<DocumentDefinition.Node> nodes = new ArrayList<>();
    nodes.add(DocumentDefinition.parse(name, json).root());
    while (!nodes.isEmpty()) {
      DocumentDefinition.Node node = nodes.remove(nodes.size() - 1);
      schemas.add(node.table().schema());
      if (node.through() != null) {
        schemas.add(node.through().schema());
      }
      nodes.addAll(node.children());
    }
    return List.copyOf(schemas);
  }

  /** Visits every document (every root inside the filter), in the order of the root's key. */
  public void forEach(Visitor visitor) throws Exception {
    RootPages pages = RootPages.keyset(after -> rows.rootKeys(root, after));
    for (List<List<Object>> page = pages.next(); !page.isEmpty(); page = pages.next()) {
      Map<List<Object>, Struct> built = builder.build(page);
      for (List<Object> key : page) {
        Struct value = built.get(DocumentBuilder.normalized(key));
        if (value != null) { // gone since the page was read
          visitor.visit(new Document(rows.key(root.table().name(), key), value));
        }
      }
    }
  }

  @Override
  public void close() throws SQLException {
    rows.close();
  }
}

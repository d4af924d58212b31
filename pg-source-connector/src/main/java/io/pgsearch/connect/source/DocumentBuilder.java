package io.pgsearch.connect.source;

import io.pgsearch.connect.source.DocumentRelations.Kind;
import io.pgsearch.connect.source.DocumentRelations.Resolved;
import io.pgsearch.connect.source.DocumentRows.Row;
import io.pgsearch.connect.transforms.PgsearchSchemas;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;

/**
 * Builds the documents of a batch of roots: one query per table of the definition and batch of
 * parent rows (at most {@link #BATCH} keys each), never one per document, so memory and queries
 * grow with the batch, not with the data. A document's value is a struct of the root's columns and,
 * under their field names, a related table's row (a struct, or null) or rows (an array, ordered by
 * primary key), each with the very values of its table's topic.
 */
final class DocumentBuilder {
  /** The most key tuples one statement takes. */
  static final int BATCH = 500;

  private final String name;
  private final Resolved root;
  private final DocumentRows rows;

  /** A schema change in the middle of every build this many times running is not a race. */
  private static final int ATTEMPTS = 5;

  private final Map<Resolved, Schema> schemas = new IdentityHashMap<>();
  private int generation = -1;

  DocumentBuilder(String name, Resolved root, DocumentRows rows) throws SQLException {
    this.name = name;
    this.root = root;
    this.rows = rows;
    schemas();
  }

  /** The schema of the documents' values, as of the last build (ALTER TABLE changes it). */
  Schema schema() {
    return schemas.get(root);
  }

  /** Builds the schemas again when a table's columns changed since they were built. */
  private void schemas() throws SQLException {
    if (generation != rows.generation()) {
      generation = rows.generation();
      schemas.clear();
      // Optional: the document is the after-image of the change event it travels in.
      schema(root, "", true);
    }
  }

  /**
   * The documents of the roots with these primary keys (values in key column order, as the driver
   * reads them), by key; a root that does not exist or is outside the filter has none.
   */
  Map<List<Object>, Struct> build(List<List<Object>> keys) throws SQLException {
    for (int attempt = 1; ; attempt++) {
      schemas();
      Map<List<Object>, Struct> documents = buildOnce(keys);
      if (documents != null) {
        return documents;
      }
      // A table's columns changed while its rows were read: build again, all with one schema.
      if (attempt == ATTEMPTS) {
        throw new SQLException(
            "Document "
                + name
                + ": the columns of its tables changed during each of "
                + ATTEMPTS
                + " builds running");
      }
    }
  }

  /** The documents, or null when a table's columns changed while its rows were read. */
  private Map<List<Object>, Struct> buildOnce(List<List<Object>> keys) throws SQLException {
    Map<List<Object>, Struct> documents = new LinkedHashMap<>();
    for (int from = 0; from < keys.size(); from += BATCH) {
      List<List<Object>> batch = keys.subList(from, Math.min(keys.size(), from + BATCH));
      int before = rows.generation();
      List<Row> roots =
          rows.rows(root.table().name(), DocumentQueries.roots(root, batch.size()), flatten(batch));
      List<String> key = root.table().primaryKey();
      Map<Resolved, Map<List<Object>, List<Row>>> related = children(root, roots);
      if (rows.generation() != before) {
        return null; // rows read with another schema than the documents' structs have
      }
      for (Row row : roots) {
        documents.put(normalized(values(root, row, key)), assemble(root, row, related));
      }
    }
    return documents;
  }

  /** The key of a document as {@link #build} returns it, for raw key values. */
  static List<Object> normalized(List<Object> values) {
    List<Object> key = new ArrayList<>(values.size());
    for (Object value : values) {
      key.add(value instanceof Number number ? normalize(number) : value);
    }
    return key;
  }

  /** Numbers of different Java types (an int column referencing a bigint) compare by value. */
  private static BigDecimal normalize(Number number) {
    return new BigDecimal(number.toString()).stripTrailingZeros();
  }

  /** The related rows below {@code parents}, fetched level by level, by node and parent link. */
  private Map<Resolved, Map<List<Object>, List<Row>>> children(Resolved node, List<Row> parents)
      throws SQLException {
    Map<Resolved, Map<List<Object>, List<Row>>> below = new IdentityHashMap<>();
    for (Resolved child : node.children()) {
      List<String> parentColumns = DocumentQueries.parentColumns(child.relation());
      Set<List<Object>> links = new LinkedHashSet<>();
      for (Row parent : parents) {
        List<Object> link = values(node, parent, parentColumns);
        if (!link.contains(null)) {
          links.add(link);
        }
      }
      List<Row> found = new ArrayList<>();
      List<List<Object>> all = new ArrayList<>(links);
      for (int from = 0; from < all.size(); from += BATCH) {
        List<List<Object>> batch = all.subList(from, Math.min(all.size(), from + BATCH));
        found.addAll(
            rows.rows(
                child.table().name(),
                DocumentQueries.children(child, batch.size()),
                flatten(batch)));
      }
      Map<List<Object>, List<Row>> byParent = new HashMap<>();
      for (Row row : found) {
        byParent.computeIfAbsent(link(child, row), k -> new ArrayList<>()).add(row);
      }
      below.put(child, byParent);
      below.putAll(children(child, found));
    }
    return below;
  }

  /** The parent link of a related row: its own columns, or the join table's appended key. */
  private static List<Object> link(Resolved child, Row row) {
    if (child.relation().kind() == Kind.THROUGH) {
      return normalized(List.of(row.extra()));
    }
    return normalized(values(child, row, DocumentQueries.childColumns(child.relation())));
  }

  private Struct assemble(
      Resolved node, Row row, Map<Resolved, Map<List<Object>, List<Row>>> related) {
    Schema schema = schemas.get(node);
    Struct value = new Struct(schema);
    for (Field field : row.value().schema().fields()) {
      String target = target(node, field.name());
      if (target != null) {
        value.put(target, row.value().getWithoutDefault(field.name()));
      }
    }
    for (Resolved child : node.children()) {
      List<Object> link =
          normalized(values(node, row, DocumentQueries.parentColumns(child.relation())));
      List<Row> under = related.get(child).getOrDefault(link, List.of());
      if (child.relation().many()) {
        List<Struct> items = new ArrayList<>(under.size());
        for (Row item : under) {
          items.add(assemble(child, item, related));
        }
        value.put(child.node().field(), items);
      } else {
        value.put(
            child.node().field(), under.isEmpty() ? null : assemble(child, under.get(0), related));
      }
    }
    return value;
  }

  /** The field a column becomes, or null when it is not in the document. */
  private static String target(Resolved node, String column) {
    DocumentDefinition.Node definition = node.node();
    if (definition.columns() != null && !definition.columns().contains(column)) {
      return null;
    }
    if (definition.exclude().contains(column)) {
      return null;
    }
    return definition.rename().getOrDefault(column, column);
  }

  /** Builds and keeps the schema of each node: a related row's struct is optional. */
  private Schema schema(Resolved node, String path, boolean optional) throws SQLException {
    Schema table = rows.schema(node.table().name()).valueSchema();
    SchemaBuilder struct = SchemaBuilder.struct().name(name + (path.isEmpty() ? "" : "." + path));
    if (optional) {
      struct.optional();
    }
    for (Field field : table.fields()) {
      String target = target(node, field.name());
      if (target != null) {
        struct.field(target, field.schema());
      }
    }
    for (Resolved child : node.children()) {
      String childPath = path.isEmpty() ? child.node().field() : path + "." + child.node().field();
      boolean many = child.relation().many();
      Schema childSchema = schema(child, childPath, !many);
      struct.field(child.node().field(), many ? array(child, childSchema) : childSchema);
    }
    Schema built = struct.build();
    schemas.put(node, built);
    return built;
  }

  /** The raw values of {@code columns} in {@code row}. */
  private static List<Object> values(Resolved node, Row row, List<String> columns) {
    List<Object> values = new ArrayList<>(columns.size());
    for (String column : columns) {
      values.add(row.raw(column));
    }
    return values;
  }

  /** The array of a node's related rows, marked for a nested mapping when the definition asks. */
  private static Schema array(Resolved child, Schema elements) {
    SchemaBuilder array = SchemaBuilder.array(elements);
    if (child.node().nested()) {
      array.parameter(PgsearchSchemas.ES_TYPE, "nested");
    }
    return array.build();
  }

  private static List<Object> flatten(List<List<Object>> tuples) {
    List<Object> parameters = new ArrayList<>();
    tuples.forEach(parameters::addAll);
    return parameters;
  }
}

package io.pgsearch.connect.source;

import io.pgsearch.connect.source.DocumentRelations.Kind;
import io.pgsearch.connect.source.DocumentRelations.Resolved;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.connect.data.Struct;

/**
 * Finds the documents a changed row belongs to, through the foreign keys in PostgreSQL (never by
 * searching the index): from the row's old and new values (a moved row leaves one document and
 * joins another) to the parent rows they name, then up to the roots. A change to a table that
 * thousands of roots share is handed over in pages of at most {@link DocumentBuilder#BATCH} roots,
 * so no change needs more memory than a page.
 */
final class DocumentChanges {
  /** Where a table occurs in the definition: as a node, or as the join table of one. */
  private record Occurrence(List<Resolved> path, boolean joinTable) {
    Resolved node() {
      return path.get(path.size() - 1);
    }
  }

  private final Resolved root;
  private final DocumentRows rows;
  private final List<Occurrence> occurrences = new ArrayList<>();

  DocumentChanges(Resolved root, DocumentRows rows) {
    this.root = root;
    this.rows = rows;
    collect(List.of(root));
  }

  private void collect(List<Resolved> path) {
    Resolved node = path.get(path.size() - 1);
    occurrences.add(new Occurrence(path, false));
    if (node.relation() != null && node.relation().kind() == Kind.THROUGH) {
      occurrences.add(new Occurrence(path, true));
    }
    for (Resolved child : node.children()) {
      List<Resolved> longer = new ArrayList<>(path);
      longer.add(child);
      collect(List.copyOf(longer));
    }
  }

  /** Whether a change to {@code table} can change any document. */
  boolean concerns(TableName table) {
    return occurrences.stream().anyMatch(o -> table(o).equals(table));
  }

  /**
   * Hands the primary keys of every root that a change to {@code table} touches, page by page, to
   * {@code page}; {@code before} and {@code after} are the row's old and new values as Debezium
   * gives them (either may be null).
   */
  void roots(TableName table, Struct before, Struct after, Consumer<List<List<Object>>> page)
      throws SQLException {
    Set<List<Object>> direct = new LinkedHashSet<>();
    for (Occurrence occurrence : occurrences) {
      if (!table(occurrence).equals(table)) {
        continue;
      }
      if (occurrence.path().size() == 1) {
        addValues(direct, root.table().primaryKey(), before, after);
        continue;
      }
      Lookup lookup = lookup(occurrence);
      Set<List<Object>> links = new LinkedHashSet<>();
      addValues(links, lookup.rowColumns(), before, after);
      if (!links.isEmpty()) {
        pages(lookup, new ArrayList<>(links), page);
      }
    }
    if (!direct.isEmpty()) {
      List<List<Object>> keys = new ArrayList<>(direct);
      for (int from = 0; from < keys.size(); from += DocumentBuilder.BATCH) {
        page.accept(keys.subList(from, Math.min(keys.size(), from + DocumentBuilder.BATCH)));
      }
    }
  }

  /**
   * How a changed row leads up: its {@code rowColumns} equal the {@code columns} of the last table
   * of {@code path}, whose roots are then found by joins.
   */
  private record Lookup(List<Resolved> path, List<String> columns, List<String> rowColumns) {}

  private static Lookup lookup(Occurrence occurrence) {
    List<Resolved> path = occurrence.path();
    Resolved node = occurrence.node();
    List<Resolved> toParent = path.subList(0, path.size() - 1);
    var relation = node.relation();
    if (occurrence.joinTable()) {
      // A join table row names its parent by the key to the parent.
      return new Lookup(toParent, relation.key().toColumns(), relation.key().fromColumns());
    }
    if (relation.kind() == Kind.THROUGH) {
      // A row related through a join table: its parents are found across the join table.
      List<String> own = DocumentQueries.childColumns(relation);
      return new Lookup(path, own, own);
    }
    return new Lookup(
        toParent, DocumentQueries.parentColumns(relation), DocumentQueries.childColumns(relation));
  }

  /** Runs the lookup for the link tuples in batches, paging through the roots of each. */
  private void pages(Lookup lookup, List<List<Object>> links, Consumer<List<List<Object>>> page)
      throws SQLException {
    Resolved top = lookup.path().get(0);
    int keySize = top.table().primaryKey().size();
    for (int from = 0; from < links.size(); from += DocumentBuilder.BATCH) {
      List<List<Object>> batch =
          links.subList(from, Math.min(links.size(), from + DocumentBuilder.BATCH));
      List<Object> parameters = new ArrayList<>();
      batch.forEach(parameters::addAll);
      List<Object> after = null;
      while (true) {
        List<Object> bound = new ArrayList<>(parameters);
        if (after != null) {
          bound.addAll(after);
        }
        String sql =
            DocumentQueries.rootsAbove(lookup.path(), lookup.columns(), batch.size(), after != null)
                + " LIMIT "
                + DocumentBuilder.BATCH;
        List<List<Object>> roots = rows.keys(sql, bound, keySize);
        if (roots.isEmpty()) {
          break;
        }
        page.accept(roots);
        if (roots.size() < DocumentBuilder.BATCH) {
          break;
        }
        after = roots.get(roots.size() - 1);
      }
    }
  }

  /** Adds the values of {@code columns} in each image that has them all non-null. */
  private static void addValues(
      Set<List<Object>> into, List<String> columns, Struct before, Struct after) {
    for (Struct image : new Struct[] {before, after}) {
      if (image == null) {
        continue;
      }
      List<Object> values = new ArrayList<>(columns.size());
      for (String column : columns) {
        values.add(image.schema().field(column) == null ? null : image.getWithoutDefault(column));
      }
      if (!values.contains(null)) {
        into.add(values);
      }
    }
  }

  private static TableName table(Occurrence occurrence) {
    return occurrence.joinTable()
        ? occurrence.node().relation().key().from()
        : occurrence.node().table().name();
  }
}

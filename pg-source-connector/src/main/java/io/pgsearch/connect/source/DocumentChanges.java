package io.pgsearch.connect.source;

import io.pgsearch.connect.source.DocumentRelations.Kind;
import io.pgsearch.connect.source.DocumentRelations.Resolved;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.connect.data.Struct;

/**
 * Finds the documents a changed row belongs to, through the foreign keys in PostgreSQL (never by
 * searching the index): from the row's old and new values (a moved row leaves one document and
 * joins another) to the parent rows they name, then up to the roots. A change to a table that
 * thousands of roots share is handed over in pages of at most {@link DocumentBuilder#BATCH} roots,
 * each read when it is asked for, so no change needs more memory than a page.
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
   * The primary keys of every root that a change to {@code table} touches, in pages read when asked
   * for; {@code before} and {@code after} are the row's old and new values as Debezium gives them
   * (either may be null).
   */
  RootPages roots(TableName table, Struct before, Struct after) {
    Set<List<Object>> direct = new LinkedHashSet<>();
    List<RootPages> parts = new ArrayList<>();
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
        parts.add(pages(lookup, new ArrayList<>(links)));
      }
    }
    if (!direct.isEmpty()) {
      parts.add(RootPages.of(new ArrayList<>(direct)));
    }
    return RootPages.concat(parts);
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

  /**
   * The roots above the rows with these link tuples (an old and a new value at most), by keyset
   * pages of the root's key.
   */
  private RootPages pages(Lookup lookup, List<List<Object>> links) {
    Resolved top = lookup.path().get(0);
    int keySize = top.table().primaryKey().size();
    List<Object> parameters = new ArrayList<>();
    links.forEach(parameters::addAll);
    return RootPages.keyset(
        after -> {
          List<Object> bound = new ArrayList<>(parameters);
          if (after != null) {
            bound.addAll(after);
          }
          String sql =
              DocumentQueries.rootsAbove(
                      lookup.path(), lookup.columns(), links.size(), after != null)
                  + " LIMIT "
                  + DocumentBuilder.BATCH;
          return rows.keys(sql, bound, keySize);
        });
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

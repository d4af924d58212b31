package io.pgsearch.connect.source;

import io.pgsearch.connect.source.PostgresCatalog.ForeignKey;
import io.pgsearch.connect.source.PostgresCatalog.TableInfo;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A {@link DocumentDefinition} checked against PostgreSQL's catalog: every table and column exists,
 * the root has a primary key, each related table is joined by exactly one foreign key (or the one
 * named), no table is its own ancestor, and each table logs in its old rows the columns that lead
 * from a changed row to its parent, so a deleted or moved row still finds the documents it was in.
 */
final class DocumentRelations {

  /** How a related table joins its parent. */
  enum Kind {
    /** The related table references the parent (order_items.order_id): its rows under it. */
    REFERENCES_PARENT,
    /** The parent references the related table (orders.customer_id): one row under it. */
    REFERENCED_BY_PARENT,
    /** A join table references both (order_tags): its rows' related rows under the parent. */
    THROUGH
  }

  /**
   * The join of a related table: {@code key} links it (or, through a join table, the join table) to
   * the parent; {@code throughKey} links the join table to the related table. {@code many}: an
   * array of objects, else one object (or null).
   */
  record Relation(Kind kind, ForeignKey key, ForeignKey throughKey, boolean many) {}

  /** A node of the definition with its table and its relation to the parent (null at the root). */
  record Resolved(
      DocumentDefinition.Node node, TableInfo table, Relation relation, List<Resolved> children) {}

  private final Map<TableName, TableInfo> tables;
  private final List<ForeignKey> foreignKeys;
  private final Map<TableName, List<List<String>>> uniqueKeys;
  private final List<String> errors = new ArrayList<>();
  private final Map<TableName, String> unlogged = new LinkedHashMap<>();

  private DocumentRelations(
      Map<TableName, TableInfo> tables,
      List<ForeignKey> foreignKeys,
      Map<TableName, List<List<String>>> uniqueKeys) {
    this.tables = tables;
    this.foreignKeys = foreignKeys;
    this.uniqueKeys = uniqueKeys;
  }

  /**
   * The outcome: the resolved tree, or every error found (each naming the node at fault); and the
   * tables whose replica identity does not log the columns that lead to a parent, each with its
   * error, which {@code replica.identity.autoset} may fix instead.
   */
  record Outcome(Resolved root, List<String> errors, Map<TableName, String> unlogged) {
    boolean ok() {
      return errors.isEmpty();
    }

    /** The errors and the replica identities missing, for a caller that sets none. */
    List<String> allErrors() {
      List<String> all = new ArrayList<>(errors);
      all.addAll(unlogged.values());
      return all;
    }
  }

  /**
   * Resolves {@code definition} against the catalog: {@code tables} by name, every foreign key, and
   * each table's unique keys (primary key included).
   */
  static Outcome resolve(
      DocumentDefinition definition,
      Map<TableName, TableInfo> tables,
      List<ForeignKey> foreignKeys,
      Map<TableName, List<List<String>>> uniqueKeys) {
    DocumentRelations relations = new DocumentRelations(tables, foreignKeys, uniqueKeys);
    Resolved root = relations.node(definition.root(), null, List.of());
    if (root != null && !root.table().hasPrimaryKey()) {
      relations.error(
          definition.root(),
          "the root table "
              + root.table().name()
              + " has no primary key: the document _id is the root's primary key");
    }
    return new Outcome(
        relations.errors.isEmpty() ? root : null,
        List.copyOf(relations.errors),
        Collections.unmodifiableMap(new LinkedHashMap<>(relations.unlogged)));
  }

  private Resolved node(DocumentDefinition.Node node, TableInfo parent, List<TableName> ancestors) {
    TableInfo table = tables.get(node.table());
    if (table == null) {
      error(
          node,
          "table "
              + node.table()
              + " does not exist or is not captured (see `schemas` and `tables`)");
      return null;
    }
    if (ancestors.contains(node.table())) {
      error(
          node,
          "table "
              + node.table()
              + " is its own ancestor here ("
              + ancestors.stream().map(TableName::toString).collect(Collectors.joining(" > "))
              + " > "
              + node.table()
              + "): a document cannot nest a table in itself");
      return null;
    }
    checkColumns(node, table);
    Relation relation = parent == null ? null : relation(node, parent.name(), table);
    List<TableName> path = new ArrayList<>(ancestors);
    path.add(node.table());
    List<Resolved> children = new ArrayList<>();
    for (DocumentDefinition.Node child : node.children()) {
      Resolved resolved = node(child, table, List.copyOf(path));
      if (resolved != null) {
        children.add(resolved);
      }
    }
    return new Resolved(node, table, relation, List.copyOf(children));
  }

  private void checkColumns(DocumentDefinition.Node node, TableInfo table) {
    Set<String> named = new LinkedHashSet<>();
    if (node.columns() != null) {
      named.addAll(node.columns());
    }
    named.addAll(node.exclude());
    named.addAll(node.rename().keySet());
    for (String column : named) {
      if (!table.columns().contains(column)) {
        error(
            node,
            "table "
                + table.name()
                + " has no column \""
                + column
                + "\"; it has "
                + table.columns());
      }
    }
  }

  private Relation relation(DocumentDefinition.Node node, TableName parent, TableInfo child) {
    if (node.through() != null) {
      return through(node, parent, child);
    }
    List<ForeignKey> candidates = new ArrayList<>();
    for (ForeignKey key : foreignKeys) {
      boolean down = key.from().equals(child.name()) && key.to().equals(parent);
      boolean up = key.from().equals(parent) && key.to().equals(child.name());
      if (down || up) {
        candidates.add(key);
      }
    }
    ForeignKey key = pick(node, candidates, node.foreignKey(), parent, child.name());
    if (key == null) {
      return null;
    }
    Relation relation;
    if (key.from().equals(child.name())) {
      boolean unique = isUnique(child.name(), key.fromColumns());
      relation = new Relation(Kind.REFERENCES_PARENT, key, null, !unique);
      requireLogged(node, child, key.fromColumns(), parent);
    } else {
      relation = new Relation(Kind.REFERENCED_BY_PARENT, key, null, false);
    }
    if (node.nested() && !relation.many()) {
      error(node, "\"nested\" applies to arrays (one-to-many, many-to-many); this is one object");
    }
    return relation;
  }

  private Relation through(DocumentDefinition.Node node, TableName parent, TableInfo child) {
    TableInfo join = tables.get(node.through());
    if (join == null) {
      error(node, "join table " + node.through() + " does not exist");
      return null;
    }
    String[] named = node.foreignKey() == null ? new String[2] : node.foreignKey().split(",", -1);
    if (named.length != 2) {
      error(
          node,
          "with \"through\", foreign_key names two constraints: \"<join table to parent>,<join"
              + " table to "
              + child.name()
              + ">\"");
      return null;
    }
    ForeignKey up =
        pick(node, referencing(join.name(), parent), blankToNull(named[0]), join.name(), parent);
    ForeignKey down =
        pick(
            node,
            referencing(join.name(), child.name()),
            blankToNull(named[1]),
            join.name(),
            child.name());
    if (up == null || down == null) {
      return null;
    }
    requireLogged(node, join, up.fromColumns(), parent);
    requireLogged(node, join, down.fromColumns(), child.name());
    return new Relation(Kind.THROUGH, up, down, true);
  }

  private List<ForeignKey> referencing(TableName from, TableName to) {
    return foreignKeys.stream().filter(k -> k.from().equals(from) && k.to().equals(to)).toList();
  }

  private ForeignKey pick(
      DocumentDefinition.Node node,
      List<ForeignKey> candidates,
      String named,
      TableName one,
      TableName other) {
    if (named != null) {
      for (ForeignKey key : candidates) {
        if (key.name().equals(named.strip())) {
          return key;
        }
      }
      error(
          node,
          "no foreign key named \""
              + named.strip()
              + "\" joins "
              + one
              + " and "
              + other
              + "; "
              + describe(candidates));
      return null;
    }
    if (candidates.size() == 1) {
      return candidates.get(0);
    }
    if (candidates.isEmpty()) {
      error(
          node,
          "no foreign key joins "
              + one
              + " and "
              + other
              + ": declare one in PostgreSQL (the document follows foreign keys), or relate the"
              + " tables through a join table with \"through\"");
    } else {
      error(
          node,
          "several foreign keys join "
              + one
              + " and "
              + other
              + "; name one with \"foreign_key\": "
              + describe(candidates));
    }
    return null;
  }

  /**
   * The columns that lead from a row of {@code table} to its parent must be in its old rows as
   * PostgreSQL logs them: a deleted row, or one moved to another parent, must still name the parent
   * whose document it leaves.
   */
  private void requireLogged(
      DocumentDefinition.Node node, TableInfo table, List<String> columns, TableName parent) {
    Set<String> logged = table.identityColumns();
    if (!logged.containsAll(columns)) {
      unlogged.putIfAbsent(
          table.name(),
          (node.path().isEmpty() ? "" : node.path() + ": ")
              + "a deleted or moved row of "
              + table.name()
              + " must still name its "
              + parent
              + " row, but its replica identity ("
              + table.describeIdentity()
              + ") does not log "
              + columns
              + ": run ALTER TABLE "
              + table.name().quoted()
              + " REPLICA IDENTITY FULL");
    }
  }

  private boolean isUnique(TableName table, List<String> columns) {
    Set<String> wanted = Set.copyOf(columns);
    for (List<String> key : uniqueKeys.getOrDefault(table, List.of())) {
      if (wanted.containsAll(key)) {
        return true;
      }
    }
    return false;
  }

  private static String describe(List<ForeignKey> keys) {
    if (keys.isEmpty()) {
      return "there is none";
    }
    return "there are "
        + keys.stream()
            .map(k -> k.name() + " (" + k.from() + " " + k.fromColumns() + ")")
            .collect(Collectors.joining(", "));
  }

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : text;
  }

  private void error(DocumentDefinition.Node node, String message) {
    errors.add((node.path().isEmpty() ? "" : node.path() + ": ") + message);
  }
}

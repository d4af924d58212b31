package io.pgsearch.connect.source;

import io.pgsearch.connect.source.DocumentRelations.Kind;
import io.pgsearch.connect.source.DocumentRelations.Relation;
import io.pgsearch.connect.source.DocumentRelations.Resolved;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The SQL that builds and finds documents, for batches of keys: the rows of one table of the
 * document for a batch of parent rows (one query per table and batch, never one per document), and
 * the roots a changed row belongs to, found through the foreign keys in PostgreSQL. Every statement
 * takes {@code count} key tuples as positional parameters, columns in the order the method names.
 */
final class DocumentQueries {
  /** Where a join table's parent-side key columns appear among a child query's columns. */
  static final String PARENT_ALIAS = "pgsearch_parent_";

  private DocumentQueries() {}

  /**
   * The columns of {@code child}'s table that equal, pairwise, {@link #parentColumns} of its
   * parent: how its rows are grouped under their parent's rows.
   */
  static List<String> childColumns(Relation relation) {
    return switch (relation.kind()) {
      case REFERENCES_PARENT -> relation.key().fromColumns();
      case REFERENCED_BY_PARENT -> relation.key().toColumns();
      case THROUGH -> relation.throughKey().toColumns();
    };
  }

  /** The parent's columns a related table's rows are found by. */
  static List<String> parentColumns(Relation relation) {
    return switch (relation.kind()) {
      case REFERENCES_PARENT, THROUGH -> relation.key().toColumns();
      case REFERENCED_BY_PARENT -> relation.key().fromColumns();
    };
  }

  /**
   * The root rows of {@code count} documents by primary key, the root's filter applied: a root
   * missing from the result has no document (deleted, or outside its filter).
   */
  static String roots(Resolved root, int count) {
    String filter = root.node().filter();
    return "SELECT * FROM "
        + root.table().name().quoted()
        + " r WHERE "
        + in("r", root.table().primaryKey(), count)
        + (filter == null ? "" : " AND (" + filter + ")");
  }

  /**
   * A page of the primary keys of every root inside the filter, in key order, after the key given
   * as parameters when {@code after} (keyset paging): the roots a full rebuild or a check visits.
   */
  static String rootKeys(Resolved root, boolean after, int limit) {
    List<String> key = root.table().primaryKey();
    String columns = key.stream().map(c -> "r." + TableName.quote(c)).collect(joining());
    List<String> conditions = new ArrayList<>();
    if (after) {
      conditions.add("(" + columns + ") > (" + key.stream().map(c -> "?").collect(joining()) + ")");
    }
    if (root.node().filter() != null) {
      conditions.add("(" + root.node().filter() + ")");
    }
    return "SELECT "
        + columns
        + " FROM "
        + root.table().name().quoted()
        + " r"
        + (conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions))
        + orderBy("r", key)
        + " LIMIT "
        + limit;
  }

  /**
   * The rows of {@code child} under {@code count} parent rows, given by the values of {@link
   * #parentColumns}. Through a join table, each row comes once per parent, with the parent's key
   * appended as {@code pgsearch_parent_<i>} columns; otherwise the rows' own {@link #childColumns}
   * tell their parent. Ordered by primary key (after the parent's, through a join table), so arrays
   * are stable.
   */
  static String children(Resolved child, int count) {
    Relation relation = child.relation();
    String table = child.table().name().quoted();
    String order = orderBy("c", child.table().primaryKey());
    if (relation.kind() != Kind.THROUGH) {
      return "SELECT c.* FROM "
          + table
          + " c WHERE "
          + in("c", childColumns(relation), count)
          + order;
    }
    List<String> up = relation.key().fromColumns();
    List<String> parentKey = new ArrayList<>();
    for (int i = 0; i < up.size(); i++) {
      parentKey.add("j." + TableName.quote(up.get(i)) + " AS " + PARENT_ALIAS + i);
    }
    return "SELECT c.*, "
        + String.join(", ", parentKey)
        + " FROM "
        + relation.key().from().quoted()
        + " j JOIN "
        + table
        + " c ON "
        + equal("j", relation.throughKey().fromColumns(), "c", relation.throughKey().toColumns())
        + " WHERE "
        + in("j", up, count)
        + " ORDER BY "
        + up.stream().map(c -> "j." + TableName.quote(c)).collect(joining())
        + order.replace(" ORDER BY ", ", ");
  }

  /**
   * The primary keys of the roots above rows of {@code path}'s last table, found by that table's
   * {@code columns} = {@code count} given tuples: joins from the root down, one per level, by the
   * same keys that build the document. {@code path} runs from the root; at length 1 the rows are
   * roots themselves. Ordered by the root's key, after {@code after} (keyset paging) when true.
   */
  static String rootsAbove(List<Resolved> path, List<String> columns, int count, boolean after) {
    Resolved root = path.get(0);
    List<String> rootKey = root.table().primaryKey();
    StringBuilder sql =
        new StringBuilder("SELECT DISTINCT ")
            .append(rootKey.stream().map(c -> "t0." + TableName.quote(c)).collect(joining()))
            .append(" FROM ")
            .append(root.table().name().quoted())
            .append(" t0");
    for (int level = 1; level < path.size(); level++) {
      sql.append(join(path.get(level), "t" + (level - 1), "t" + level, "j" + level));
    }
    String last = "t" + (path.size() - 1);
    sql.append(" WHERE ").append(in(last, columns, count));
    if (after) {
      sql.append(" AND (")
          .append(rootKey.stream().map(c -> "t0." + TableName.quote(c)).collect(joining()))
          .append(") > (")
          .append(rootKey.stream().map(c -> "?").collect(joining()))
          .append(")");
    }
    return sql.append(orderBy("t0", rootKey)).toString();
  }

  /** {@code JOIN} of a related table below {@code parent}, through its join table if any. */
  private static String join(Resolved node, String parent, String alias, String joinAlias) {
    Relation relation = node.relation();
    String table = node.table().name().quoted();
    if (relation.kind() != Kind.THROUGH) {
      return " JOIN "
          + table
          + " "
          + alias
          + " ON "
          + equal(parent, parentColumns(relation), alias, childColumns(relation));
    }
    return " JOIN "
        + relation.key().from().quoted()
        + " "
        + joinAlias
        + " ON "
        + equal(parent, relation.key().toColumns(), joinAlias, relation.key().fromColumns())
        + " JOIN "
        + table
        + " "
        + alias
        + " ON "
        + equal(joinAlias, relation.throughKey().fromColumns(), alias, childColumns(relation));
  }

  /** {@code (a.x, a.y) IN ((?, ?), (?, ?))} for {@code count} tuples. */
  static String in(String alias, List<String> columns, int count) {
    if (count < 1) {
      throw new IllegalArgumentException("at least one key tuple, not " + count);
    }
    String tuple = "(" + columns.stream().map(c -> "?").collect(joining()) + ")";
    List<String> tuples = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      tuples.add(tuple);
    }
    return "("
        + columns.stream().map(c -> alias + "." + TableName.quote(c)).collect(joining())
        + ") IN ("
        + String.join(", ", tuples)
        + ")";
  }

  private static String equal(
      String left, List<String> leftColumns, String right, List<String> rightColumns) {
    List<String> pairs = new ArrayList<>();
    for (int i = 0; i < leftColumns.size(); i++) {
      pairs.add(
          left
              + "."
              + TableName.quote(leftColumns.get(i))
              + " = "
              + right
              + "."
              + TableName.quote(rightColumns.get(i)));
    }
    return String.join(" AND ", pairs);
  }

  private static String orderBy(String alias, List<String> columns) {
    return columns.isEmpty()
        ? ""
        : " ORDER BY "
            + columns.stream().map(c -> alias + "." + TableName.quote(c)).collect(joining());
  }

  private static java.util.stream.Collector<CharSequence, ?, String> joining() {
    return Collectors.joining(", ");
  }
}

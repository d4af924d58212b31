package io.pgsearch.connect.convergence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A table's columns, their comparison kinds and its primary key, read from PostgreSQL's catalog,
 * and the SELECT that renders each row as the values a document should hold.
 */
record TableShape(String table, List<Column> columns, List<String> keyColumns) {

  /** A column; {@code category} is the type's form: base, array or range. */
  record Column(String name, ValueKind kind, Category category, String baseType) {}

  enum Category {
    BASE,
    ARRAY,
    RANGE
  }

  private static final String COLUMNS =
      "SELECT a.attname, t.typname, t.typtype, e.typname AS element, r.typname AS subtype"
          + " FROM pg_attribute a"
          + " JOIN pg_type t0 ON t0.oid = a.atttypid"
          + " JOIN pg_type t ON t.oid = CASE WHEN t0.typtype = 'd' THEN t0.typbasetype ELSE t0.oid END"
          + " LEFT JOIN pg_type e ON e.oid = t.typelem AND t.typcategory = 'A'"
          + " LEFT JOIN pg_range pr ON pr.rngtypid = t.oid"
          + " LEFT JOIN pg_type r ON r.oid = pr.rngsubtype"
          + " WHERE a.attrelid = ?::regclass AND a.attnum > 0 AND NOT a.attisdropped"
          + " ORDER BY a.attnum";

  private static final String PRIMARY_KEY =
      "SELECT a.attname FROM pg_index i"
          + " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)"
          + " WHERE i.indrelid = ?::regclass AND i.indisprimary"
          + " ORDER BY array_position(i.indkey::int2[], a.attnum)";

  /**
   * Reads the shape of a table.
   *
   * @param keyColumns the columns the document id is made of, or empty for the primary key
   * @param compared the columns to compare, or empty for all
   */
  static TableShape read(
      Connection connection, String table, List<String> keyColumns, List<String> compared)
      throws SQLException {
    List<Column> columns = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(COLUMNS)) {
      statement.setString(1, table);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          columns.add(column(rows));
        }
      }
    }
    List<String> key = new ArrayList<>(keyColumns);
    if (key.isEmpty()) {
      try (PreparedStatement statement = connection.prepareStatement(PRIMARY_KEY)) {
        statement.setString(1, table);
        try (ResultSet rows = statement.executeQuery()) {
          while (rows.next()) {
            key.add(rows.getString(1));
          }
        }
      }
    }
    if (key.isEmpty()) {
      throw new IllegalArgumentException(
          table + " has no primary key: name the columns the document id is made of (key columns)");
    }
    List<String> names = columns.stream().map(Column::name).toList();
    for (String name : concat(key, compared)) {
      if (!names.contains(name)) {
        throw new IllegalArgumentException(table + " has no column " + name + "; it has " + names);
      }
    }
    if (!compared.isEmpty()) {
      columns.removeIf(c -> !compared.contains(c.name()));
    }
    return new TableShape(table, List.copyOf(columns), List.copyOf(key));
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static Column column(ResultSet rows) throws SQLException {
    String name = rows.getString("attname");
    String element = rows.getString("element");
    String subtype = rows.getString("subtype");
    if (element != null) {
      return new Column(name, ValueKind.ofType(element), Category.ARRAY, element);
    }
    if (subtype != null) {
      return new Column(name, ValueKind.ofType(subtype), Category.RANGE, subtype);
    }
    String type = rows.getString("typname");
    return new Column(name, ValueKind.ofType(type), Category.BASE, type);
  }

  /**
   * The SELECT: the key columns as they are (the id is built from them as the sink builds it from
   * the record key), then each compared column rendered as JSON text in the form the transforms
   * give it.
   */
  String select(String where) {
    String keys = keyColumns.stream().map(TableShape::quote).collect(Collectors.joining(", "));
    String values = columns.stream().map(c -> json(c) + "::text").collect(Collectors.joining(", "));
    return "SELECT "
        + keys
        + (values.isEmpty() ? "" : ", " + values)
        + " FROM "
        + table
        + (where == null || where.isBlank() ? "" : " WHERE " + where);
  }

  static String json(Column column) {
    String c = quote(column.name());
    // NULL stays null (a jsonb_build_* of NULLs would be an object or array of nulls).
    return "CASE WHEN " + c + " IS NULL THEN NULL ELSE " + rendered(column, c) + " END";
  }

  private static String rendered(Column column, String c) {
    switch (column.category()) {
      case RANGE:
        // The transforms give an Elasticsearch range object; empty gives null.
        return "CASE WHEN isempty("
            + c
            + ") THEN NULL ELSE jsonb_strip_nulls(jsonb_build_object(CASE WHEN lower_inc("
            + c
            + ") THEN 'gte' ELSE 'gt' END, "
            + bound("lower", c)
            + ", CASE WHEN upper_inc("
            + c
            + ") THEN 'lte' ELSE 'lt' END, "
            + bound("upper", c)
            + ")) END";
      case ARRAY:
        if (column.baseType().equals("bytea")) {
          return "(SELECT jsonb_agg(" + base64("x") + ") FROM unnest(" + c + ") x)";
        }
        return column.baseType().equals("money") ? "to_jsonb(" + c + "::numeric[])" : json(c);
      default:
        return baseJson(column.baseType(), c);
    }
  }

  /** A bound; an infinite one is left out, as the transforms leave it out. */
  private static String bound(String which, String c) {
    return "NULLIF(NULLIF(to_jsonb("
        + which
        + "("
        + c
        + ")), '\"infinity\"'::jsonb), '\"-infinity\"'::jsonb)";
  }

  private static String baseJson(String type, String c) {
    switch (type) {
      case "bytea":
        return "to_jsonb(" + base64(c) + ")";
      case "money":
        return "to_jsonb(" + c + "::numeric)";
      case "point":
        return "jsonb_build_object('lat', " + c + "[1], 'lon', " + c + "[0])";
      case "interval":
        // [months, days, seconds]: compared with a duration or a period in FieldComparison.
        return "jsonb_build_array(extract(year FROM "
            + c
            + ") * 12 + extract(month FROM "
            + c
            + "), extract(day FROM "
            + c
            + "), extract(hour FROM "
            + c
            + ") * 3600 + extract(minute FROM "
            + c
            + ") * 60 + extract(second FROM "
            + c
            + "))";
      default:
        return json(c);
    }
  }

  private static String json(String c) {
    return "to_jsonb(" + c + ")";
  }

  private static String base64(String c) {
    return "translate(encode(" + c + ", 'base64'), E'\\n', '')";
  }

  static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }
}

package io.pgsearch.connect.source;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads what the connector needs to know from PostgreSQL's catalog; changes nothing. */
final class PostgresCatalog {
  /** PostgreSQL 15 (server_version_num 150000) introduced publication row filters. */
  static final int ROW_FILTER_MIN_VERSION = 150000;

  private static final String PROBE_ALIAS = "pgsearch_row";
  private static final Pattern PROBE_COLUMN =
      Pattern.compile(PROBE_ALIAS + "\\.(\"(?:[^\"]|\"\")+\"|[A-Za-z_][A-Za-z0-9_$]*)");

  /** A table of the captured schemas with what matters for capture. */
  record TableInfo(
      TableName name,
      List<String> columns,
      List<String> primaryKey,
      char replicaIdentity,
      List<String> identityIndexColumns,
      boolean owned) {

    boolean hasPrimaryKey() {
      return !primaryKey.isEmpty();
    }

    /** The columns PostgreSQL logs for old rows, i.e. what a row filter may use on UPDATE. */
    Set<String> identityColumns() {
      return switch (replicaIdentity) {
        case 'f' -> new LinkedHashSet<>(columns);
        case 'i' -> new LinkedHashSet<>(identityIndexColumns);
        case 'd' -> new LinkedHashSet<>(primaryKey);
        default -> Set.of();
      };
    }

    String describeIdentity() {
      return switch (replicaIdentity) {
        case 'f' -> "FULL";
        case 'i' -> "USING INDEX " + identityIndexColumns;
        case 'd' -> primaryKey.isEmpty() ? "DEFAULT, no primary key" : "PRIMARY KEY " + primaryKey;
        default -> "NOTHING";
      };
    }
  }

  /** A foreign key: {@code from}'s columns reference {@code to}'s, pairwise in order. */
  record ForeignKey(
      String name,
      TableName from,
      List<String> fromColumns,
      TableName to,
      List<String> toColumns) {}

  /** The role the connector logs in as. */
  record Role(String name, boolean superuser, boolean replication) {}

  private final Connection connection;

  PostgresCatalog(Connection connection) {
    this.connection = connection;
  }

  /** Why row filters cannot be used on a server of this version, if they cannot. */
  static Optional<String> rowFilterUnsupported(int serverVersionNum) {
    if (serverVersionNum >= ROW_FILTER_MIN_VERSION) {
      return Optional.empty();
    }
    return Optional.of(
        "Row filters need PostgreSQL 15 or newer (publication row filters); this server is "
            + serverVersionNum / 10000
            + ". Remove the filter or upgrade.");
  }

  int serverVersionNum() throws SQLException {
    return Integer.parseInt(single("SHOW server_version_num"));
  }

  String walLevel() throws SQLException {
    return single("SHOW wal_level");
  }

  Role role() throws SQLException {
    try (PreparedStatement statement =
            connection.prepareStatement(
                "SELECT rolname, rolsuper, rolreplication FROM pg_roles WHERE rolname ="
                    + " current_user");
        ResultSet rows = statement.executeQuery()) {
      rows.next();
      return new Role(rows.getString(1), rows.getBoolean(2), rows.getBoolean(3));
    }
  }

  Set<String> existingSchemas(List<String> schemas) throws SQLException {
    Set<String> found = new LinkedHashSet<>();
    try (PreparedStatement statement =
        connection.prepareStatement("SELECT nspname FROM pg_namespace WHERE nspname = ANY(?)")) {
      statement.setArray(1, connection.createArrayOf("text", schemas.toArray()));
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          found.add(rows.getString(1));
        }
      }
    }
    return found;
  }

  /** The ordinary, non-partition tables of the schemas, in name order. */
  List<TableInfo> tables(List<String> schemas) throws SQLException {
    String sql =
        "SELECT n.nspname, c.relname, c.relreplident,"
            + " pg_has_role(current_user, c.relowner, 'USAGE'),"
            + " ARRAY(SELECT a.attname::text FROM pg_attribute a WHERE a.attrelid = c.oid"
            + "   AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum),"
            + " ARRAY(SELECT a.attname::text FROM pg_index i JOIN pg_attribute a"
            + "   ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)"
            + "   WHERE i.indrelid = c.oid AND i.indisprimary ORDER BY a.attnum),"
            + " ARRAY(SELECT a.attname::text FROM pg_index i JOIN pg_attribute a"
            + "   ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)"
            + "   WHERE i.indrelid = c.oid AND i.indisreplident ORDER BY a.attnum)"
            + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE c.relkind = 'r' AND NOT c.relispartition AND n.nspname = ANY(?)"
            + " ORDER BY n.nspname, c.relname";
    List<TableInfo> tables = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setArray(1, connection.createArrayOf("text", schemas.toArray()));
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          tables.add(
              new TableInfo(
                  new TableName(rows.getString(1), rows.getString(2)),
                  strings(rows.getArray(5)),
                  strings(rows.getArray(6)),
                  rows.getString(3).charAt(0),
                  strings(rows.getArray(7)),
                  rows.getBoolean(4)));
        }
      }
    }
    return tables;
  }

  /** The foreign keys from tables of the schemas, columns in key order. */
  List<ForeignKey> foreignKeys(List<String> schemas) throws SQLException {
    String sql =
        "SELECT c.conname, fn.nspname, f.relname, tn.nspname, t.relname,"
            + " ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, o)"
            + "   JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.o),"
            + " ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(n, o)"
            + "   JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.o)"
            + " FROM pg_constraint c"
            + " JOIN pg_class f ON f.oid = c.conrelid JOIN pg_namespace fn ON fn.oid = f.relnamespace"
            + " JOIN pg_class t ON t.oid = c.confrelid JOIN pg_namespace tn ON tn.oid = t.relnamespace"
            + " WHERE c.contype = 'f' AND fn.nspname = ANY(?)"
            + " ORDER BY fn.nspname, f.relname, c.conname";
    List<ForeignKey> keys = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setArray(1, connection.createArrayOf("text", schemas.toArray()));
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          keys.add(
              new ForeignKey(
                  rows.getString(1),
                  new TableName(rows.getString(2), rows.getString(3)),
                  strings(rows.getArray(6)),
                  new TableName(rows.getString(4), rows.getString(5)),
                  strings(rows.getArray(7))));
        }
      }
    }
    return keys;
  }

  /** The unique keys (primary key included) of the tables of the schemas, without partial ones. */
  Map<TableName, List<List<String>>> uniqueKeys(List<String> schemas) throws SQLException {
    String sql =
        "SELECT n.nspname, c.relname,"
            + " ARRAY(SELECT a.attname::text FROM pg_attribute a"
            + "   WHERE a.attrelid = c.oid AND a.attnum = ANY(i.indkey) ORDER BY a.attnum)"
            + " FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid"
            + " JOIN pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE i.indisunique AND i.indpred IS NULL AND i.indexprs IS NULL"
            + " AND n.nspname = ANY(?)";
    Map<TableName, List<List<String>>> keys = new java.util.HashMap<>();
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setArray(1, connection.createArrayOf("text", schemas.toArray()));
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          keys.computeIfAbsent(
                  new TableName(rows.getString(1), rows.getString(2)), t -> new ArrayList<>())
              .add(strings(rows.getArray(3)));
        }
      }
    }
    return keys;
  }

  /** Whether the current role may use (own) the publication; empty when it does not exist. */
  Optional<Boolean> publicationOwned(String publication) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT pg_has_role(current_user, pubowner, 'USAGE') FROM pg_publication"
                + " WHERE pubname = ?")) {
      statement.setString(1, publication);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next() ? Optional.of(rows.getBoolean(1)) : Optional.empty();
      }
    }
  }

  /**
   * The tables of a publication with their row filters as PostgreSQL deparsed them (null for none);
   * empty when the publication does not exist. Before PostgreSQL 15 there are no row filters.
   */
  Map<TableName, String> publicationRowFilters(String publication) throws SQLException {
    boolean filters = connection.getMetaData().getDatabaseMajorVersion() >= 15;
    Map<TableName, String> tables = new java.util.LinkedHashMap<>();
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT schemaname, tablename, "
                + (filters ? "rowfilter" : "NULL")
                + " FROM pg_publication_tables WHERE pubname = ?")) {
      statement.setString(1, publication);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          tables.put(new TableName(rows.getString(1), rows.getString(2)), rows.getString(3));
        }
      }
    }
    return tables;
  }

  boolean tableExists(TableName table) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
      statement.setString(1, table.quoted());
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        return rows.getBoolean(1);
      }
    }
  }

  boolean canCreateIn(String schema) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT coalesce((SELECT has_schema_privilege(oid, 'CREATE') FROM pg_namespace"
                + " WHERE nspname = ? AND nspname = ?), false)")) {
      statement.setString(1, schema);
      statement.setString(2, schema);
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        return rows.getBoolean(1);
      }
    }
  }

  /**
   * The columns a row filter reads, from PostgreSQL's own parse of it ({@code EXPLAIN VERBOSE} in a
   * read-only transaction that is rolled back). Throws the server's error when it does not parse.
   */
  Set<String> filterColumns(TableName table, String filter) throws SQLException {
    boolean autoCommit = connection.getAutoCommit();
    boolean readOnly = connection.isReadOnly();
    connection.setAutoCommit(false);
    connection.setReadOnly(true);
    // A prepared statement runs one command only: a filter cannot smuggle in a second statement.
    try (PreparedStatement statement =
        connection.prepareStatement(
            "EXPLAIN (VERBOSE, COSTS OFF) SELECT 1 FROM "
                + table.quoted()
                + " AS "
                + PROBE_ALIAS
                + " WHERE ("
                + filter
                + ")")) {
      Set<String> columns = new LinkedHashSet<>();
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          Matcher matcher = PROBE_COLUMN.matcher(rows.getString(1));
          while (matcher.find()) {
            columns.add(unquote(matcher.group(1)));
          }
        }
      }
      return columns;
    } finally {
      connection.rollback();
      connection.setReadOnly(readOnly);
      connection.setAutoCommit(autoCommit);
    }
  }

  private static String unquote(String identifier) {
    if (identifier.startsWith("\"")) {
      return identifier.substring(1, identifier.length() - 1).replace("\"\"", "\"");
    }
    return identifier;
  }

  private String single(String sql) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql);
        ResultSet rows = statement.executeQuery()) {
      rows.next();
      return rows.getString(1);
    }
  }

  private static List<String> strings(Array array) throws SQLException {
    return array == null ? List.of() : List.of((String[]) array.getArray());
  }
}

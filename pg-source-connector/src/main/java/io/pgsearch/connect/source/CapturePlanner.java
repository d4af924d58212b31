package io.pgsearch.connect.source;

import static io.pgsearch.connect.source.PostgresSourceConfig.DBNAME;
import static io.pgsearch.connect.source.PostgresSourceConfig.KEY_COLUMNS;
import static io.pgsearch.connect.source.PostgresSourceConfig.PUBLICATION_NAME;
import static io.pgsearch.connect.source.PostgresSourceConfig.REPLICA_IDENTITY_AUTOSET;
import static io.pgsearch.connect.source.PostgresSourceConfig.SCHEMAS;
import static io.pgsearch.connect.source.PostgresSourceConfig.SIGNAL_DATA_COLLECTION;
import static io.pgsearch.connect.source.PostgresSourceConfig.TABLES;
import static io.pgsearch.connect.source.PostgresSourceConfig.USER;

import io.pgsearch.connect.source.CapturePlan.CapturedTable;
import io.pgsearch.connect.source.CapturePlan.Problem;
import io.pgsearch.connect.source.PostgresCatalog.Role;
import io.pgsearch.connect.source.PostgresCatalog.TableInfo;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Resolves the configuration against the database into a {@link CapturePlan}. Used by both
 * validation (problems become errors on their keys) and start (problems stop the connector), so
 * both apply the same rules. Reads only.
 */
final class CapturePlanner {
  private final PostgresSourceConfig config;
  private final PostgresCatalog catalog;
  private final List<Problem> problems = new ArrayList<>();

  CapturePlanner(PostgresSourceConfig config, PostgresCatalog catalog) {
    this.config = config;
    this.catalog = catalog;
  }

  CapturePlan plan() throws SQLException {
    Role role = catalog.role();
    checkServer(role);
    List<TableInfo> candidates = candidates();
    KeyColumns keyColumns = config.keyColumns();
    Map<TableName, String> filters = config.rowFilters();
    int version = catalog.serverVersionNum();

    List<CapturedTable> captured = new ArrayList<>();
    List<TableName> skipped = new ArrayList<>();
    List<TableName> notOwned = new ArrayList<>();
    for (TableInfo table : candidates) {
      Optional<List<String>> keys = keyColumns.forTable(table.name());
      if (!table.hasPrimaryKey() && keys.isEmpty()) {
        skipped.add(table.name());
        continue;
      }
      boolean setFull = keys.isPresent() && needsFullIdentityForKeys(table, keys.get());
      String filter = filters.get(table.name());
      if (filter != null) {
        setFull |= needsFullIdentityForFilter(table, filter, version, setFull);
      }
      if (!table.owned() && !role.superuser()) {
        notOwned.add(table.name());
      }
      captured.add(new CapturedTable(table, filter, setFull));
    }
    if (!notOwned.isEmpty()) {
      problems.add(
          new Problem(
              USER,
              "Role "
                  + role.name()
                  + " does not own "
                  + notOwned
                  + ": only a table's owner (or a superuser) can add it to the publication. Change"
                  + " the owner, or narrow `tables`."));
    }
    checkFiltersNameCapturedTables(filters, captured);
    checkDocuments(captured);
    if (captured.isEmpty() && problems.isEmpty()) {
      problems.add(
          new Problem(
              TABLES,
              "Nothing to capture: no table with a primary key (or configured key columns) in "
                  + config.schemas()
                  + (skipped.isEmpty() ? "" : "; skipped for lack of a primary key: " + skipped)));
    }
    return new CapturePlan(List.copyOf(captured), List.copyOf(skipped), List.copyOf(problems));
  }

  /**
   * Each document definition against the captured tables: the tables it names are captured, the
   * foreign keys join them, the replica identities log what leads to a parent, and its topic is no
   * table's.
   */
  private void checkDocuments(List<CapturedTable> captured) throws SQLException {
    Map<String, String> documents = config.documents();
    if (documents.isEmpty()) {
      return;
    }
    Map<TableName, TableInfo> tables = new LinkedHashMap<>();
    captured.forEach(table -> tables.put(table.name(), table.info()));
    List<PostgresCatalog.ForeignKey> keys = catalog.foreignKeys(config.schemas());
    Map<TableName, List<List<String>>> unique = catalog.uniqueKeys(config.schemas());
    for (Map.Entry<String, String> document : documents.entrySet()) {
      String key = PostgresSourceConfig.DOCUMENT_PREFIX + document.getKey();
      DocumentDefinition definition;
      try {
        definition = DocumentDefinition.parse(document.getKey(), document.getValue());
      } catch (DocumentDefinition.InvalidDefinition e) {
        problems.add(new Problem(key, e.getMessage()));
        continue;
      }
      TableName topic = new TableName(definition.root().table().schema(), document.getKey());
      if (tables.containsKey(topic)) {
        problems.add(
            new Problem(
                key,
                "The document name "
                    + document.getKey()
                    + " is also a captured table of schema "
                    + topic.schema()
                    + ": both would write to the same topic. Choose another name."));
      }
      DocumentRelations.Outcome outcome =
          DocumentRelations.resolve(definition, tables, keys, unique);
      outcome.errors().forEach(error -> problems.add(new Problem(key, error)));
      outcome
          .unlogged()
          .forEach(
              (table, error) -> {
                if (config.replicaIdentityAutoset()) {
                  setIdentityFull(captured, table);
                } else {
                  problems.add(
                      new Problem(key, error + ", or set " + REPLICA_IDENTITY_AUTOSET + "=true"));
                }
              });
    }
  }

  /** Marks a captured table for REPLICA IDENTITY FULL. */
  private static void setIdentityFull(List<CapturedTable> captured, TableName table) {
    for (int i = 0; i < captured.size(); i++) {
      CapturedTable candidate = captured.get(i);
      if (candidate.name().equals(table) && !candidate.setIdentityFull()) {
        captured.set(i, new CapturedTable(candidate.info(), candidate.filter(), true));
      }
    }
  }

  private void checkServer(Role role) throws SQLException {
    String walLevel = catalog.walLevel();
    if (!"logical".equals(walLevel)) {
      problems.add(
          new Problem(
              DBNAME,
              "The server's wal_level is '"
                  + walLevel
                  + "'; change capture needs 'logical': ALTER SYSTEM SET wal_level = logical, then"
                  + " restart PostgreSQL."));
    }
    if (!role.replication() && !role.superuser()) {
      problems.add(
          new Problem(
              USER,
              "Role "
                  + role.name()
                  + " lacks the REPLICATION attribute needed for a replication slot: ALTER ROLE "
                  + TableName.quote(role.name())
                  + " REPLICATION."));
    }
    Optional<Boolean> publicationOwned = catalog.publicationOwned(config.publicationName());
    if (publicationOwned.isPresent() && !publicationOwned.get() && !role.superuser()) {
      problems.add(
          new Problem(
              PUBLICATION_NAME,
              "Publication "
                  + config.publicationName()
                  + " exists and is owned by another role; the connector must own the publication"
                  + " it manages. Choose another "
                  + PUBLICATION_NAME
                  + "."));
    }
    TableName signal = config.signalTable();
    if (!catalog.tableExists(signal) && !catalog.canCreateIn(signal.schema())) {
      problems.add(
          new Problem(
              USER,
              "Role "
                  + role.name()
                  + " cannot create the signal table "
                  + signal
                  + ": grant CREATE on schema "
                  + signal.schema()
                  + ", or create the table (id varchar(64) PRIMARY KEY, type varchar(32) NOT NULL,"
                  + " data text) and set "
                  + SIGNAL_DATA_COLLECTION
                  + "."));
    }
  }

  /**
   * Another pgsearch connector's signal table or record of captured tables, in a schema this one
   * captures with {@code *}: connector state, not data (named in a list, it is captured).
   */
  static boolean isConnectorState(TableName name) {
    String table = name.table();
    return table.startsWith("pgsearch_")
        && (table.endsWith("_signal") || table.endsWith("_tables"));
  }

  private List<TableInfo> candidates() throws SQLException {
    List<String> schemas = config.schemas();
    Set<String> existing = catalog.existingSchemas(schemas);
    List<String> missingSchemas = schemas.stream().filter(s -> !existing.contains(s)).toList();
    if (!missingSchemas.isEmpty()) {
      problems.add(
          new Problem(
              SCHEMAS,
              "Schema(s) "
                  + missingSchemas
                  + " do not exist in database "
                  + config.dbname()
                  + "; existing ones searched: "
                  + existing));
    }
    Set<String> lookup = new LinkedHashSet<>(existing);
    config.tables().stream().map(TableName::schema).filter(s -> s != null).forEach(lookup::add);
    // The connector's own tables are never captured.
    Set<TableName> own = Set.of(config.signalTable(), config.capturedTablesTable());
    List<TableInfo> all =
        catalog.tables(List.copyOf(lookup)).stream().filter(t -> !own.contains(t.name())).toList();
    if (config.allTables()) {
      return all.stream()
          .filter(t -> existing.contains(t.name().schema()) && !isConnectorState(t.name()))
          .toList();
    }
    Map<TableName, TableInfo> chosen = new LinkedHashMap<>();
    List<String> missing = new ArrayList<>();
    for (TableName wanted : config.tables()) {
      Optional<TableInfo> found =
          all.stream()
              .filter(t -> matches(wanted, t.name(), schemas))
              .min(
                  (a, b) ->
                      schemas.indexOf(a.name().schema()) - schemas.indexOf(b.name().schema()));
      if (found.isPresent()) {
        chosen.put(found.get().name(), found.get());
      } else {
        missing.add(wanted.toString());
      }
    }
    if (!missing.isEmpty()) {
      problems.add(
          new Problem(
              TABLES,
              "Table(s) "
                  + missing
                  + " not found"
                  + " (unqualified names are looked up in "
                  + schemas
                  + "; only ordinary tables can be captured)"));
    }
    return List.copyOf(chosen.values());
  }

  private static boolean matches(TableName wanted, TableName actual, List<String> schemas) {
    if (!wanted.table().equals(actual.table())) {
      return false;
    }
    return wanted.schema() == null
        ? schemas.contains(actual.schema())
        : wanted.schema().equals(actual.schema());
  }

  /** A table without a primary key publishes UPDATE/DELETE only with FULL or an index identity. */
  private boolean needsFullIdentityForKeys(TableInfo table, List<String> keys) {
    List<String> unknown = keys.stream().filter(k -> !table.columns().contains(k)).toList();
    if (!unknown.isEmpty()) {
      problems.add(
          new Problem(
              KEY_COLUMNS,
              "Table "
                  + table.name()
                  + " has no column(s) "
                  + unknown
                  + "; its columns are "
                  + table.columns()));
      return false;
    }
    if (table.hasPrimaryKey() || table.identityColumns().containsAll(keys)) {
      return false;
    }
    if (config.replicaIdentityAutoset()) {
      return true;
    }
    problems.add(
        new Problem(
            KEY_COLUMNS,
            "Table "
                + table.name()
                + " has no primary key and its replica identity ("
                + table.describeIdentity()
                + ") does not hold the key columns "
                + keys
                + ": once published, PostgreSQL would refuse UPDATE and DELETE on it. Run ALTER"
                + " TABLE "
                + table.name().quoted()
                + " REPLICA IDENTITY FULL, or set "
                + REPLICA_IDENTITY_AUTOSET
                + "=true."));
    return false;
  }

  private boolean needsFullIdentityForFilter(
      TableInfo table, String filter, int version, boolean fullAlready) throws SQLException {
    String key = PostgresSourceConfig.rowFilterKey(table.name());
    Optional<String> unsupported = PostgresCatalog.rowFilterUnsupported(version);
    if (unsupported.isPresent()) {
      problems.add(new Problem(key, unsupported.get()));
      return false;
    }
    Set<String> columns;
    try {
      columns = catalog.filterColumns(table.name(), filter);
    } catch (SQLException e) {
      problems.add(
          new Problem(
              key,
              "The row filter is not a valid condition on "
                  + table.name()
                  + ": "
                  + e.getMessage()));
      return false;
    }
    if (fullAlready || table.replicaIdentity() == 'f') {
      return false;
    }
    Set<String> uncovered = new LinkedHashSet<>(columns);
    uncovered.removeAll(table.identityColumns());
    if (uncovered.isEmpty()) {
      return false;
    }
    if (config.replicaIdentityAutoset()) {
      return true;
    }
    problems.add(
        new Problem(
            key,
            "The row filter reads "
                + uncovered
                + ", which the replica identity of "
                + table.name()
                + " ("
                + table.describeIdentity()
                + ") does not cover: PostgreSQL would refuse UPDATE and DELETE on the table. Run"
                + " ALTER TABLE "
                + table.name().quoted()
                + " REPLICA IDENTITY FULL, or set "
                + REPLICA_IDENTITY_AUTOSET
                + "=true."));
    return false;
  }

  private void checkFiltersNameCapturedTables(
      Map<TableName, String> filters, List<CapturedTable> captured) {
    Set<TableName> names = new LinkedHashSet<>();
    captured.forEach(t -> names.add(t.name()));
    for (TableName filtered : filters.keySet()) {
      if (!names.contains(filtered)) {
        problems.add(
            new Problem(
                PostgresSourceConfig.rowFilterKey(filtered),
                "Table "
                    + filtered
                    + " is not captured (captured: "
                    + names
                    + "); a row filter needs its table in `tables`."));
      }
    }
  }
}

package io.pgsearch.connect.source;

import io.debezium.config.CommonConnectorConfig;
import io.debezium.connector.postgresql.PostgresConnectorConfig;
import io.debezium.connector.postgresql.PostgresValueConverter;
import io.debezium.connector.postgresql.connection.PostgresConnection;
import io.debezium.connector.postgresql.connection.PostgresConnection.PostgresValueConverterBuilder;
import io.debezium.relational.CustomConverterRegistry;
import io.debezium.relational.Table;
import io.debezium.relational.TableId;
import io.debezium.relational.TableSchema;
import io.debezium.relational.TableSchemaBuilder;
import io.debezium.relational.Tables;
import io.debezium.relational.mapping.ColumnMappers;
import io.debezium.spi.topic.TopicNamingStrategy;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;

/**
 * Rows of the tables of a document, read with plain SQL and converted exactly as Debezium converts
 * the rows of its snapshot: its own value converters (the connector's decimal, time, binary and
 * other modes) and its own table schemas. A related row in a document therefore has the very values
 * and schema the same row has on its table's topic, and goes through the one conversion of the
 * transforms and the sink like any other.
 */
final class DocumentRows implements AutoCloseable {
  /**
   * A row: its values as the driver reads them (to link rows; by Debezium's column positions) and
   * as Debezium converts them, and any extra columns of the statement.
   */
  record Row(Table table, Object[] raw, Struct value, Object[] extra) {
    /** The value of {@code column} as the driver read it. */
    Object raw(String column) {
      return raw[table.columnWithName(column).position() - 1];
    }
  }

  private final PostgresConnectorConfig config;
  private final PostgresConnection connection;
  private final TableSchemaBuilder builder;
  private final TopicNamingStrategy<TableId> topics;
  private final ColumnMappers mappers;
  private final Map<TableName, Table> tables = new HashMap<>();
  private final Map<TableName, TableSchema> schemas = new HashMap<>();
  private int generation;

  /** Opens a connection of its own with the Debezium properties the task runs with. */
  DocumentRows(PostgresConnectorConfig config) {
    this.config = config;
    PostgresValueConverterBuilder converters;
    try (PostgresConnection probe =
        new PostgresConnection(config.getJdbcConfig(), "pgsearch documents probe")) {
      var charset = probe.getDatabaseCharset();
      converters = registry -> PostgresValueConverter.of(config, charset, registry);
    }
    this.connection =
        new PostgresConnection(
            config.getJdbcConfig(),
            PostgresConnection.createTypeRegistry(config.getJdbcConfig()),
            converters,
            "pgsearch documents");
    this.builder =
        new TableSchemaBuilder(
            converters.build(connection.getTypeRegistry()),
            connection.getDefaultValueConverter(),
            config.schemaNameAdjuster(),
            new CustomConverterRegistry(null),
            config.getSourceInfoStructMaker().schema(),
            config.getFieldNamer(),
            false,
            config.getEventConvertingFailureHandlingMode());
    this.topics = config.getTopicNamingStrategy(CommonConnectorConfig.TOPIC_NAMING_STRATEGY);
    this.mappers = ColumnMappers.create(config);
  }

  /** The schema of {@code table}'s row values, as on its topic. */
  TableSchema schema(TableName table) throws SQLException {
    TableSchema schema = schemas.get(table);
    if (schema == null) {
      schema = builder.create(topics, table(table), config.getColumnFilter(), mappers, null);
      schemas.put(table, schema);
    }
    return schema;
  }

  /**
   * The rows {@code sql} returns from {@code table}: its columns first ({@code SELECT t.*}), then
   * any extra columns, kept raw.
   */
  List<Row> rows(TableName table, String sql, List<Object> parameters) throws SQLException {
    List<Row> rows = new ArrayList<>();
    try (PreparedStatement statement = prepare(sql, parameters);
        ResultSet result = statement.executeQuery()) {
      ResultSetMetaData meta = result.getMetaData();
      Table definition = current(table, meta);
      TableSchema schema = schema(table);
      int own = definition.columns().size();
      int positions = positions(definition);
      while (result.next()) {
        Object[] raw = new Object[positions];
        for (int i = 1; i <= own; i++) {
          var column = definition.columnWithName(meta.getColumnName(i));
          raw[column.position() - 1] = connection.getColumnValue(result, i, column, definition);
        }
        Object[] extra = new Object[meta.getColumnCount() - own];
        for (int i = own + 1; i <= meta.getColumnCount(); i++) {
          extra[i - own - 1] = result.getObject(i);
        }
        rows.add(new Row(definition, raw, schema.valueFromColumnData(raw), extra));
      }
    }
    return rows;
  }

  /**
   * How many times a table's columns were found changed (ALTER TABLE) and read again: documents
   * built across a change are built again, with the new schema.
   */
  int generation() {
    return generation;
  }

  /**
   * The table as a statement of {@code SELECT t.*} sees it: read again, with its schema, when its
   * columns differ from those read before (a column added, dropped or renamed since), so a document
   * holds the columns its table's topic holds now.
   */
  private Table current(TableName name, ResultSetMetaData meta) throws SQLException {
    Table table = table(name);
    List<String> columns = new ArrayList<>();
    for (int i = 1; i <= meta.getColumnCount(); i++) {
      String column = meta.getColumnName(i);
      if (!column.startsWith(DocumentQueries.PARENT_ALIAS)) {
        columns.add(column);
      }
    }
    if (!columns.equals(table.retrieveColumnNames())) {
      tables.remove(name);
      schemas.remove(name);
      generation++;
      table = table(name);
    }
    return table;
  }

  /** The catalog, read over this connection. */
  PostgresCatalog catalog() throws SQLException {
    return new PostgresCatalog(connection.connection());
  }

  /**
   * A page of at most {@link DocumentBuilder#BATCH} primary keys of the roots inside the filter (as
   * the driver reads them, in key order), after {@code after} (null: from the first): the roots of
   * a full rebuild or a check, one query per page, never the whole table in memory.
   */
  List<List<Object>> rootKeys(DocumentRelations.Resolved root, List<Object> after)
      throws SQLException {
    return keys(
        DocumentQueries.rootKeys(root, after != null, DocumentBuilder.BATCH),
        after == null ? List.of() : after,
        root.table().primaryKey().size());
  }

  /** The record key of a row of {@code table} with these primary key values, as on its topic. */
  Struct key(TableName table, List<Object> values) throws SQLException {
    Table definition = table(table);
    TableSchema schema = schema(table);
    int positions = positions(definition);
    Object[] data = new Object[positions];
    List<String> primaryKey = definition.primaryKeyColumnNames();
    for (int i = 0; i < primaryKey.size(); i++) {
      data[definition.columnWithName(primaryKey.get(i)).position() - 1] = values.get(i);
    }
    return schema.keyFromColumnData(data);
  }

  /** The first {@code size} columns of every row {@code sql} returns, as the driver reads them. */
  List<List<Object>> keys(String sql, List<Object> parameters, int size) throws SQLException {
    List<List<Object>> keys = new ArrayList<>();
    try (PreparedStatement statement = prepare(sql, parameters);
        ResultSet result = statement.executeQuery()) {
      while (result.next()) {
        List<Object> key = new ArrayList<>(size);
        for (int i = 1; i <= size; i++) {
          key.add(result.getObject(i));
        }
        keys.add(key);
      }
    }
    return keys;
  }

  /**
   * A statement with its parameters bound. Key values come from the driver or from Debezium's
   * change events, where a uuid or an enum is text: text is sent untyped, for PostgreSQL to read as
   * the column's type.
   */
  private PreparedStatement prepare(String sql, List<Object> parameters) throws SQLException {
    PreparedStatement statement = connection.connection().prepareStatement(sql);
    try {
      for (int i = 0; i < parameters.size(); i++) {
        Object value = parameters.get(i);
        if (value instanceof String) {
          statement.setObject(i + 1, value, Types.OTHER);
        } else {
          statement.setObject(i + 1, value);
        }
      }
      return statement;
    } catch (SQLException e) {
      statement.close();
      throw e;
    }
  }

  private Table table(TableName name) throws SQLException {
    Table table = tables.get(name);
    if (table == null) {
      Tables read = new Tables();
      TableId id = new TableId(null, name.schema(), name.table());
      connection.readSchema(
          read, null, name.schema(), candidate -> candidate.equals(id), null, false);
      table = read.forTable(id);
      if (table == null) {
        throw new SQLException("Table " + name + " does not exist");
      }
      tables.put(name, table);
    }
    return table;
  }

  /** The size of a row as Debezium reads it: by column position, dropped columns leave gaps. */
  private static int positions(Table table) {
    return table.columns().stream().mapToInt(c -> c.position()).max().orElse(0);
  }

  /**
   * Closes this after {@code failure} while starting: the failure to throw, a {@link
   * ConnectException} as it is, any other wrapped with {@code message} and its own.
   */
  ConnectException closeAfter(Exception failure, String message) {
    try {
      close();
    } catch (SQLException suppressed) {
      failure.addSuppressed(suppressed);
    }
    return failure instanceof ConnectException connect
        ? connect
        : new ConnectException(message + failure.getMessage(), failure);
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}

package io.pgsearch.connect.source;

import io.debezium.config.CommonConnectorConfig;
import io.debezium.config.EnumeratedValue;
import io.debezium.connector.postgresql.PostgresConnectorConfig;
import io.debezium.connector.postgresql.PostgresConnectorConfig.LogicalDecoder;
import io.debezium.connector.postgresql.PostgresConnectorConfig.SecureConnectionMode;
import io.debezium.heartbeat.DatabaseHeartbeatImpl;
import io.debezium.heartbeat.Heartbeat;
import io.debezium.jdbc.TemporalPrecisionMode;
import io.debezium.relational.RelationalDatabaseConnectorConfig;
import io.debezium.relational.RelationalDatabaseConnectorConfig.DecimalHandlingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.config.types.Password;

/**
 * The keys of {@link PostgresSourceConnector}: ours, plus the Debezium keys whose defaults we
 * change or whose meaning we extend. Every other Debezium key passes through unchanged.
 */
public final class PostgresSourceConfig {
  // Debezium's own keys, named by its Fields: ours are the keys Debezium reads (the names users
  // write are pinned in PostgresSourceConfigTest).
  public static final String HOSTNAME = PostgresConnectorConfig.HOSTNAME.name();
  public static final String PORT = PostgresConnectorConfig.PORT.name();
  public static final String USER = PostgresConnectorConfig.USER.name();
  public static final String PASSWORD = PostgresConnectorConfig.PASSWORD.name();
  public static final String DBNAME = PostgresConnectorConfig.DATABASE_NAME.name();
  public static final String SSL_MODE = PostgresConnectorConfig.SSL_MODE.name();
  public static final String SSL_ROOT_CERT = PostgresConnectorConfig.SSL_ROOT_CERT.name();
  public static final String TOPIC_PREFIX = CommonConnectorConfig.TOPIC_PREFIX.name();
  public static final String KEY_COLUMNS = RelationalDatabaseConnectorConfig.MSG_KEY_COLUMNS.name();
  public static final String PLUGIN_NAME = PostgresConnectorConfig.PLUGIN_NAME.name();
  public static final String SLOT_NAME = PostgresConnectorConfig.SLOT_NAME.name();
  public static final String PUBLICATION_NAME = PostgresConnectorConfig.PUBLICATION_NAME.name();
  public static final String HEARTBEAT_INTERVAL = Heartbeat.HEARTBEAT_INTERVAL.name();
  public static final String HEARTBEAT_ACTION_QUERY =
      DatabaseHeartbeatImpl.HEARTBEAT_ACTION_QUERY.name();
  public static final String SIGNAL_DATA_COLLECTION =
      CommonConnectorConfig.SIGNAL_DATA_COLLECTION.name();
  public static final String TOMBSTONES_ON_DELETE =
      CommonConnectorConfig.TOMBSTONES_ON_DELETE.name();
  public static final String DECIMAL_HANDLING_MODE =
      RelationalDatabaseConnectorConfig.DECIMAL_HANDLING_MODE.name();
  public static final String TIME_PRECISION_MODE =
      RelationalDatabaseConnectorConfig.TIME_PRECISION_MODE.name();

  // Ours.
  public static final String SSL_CA_PEM = "ssl.ca.pem";
  public static final String SCHEMAS = "schemas";
  public static final String TABLES = "tables";
  public static final String ROW_FILTER_PREFIX = "row.filter.";
  public static final String DOCUMENT_PREFIX = "document.";
  public static final String REPLICA_IDENTITY_AUTOSET = "replica.identity.autoset";
  public static final String ROW_MAX_BYTES = "row.max.bytes";
  public static final String TABLES_DISCOVERY_INTERVAL = "tables.discovery.interval.ms";
  public static final String INITIAL_LOAD = "initial.load";

  /** Debezium's key, set by {@link #INITIAL_LOAD}: a user's own value would contradict it. */
  public static final String SNAPSHOT_MODE = PostgresConnectorConfig.SNAPSHOT_MODE.name();

  // Kafka's and Connect's, read to derive defaults. Connect's prefixes and "name" live in
  // connect-runtime, which a plugin does not compile against.
  public static final String PRODUCER_MAX_REQUEST_SIZE =
      "producer.override." + ProducerConfig.MAX_REQUEST_SIZE_CONFIG;
  public static final String TOPIC_MAX_MESSAGE_BYTES =
      "topic.creation.default." + TopicConfig.MAX_MESSAGE_BYTES_CONFIG;
  static final String CONNECTOR_NAME = "name";
  static final String TOPIC_CREATION_PARTITIONS = "topic.creation.default.partitions";

  /** Kafka's defaults of the producer's max.request.size and the broker's message.max.bytes. */
  static final long KAFKA_DEFAULT_MAX_BYTES = 1_048_576;

  /** The logical decoding message prefix of our heartbeats; never published to a topic. */
  public static final String HEARTBEAT_MESSAGE_PREFIX = "pgsearch-heartbeat";

  public static final String DEFAULT_HEARTBEAT_ACTION_QUERY =
      "SELECT pg_logical_emit_message(false, '" + HEARTBEAT_MESSAGE_PREFIX + "', '')";

  public static final String OVERVIEW_DOC =
      "Captures row changes of PostgreSQL tables with Debezium's PostgreSQL connector running"
          + " inside, with search-ready defaults: pgoutput, a publication and a slot named after the"
          + " connector holding only the captured tables, one topic per table"
          + " (`<topic.prefix>.<schema>.<table>`), heartbeats that keep WAL bounded when captured"
          + " tables are idle, and a signal table for re-syncs. Every Debezium PostgreSQL key not"
          + " listed here passes through to Debezium unchanged. Row filters are set per table with"
          + " `row.filter.<schema>.<table>` = a SQL condition, e.g."
          + " `row.filter.public.products=in_stock = true` (PostgreSQL 15 or newer). Documents"
          + " built from related tables are defined with `document.<name>` = a JSON definition"
          + " (see docs/documents.md): each is written to `<topic.prefix>.<root schema>.<name>`"
          + " and rebuilt from PostgreSQL whenever a row of any of its tables changes.";

  private static final String GROUP_CONNECTION = "Connection";
  private static final String GROUP_CAPTURE = "Capture";
  private static final String GROUP_DEFAULTS = "Debezium keys with pgsearch defaults";

  public static final ConfigDef CONFIG_DEF = define();

  private static ConfigDef define() {
    ConfigDef def = new ConfigDef();
    int order = 0;
    def.define(
            HOSTNAME,
            Type.STRING,
            ConfigDef.NO_DEFAULT_VALUE,
            new ConfigDef.NonEmptyStringWithoutControlChars(),
            Importance.HIGH,
            "Host name or IP address of the PostgreSQL server.",
            GROUP_CONNECTION,
            ++order,
            ConfigDef.Width.MEDIUM,
            "Host")
        .define(
            PORT,
            Type.INT,
            5432,
            ConfigDef.Range.between(1, 65535),
            Importance.HIGH,
            "Port of the PostgreSQL server.",
            GROUP_CONNECTION,
            ++order,
            ConfigDef.Width.SHORT,
            "Port")
        .define(
            USER,
            Type.STRING,
            ConfigDef.NO_DEFAULT_VALUE,
            new ConfigDef.NonEmptyStringWithoutControlChars(),
            Importance.HIGH,
            "PostgreSQL role to connect as. It needs LOGIN and REPLICATION, must own the captured"
                + " tables (to add them to the publication) and needs CREATE on the signal table's"
                + " schema unless the signal table exists.",
            GROUP_CONNECTION,
            ++order,
            ConfigDef.Width.MEDIUM,
            "User")
        .define(
            PASSWORD,
            Type.PASSWORD,
            null,
            Importance.HIGH,
            "Password of the role. Never logged.",
            GROUP_CONNECTION,
            ++order,
            ConfigDef.Width.MEDIUM,
            "Password")
        .define(
            DBNAME,
            Type.STRING,
            ConfigDef.NO_DEFAULT_VALUE,
            new ConfigDef.NonEmptyStringWithoutControlChars(),
            Importance.HIGH,
            "The database to capture.",
            GROUP_CONNECTION,
            ++order,
            ConfigDef.Width.MEDIUM,
            "Database")
        .define(
            SSL_MODE,
            Type.STRING,
            SecureConnectionMode.PREFER.getValue(),
            ConfigDef.ValidString.in(values(SecureConnectionMode.values())),
            Importance.MEDIUM,
            "libpq SSL mode. When `"
                + SSL_CA_PEM
                + "` is set and this key is not, `verify-full` is used.",
            GROUP_CONNECTION,
            ++order,
            ConfigDef.Width.SHORT,
            "SSL mode")
        .define(
            SSL_ROOT_CERT,
            Type.STRING,
            null,
            Importance.MEDIUM,
            "Path of a file on every Connect worker holding the CA certificate(s) that sign the"
                + " server certificate.",
            GROUP_CONNECTION,
            ++order,
            ConfigDef.Width.LONG,
            "CA file")
        .define(
            SSL_CA_PEM,
            Type.STRING,
            null,
            Importance.MEDIUM,
            "The CA certificate as PEM text (`-----BEGIN CERTIFICATE-----` ...), instead of a file"
                + " on each worker. Cannot be combined with `"
                + SSL_ROOT_CERT
                + "`.",
            GROUP_CONNECTION,
            ++order,
            ConfigDef.Width.LONG,
            "CA PEM");
    order = 0;
    def.define(
            TOPIC_PREFIX,
            Type.STRING,
            ConfigDef.NO_DEFAULT_VALUE,
            new ConfigDef.NonEmptyStringWithoutControlChars(),
            Importance.HIGH,
            "Prefix of every topic name: changes of table `s.t` go to `<topic.prefix>.s.t`.",
            GROUP_CAPTURE,
            ++order,
            ConfigDef.Width.MEDIUM,
            "Topic prefix")
        .define(
            SCHEMAS,
            Type.LIST,
            "public",
            new NonEmptyList(),
            Importance.HIGH,
            "Schemas whose tables `tables=*` captures, and where unqualified names in `tables` are"
                + " looked up.",
            GROUP_CAPTURE,
            ++order,
            ConfigDef.Width.LONG,
            "Schemas")
        .define(
            TABLES,
            Type.LIST,
            "*",
            new NonEmptyList(),
            Importance.HIGH,
            "`*` for every table of `schemas`, or a list of `table` or `schema.table` names. Tables"
                + " without a primary key are skipped with a WARN unless `"
                + KEY_COLUMNS
                + "` names key columns for them. With `*`, tables created later are captured (and"
                + " snapshotted) without a restart, see `"
                + TABLES_DISCOVERY_INTERVAL
                + "`; a list is resolved when the connector starts.",
            GROUP_CAPTURE,
            ++order,
            ConfigDef.Width.LONG,
            "Tables")
        .define(
            KEY_COLUMNS,
            Type.STRING,
            null,
            Importance.MEDIUM,
            "Debezium's key: key columns per table, `schema.table:col1,col2;schema.table2:col`."
                + " Also makes a table without a primary key capturable (as Elastic's"
                + " `id_columns`). Such a table needs REPLICA IDENTITY FULL (or USING INDEX), or `"
                + REPLICA_IDENTITY_AUTOSET
                + "=true`.",
            GROUP_CAPTURE,
            ++order,
            ConfigDef.Width.LONG,
            "Key columns")
        .define(
            REPLICA_IDENTITY_AUTOSET,
            Type.BOOLEAN,
            false,
            Importance.MEDIUM,
            "When true, the connector runs `ALTER TABLE ... REPLICA IDENTITY FULL` on captured"
                + " tables whose replica identity does not cover their row filter's columns, the"
                + " columns that lead a document's related row to its parent (see `document.`),"
                + " or, for tables without a primary key, their key columns. When false, such a"
                + " table is a validation error: PostgreSQL would refuse UPDATE and DELETE on it, or"
                + " a deleted or moved row could not name the document it leaves.",
            GROUP_CAPTURE,
            ++order,
            ConfigDef.Width.SHORT,
            "Set replica identity")
        .define(
            TABLES_DISCOVERY_INTERVAL,
            Type.LONG,
            30_000L,
            ConfigDef.Range.between(0L, 86_400_000L),
            Importance.MEDIUM,
            "How often the connector looks for tables created in the captured schemas when `"
                + TABLES
                + "=*`. A new table is added to the publication and the task, and its existing rows"
                + " are read by an incremental snapshot while streaming goes on; no restart is"
                + " needed. 0 turns discovery off (new tables are then found when the connector"
                + " restarts, and snapshotted the same way).",
            GROUP_CAPTURE,
            ++order,
            ConfigDef.Width.SHORT,
            "Table discovery")
        .define(
            INITIAL_LOAD,
            Type.STRING,
            InitialLoad.BLOCKING.toString(),
            InitialLoad.VALIDATOR,
            Importance.MEDIUM,
            "How the rows the tables hold when the connector first starts are read. `blocking`:"
                + " Debezium's initial snapshot, one consistent read of every table before changes"
                + " stream; a task stopped in the middle reads every table again from the start."
                + " `incremental`: each table is read by an incremental snapshot, in chunks by"
                + " primary key (or the `"
                + KEY_COLUMNS
                + "` columns) of `incremental.snapshot.chunk.size` rows while changes stream; a"
                + " task stopped in the middle resumes at its last committed chunk, and progress is"
                + " logged per table. A connector that has committed offsets never loads again (a"
                + " restored database is read by the blocking snapshot). Sets Debezium's"
                + " `snapshot.mode` to `no_data`; see docs/pg-source-connector.md#initial-load.",
            GROUP_CAPTURE,
            ++order,
            ConfigDef.Width.SHORT,
            "Initial load")
        .define(
            ROW_MAX_BYTES,
            Type.LONG,
            null,
            new RowMaxBytes(),
            Importance.MEDIUM,
            "The largest change event (estimated as JSON) sent whole. A larger one has its largest"
                + " values left out until it fits (null, or the type's empty value for NOT NULL"
                + " columns) and the header `pgsearch.omitted` names them, instead of failing the"
                + " task on Kafka's size limit. Default: half the smaller of `"
                + PRODUCER_MAX_REQUEST_SIZE
                + "` and `"
                + TOPIC_MAX_MESSAGE_BYTES
                + "` (each 1 MiB when not set), so a row fits whatever the JSON's overhead: 8 MiB"
                + " with the shipped config's 16 MiB.",
            GROUP_CAPTURE,
            ++order,
            ConfigDef.Width.SHORT,
            "Largest row");
    order = 0;
    def.define(
            PLUGIN_NAME,
            Type.STRING,
            LogicalDecoder.PGOUTPUT.getValue(),
            ConfigDef.ValidString.in(values(LogicalDecoder.values())),
            Importance.MEDIUM,
            "Logical decoding plugin. Debezium's default is decoderbufs, which needs a server"
                + " extension; pgoutput is built into PostgreSQL 10+. Row filters need pgoutput.",
            GROUP_DEFAULTS,
            ++order,
            ConfigDef.Width.SHORT,
            "Plugin")
        .define(
            SLOT_NAME,
            Type.STRING,
            null,
            Importance.MEDIUM,
            "Replication slot name. Default: `pgsearch_<connector name>` (lower case, other"
                + " characters as `_`), so two connectors never share a slot; Debezium's default is"
                + " `debezium`.",
            GROUP_DEFAULTS,
            ++order,
            ConfigDef.Width.MEDIUM,
            "Slot")
        .define(
            PUBLICATION_NAME,
            Type.STRING,
            null,
            Importance.MEDIUM,
            "Publication name. Default: `pgsearch_<connector name>`. The connector creates it, or"
                + " alters it to hold exactly the captured tables (with their row filters) and the"
                + " signal table, every time it starts.",
            GROUP_DEFAULTS,
            ++order,
            ConfigDef.Width.MEDIUM,
            "Publication")
        .define(
            HEARTBEAT_INTERVAL,
            Type.INT,
            10_000,
            ConfigDef.Range.atLeast(0),
            Importance.MEDIUM,
            "Heartbeat interval (Debezium's default 0 disables heartbeats, and then WAL grows"
                + " without bound while captured tables are idle). 0 disables.",
            GROUP_DEFAULTS,
            ++order,
            ConfigDef.Width.SHORT,
            "Heartbeat interval")
        .define(
            HEARTBEAT_ACTION_QUERY,
            Type.STRING,
            DEFAULT_HEARTBEAT_ACTION_QUERY,
            Importance.MEDIUM,
            "SQL run at each heartbeat. The default writes a non-transactional logical decoding"
                + " message (filtered out, never on a topic) so the slot advances even when no"
                + " captured table changes: PostgreSQL 15+ sends nothing for transactions that touch"
                + " only uncaptured tables. Empty disables it.",
            GROUP_DEFAULTS,
            ++order,
            ConfigDef.Width.LONG,
            "Heartbeat query")
        .define(
            SIGNAL_DATA_COLLECTION,
            Type.STRING,
            null,
            Importance.MEDIUM,
            "Signal table `schema.table` for re-syncs (Debezium incremental snapshots). Default:"
                + " `<first schema>.pgsearch_<connector name>_signal`, created by the connector if"
                + " missing, with a function `<same schema>.pgsearch_<connector name>_resync(tables"
                + " ...)` that signals a re-sync with the row filters applied, and"
                + " `pgsearch_<connector name>_rebuild(tables ...)` that rebuilds their indexes"
                + " into a new generation.",
            GROUP_DEFAULTS,
            ++order,
            ConfigDef.Width.LONG,
            "Signal table")
        .define(
            TOMBSTONES_ON_DELETE,
            Type.BOOLEAN,
            true,
            Importance.LOW,
            "A delete is followed by a tombstone (Debezium's default, kept): compacted topics"
                + " then forget deleted keys.",
            GROUP_DEFAULTS,
            ++order,
            ConfigDef.Width.SHORT,
            "Tombstones")
        .define(
            DECIMAL_HANDLING_MODE,
            Type.STRING,
            DecimalHandlingMode.PRECISE.getValue(),
            // Every mode of Debezium's, in the order the docs and the validation message list them.
            ConfigDef.ValidString.in(
                values(
                    DecimalHandlingMode.PRECISE,
                    DecimalHandlingMode.DOUBLE,
                    DecimalHandlingMode.STRING)),
            Importance.LOW,
            "Debezium's default, kept: exact decimals, which pgsearch's transforms turn into"
                + " exact search values.",
            GROUP_DEFAULTS,
            ++order,
            ConfigDef.Width.SHORT,
            "Decimal mode")
        .define(
            TIME_PRECISION_MODE,
            Type.STRING,
            TemporalPrecisionMode.ADAPTIVE_TIME_MICROSECONDS.getValue(),
            // Narrower than Debezium's modes, kept: pgsearch's transforms render no structured
            // values (Structs per date or time), and widening the list changes behaviour.
            ConfigDef.ValidString.in(
                values(
                    TemporalPrecisionMode.ADAPTIVE,
                    TemporalPrecisionMode.ADAPTIVE_TIME_MICROSECONDS,
                    TemporalPrecisionMode.CONNECT)),
            Importance.LOW,
            "Debezium's default is `adaptive`. `adaptive_time_microseconds` gives every TIME column"
                + " one type (microseconds), the mode pgsearch's transforms convert exactly.",
            GROUP_DEFAULTS,
            ++order,
            ConfigDef.Width.SHORT,
            "Time mode");
    return def;
  }

  /** The values of Debezium enum constants, as a config takes them. */
  private static String[] values(EnumeratedValue... constants) {
    return Arrays.stream(constants).map(EnumeratedValue::getValue).toArray(String[]::new);
  }

  private final Map<String, String> originals;
  private final AbstractConfig parsed;

  public PostgresSourceConfig(Map<String, String> props) {
    this.originals = Map.copyOf(withoutNulls(props));
    this.parsed = new AbstractConfig(CONFIG_DEF, originals, false);
  }

  private static Map<String, String> withoutNulls(Map<String, String> props) {
    Map<String, String> copy = new LinkedHashMap<>();
    props.forEach(
        (key, value) -> {
          if (value != null) {
            copy.put(key, value);
          }
        });
    return copy;
  }

  /** Everything the user gave, for the Debezium keys that pass through unchanged. */
  Map<String, String> originals() {
    return originals;
  }

  /** Whether the user gave a non-blank value for {@code key}, ours or Debezium's. */
  boolean isSet(String key) {
    String value = originals.get(key);
    return value != null && !value.isBlank();
  }

  /** A non-blank value of {@code key}, else empty. */
  private Optional<String> ifSet(String key) {
    return isSet(key) ? Optional.of(parsed.getString(key)) : Optional.empty();
  }

  String hostname() {
    return parsed.getString(HOSTNAME);
  }

  int port() {
    return parsed.getInt(PORT);
  }

  String user() {
    return parsed.getString(USER);
  }

  String password() {
    Password password = parsed.getPassword(PASSWORD);
    return password == null ? null : password.value();
  }

  String dbname() {
    return parsed.getString(DBNAME);
  }

  String topicPrefix() {
    return parsed.getString(TOPIC_PREFIX);
  }

  /** {@link #SSL_MODE}; {@code verify-full} when only {@link #SSL_CA_PEM} is set. */
  String sslMode() {
    if (!isSet(SSL_MODE) && isSet(SSL_CA_PEM)) {
      return SecureConnectionMode.VERIFY_FULL.getValue();
    }
    return parsed.getString(SSL_MODE).toLowerCase(Locale.ROOT);
  }

  /** The CA file's path, when set. */
  Optional<String> sslRootCert() {
    return ifSet(SSL_ROOT_CERT);
  }

  /** The CA as PEM text without surrounding blanks, when set. */
  Optional<String> sslCaPem() {
    return ifSet(SSL_CA_PEM).map(String::strip);
  }

  List<String> schemas() {
    return parsed.getList(SCHEMAS).stream().map(String::strip).toList();
  }

  /** The configured table names, or an empty list for {@code *}. */
  List<TableName> tables() {
    List<String> entries = parsed.getList(TABLES).stream().map(String::strip).toList();
    if (entries.equals(List.of("*"))) {
      return List.of();
    }
    return entries.stream().map(TableName::parse).toList();
  }

  boolean allTables() {
    return tables().isEmpty();
  }

  /**
   * The value as given, which is what Debezium reads; throws {@link IllegalArgumentException}
   * saying what is valid when it is not.
   */
  KeyColumns keyColumns() {
    return KeyColumns.parse(originals.get(KEY_COLUMNS));
  }

  boolean replicaIdentityAutoset() {
    return parsed.getBoolean(REPLICA_IDENTITY_AUTOSET);
  }

  /** The row filters by table, from {@code row.filter.<schema>.<table>} keys. */
  Map<TableName, String> rowFilters() {
    Map<TableName, String> filters = new LinkedHashMap<>();
    originals.forEach(
        (key, value) -> {
          if (key.startsWith(ROW_FILTER_PREFIX) && !value.isBlank()) {
            filters.put(TableName.parse(key.substring(ROW_FILTER_PREFIX.length())), value.strip());
          }
        });
    return filters;
  }

  /** The document definitions, by name, from {@code document.<name>} keys. */
  Map<String, String> documents() {
    Map<String, String> documents = new LinkedHashMap<>();
    originals.forEach(
        (key, value) -> {
          if (key.startsWith(DOCUMENT_PREFIX) && !value.isBlank()) {
            documents.put(key.substring(DOCUMENT_PREFIX.length()), value);
          }
        });
    return documents;
  }

  /** The {@code row.filter.*} keys that do not name a {@code schema.table}. */
  List<String> malformedRowFilterKeys() {
    List<String> malformed = new ArrayList<>();
    for (String key : originals.keySet()) {
      if (key.startsWith(ROW_FILTER_PREFIX)) {
        TableName name = TableName.parse(key.substring(ROW_FILTER_PREFIX.length()));
        if (name.schema() == null || name.schema().isEmpty() || name.table().isEmpty()) {
          malformed.add(key);
        }
      }
    }
    return malformed;
  }

  static String rowFilterKey(TableName table) {
    return ROW_FILTER_PREFIX + table;
  }

  InitialLoad initialLoad() {
    return InitialLoad.parse(INITIAL_LOAD, parsed.getString(INITIAL_LOAD));
  }

  long tablesDiscoveryIntervalMs() {
    return parsed.getLong(TABLES_DISCOVERY_INTERVAL);
  }

  /** {@link #ROW_MAX_BYTES} as set, else empty. */
  OptionalLong configuredRowMaxBytes() {
    Long set = parsed.getLong(ROW_MAX_BYTES);
    return set == null ? OptionalLong.empty() : OptionalLong.of(set);
  }

  /** {@link #ROW_MAX_BYTES} as set, or derived from Kafka's limits in the config. */
  long rowMaxBytes() {
    return configuredRowMaxBytes().orElse(kafkaMaxBytes() / 2);
  }

  /** The smaller of the producer's and the topic's limit, from the config or Kafka's defaults. */
  long kafkaMaxBytes() {
    return Math.min(longOr(PRODUCER_MAX_REQUEST_SIZE), longOr(TOPIC_MAX_MESSAGE_BYTES));
  }

  private long longOr(String key) {
    String value = originals.get(key);
    try {
      return value == null || value.isBlank()
          ? KAFKA_DEFAULT_MAX_BYTES
          : Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      return KAFKA_DEFAULT_MAX_BYTES; // Connect reports the key's own error
    }
  }

  LogicalDecoder pluginName() {
    return LogicalDecoder.parse(parsed.getString(PLUGIN_NAME));
  }

  /** The connector's name made safe for slot and identifier names. */
  String connectorToken() {
    String name =
        originals.getOrDefault(CONNECTOR_NAME, originals.getOrDefault(TOPIC_PREFIX, "source"));
    String token = "pgsearch_" + TableName.sanitize(name);
    // Slot names are limited to 63 bytes; leave room for "_signal" / "_resync".
    return token.length() > 56 ? token.substring(0, 56) : token;
  }

  String slotName() {
    return ifSet(SLOT_NAME).orElseGet(this::connectorToken);
  }

  String publicationName() {
    return ifSet(PUBLICATION_NAME).orElseGet(this::connectorToken);
  }

  int heartbeatIntervalMs() {
    return parsed.getInt(HEARTBEAT_INTERVAL);
  }

  /** The heartbeat's SQL, or empty when the user turned it off with a blank value. */
  Optional<String> heartbeatActionQuery() {
    String query = parsed.getString(HEARTBEAT_ACTION_QUERY);
    return query == null || query.isBlank() ? Optional.empty() : Optional.of(query);
  }

  TableName signalTable() {
    return ifSet(SIGNAL_DATA_COLLECTION)
        .map(TableName::parse)
        .orElseGet(() -> new TableName(schemas().get(0), connectorToken() + "_signal"));
  }

  /** The record of captured tables ({@link CapturedTables}), beside the signal table. */
  TableName capturedTablesTable() {
    return new TableName(signalTable().schema(), connectorToken() + "_tables");
  }

  /** The re-sync function, beside the signal table. */
  TableName resyncFunction() {
    return new TableName(signalTable().schema(), connectorToken() + "_resync");
  }

  /** The rebuild function, beside the signal table (its name kept within 63 bytes). */
  TableName rebuildFunction() {
    String token = connectorToken();
    return new TableName(
        signalTable().schema(),
        (token.length() > 55 ? token.substring(0, 55) : token) + "_rebuild");
  }

  /**
   * How many partitions the connector's topics are created with: a rebuild's end goes to each
   * ({@link RebuildStamp}).
   */
  int topicPartitions() {
    String value = originals.get(TOPIC_CREATION_PARTITIONS);
    try {
      return value == null ? 1 : Math.max(1, Integer.parseInt(value.strip()));
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  boolean tombstonesOnDelete() {
    return parsed.getBoolean(TOMBSTONES_ON_DELETE);
  }

  DecimalHandlingMode decimalHandlingMode() {
    return DecimalHandlingMode.parse(parsed.getString(DECIMAL_HANDLING_MODE));
  }

  TemporalPrecisionMode timePrecisionMode() {
    return TemporalPrecisionMode.parse(parsed.getString(TIME_PRECISION_MODE));
  }

  /** At least 64 KiB, or unset. */
  static final class RowMaxBytes implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      if (value != null && (Long) value < 65_536) {
        throw new org.apache.kafka.common.config.ConfigException(
            name, value, "Must be at least 65536 (64 KiB), or unset to follow Kafka's limits");
      }
    }

    @Override
    public String toString() {
      return "at least 65536, or unset";
    }
  }

  /** A list validator that rejects an empty list or blank entries. */
  static final class NonEmptyList implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      List<?> list = (List<?>) value;
      if (list == null || list.isEmpty() || list.stream().anyMatch(v -> v.toString().isBlank())) {
        throw new org.apache.kafka.common.config.ConfigException(
            name, value, "Must be a non-empty comma-separated list without blank entries");
      }
    }

    @Override
    public String toString() {
      return "non-empty list";
    }
  }
}

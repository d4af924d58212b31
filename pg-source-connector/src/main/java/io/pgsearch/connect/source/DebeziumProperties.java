package io.pgsearch.connect.source;

import static io.pgsearch.connect.source.PostgresSourceConfig.DECIMAL_HANDLING_MODE;
import static io.pgsearch.connect.source.PostgresSourceConfig.HEARTBEAT_ACTION_QUERY;
import static io.pgsearch.connect.source.PostgresSourceConfig.HEARTBEAT_INTERVAL;
import static io.pgsearch.connect.source.PostgresSourceConfig.HEARTBEAT_MESSAGE_PREFIX;
import static io.pgsearch.connect.source.PostgresSourceConfig.PLUGIN_NAME;
import static io.pgsearch.connect.source.PostgresSourceConfig.PORT;
import static io.pgsearch.connect.source.PostgresSourceConfig.PUBLICATION_NAME;
import static io.pgsearch.connect.source.PostgresSourceConfig.REPLICA_IDENTITY_AUTOSET;
import static io.pgsearch.connect.source.PostgresSourceConfig.ROW_FILTER_PREFIX;
import static io.pgsearch.connect.source.PostgresSourceConfig.ROW_MAX_BYTES;
import static io.pgsearch.connect.source.PostgresSourceConfig.SCHEMAS;
import static io.pgsearch.connect.source.PostgresSourceConfig.SIGNAL_DATA_COLLECTION;
import static io.pgsearch.connect.source.PostgresSourceConfig.SLOT_NAME;
import static io.pgsearch.connect.source.PostgresSourceConfig.SSL_CA_PEM;
import static io.pgsearch.connect.source.PostgresSourceConfig.SSL_MODE;
import static io.pgsearch.connect.source.PostgresSourceConfig.TABLES;
import static io.pgsearch.connect.source.PostgresSourceConfig.TABLES_DISCOVERY_INTERVAL;
import static io.pgsearch.connect.source.PostgresSourceConfig.TIME_PRECISION_MODE;
import static io.pgsearch.connect.source.PostgresSourceConfig.TOMBSTONES_ON_DELETE;

import io.debezium.config.CommonConnectorConfig;
import io.debezium.connector.postgresql.PostgresConnectorConfig;
import io.debezium.connector.postgresql.PostgresConnectorConfig.AutoCreateMode;
import io.debezium.connector.postgresql.PostgresConnectorConfig.SnapshotMode;
import io.debezium.relational.RelationalDatabaseConnectorConfig;
import io.pgsearch.connect.source.CapturePlan.CapturedTable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.postgresql.PGProperty;
import org.postgresql.ssl.SingleCertValidatingFactory;

/**
 * Turns our configuration and a {@link CapturePlan} into the configuration of Debezium's task:
 * every key the user gave passes through, our keys are translated, our defaults fill the gaps.
 */
final class DebeziumProperties {
  static final String TABLE_INCLUDE_LIST =
      RelationalDatabaseConnectorConfig.TABLE_INCLUDE_LIST.name();
  static final String SNAPSHOT_OVERRIDES =
      RelationalDatabaseConnectorConfig.SNAPSHOT_SELECT_STATEMENT_OVERRIDES_BY_TABLE.name();
  static final String PUBLICATION_AUTOCREATE =
      PostgresConnectorConfig.PUBLICATION_AUTOCREATE_MODE.name();
  static final String PUBLICATION_AUTOCREATE_DISABLED = AutoCreateMode.DISABLED.getValue();
  static final String MESSAGE_PREFIX_INCLUDE =
      PostgresConnectorConfig.LOGICAL_DECODING_MESSAGE_PREFIX_INCLUDE_LIST.name();
  static final String MESSAGE_PREFIX_EXCLUDE =
      PostgresConnectorConfig.LOGICAL_DECODING_MESSAGE_PREFIX_EXCLUDE_LIST.name();
  static final String SSL_FACTORY = PostgresConnectorConfig.SSL_SOCKET_FACTORY.name();

  /** Debezium has no Field for it: it passes {@code database.*} keys on to pgjdbc. */
  static final String SSL_FACTORY_ARG =
      CommonConnectorConfig.DATABASE_CONFIG_PREFIX + PGProperty.SSL_FACTORY_ARG.getName();

  static final String SINGLE_CERT_FACTORY = SingleCertValidatingFactory.class.getName();
  static final String DATATYPE_PROPAGATE =
      RelationalDatabaseConnectorConfig.PROPAGATE_DATATYPE_SOURCE_TYPE.name();
  static final String COLUMN_PROPAGATE =
      RelationalDatabaseConnectorConfig.PROPAGATE_COLUMN_SOURCE_TYPE.name();
  static final String POST_PROCESSORS = CommonConnectorConfig.CUSTOM_POST_PROCESSORS.name();
  static final String RESELECTOR = "pgsearchreselect";
  static final String POLL_INTERVAL = CommonConnectorConfig.POLL_INTERVAL_MS.name();
  static final String CONVERTERS = CommonConnectorConfig.CUSTOM_CONVERTERS.name();

  /**
   * Our converter for {@code timestamptz} columns ({@link TimestamptzConverter}): Debezium's values
   * at a fraction of its CPU. Added after a user's own converters, which therefore win for the
   * columns they claim; an empty {@code converters} turns it off.
   */
  static final String TIMESTAMPTZ_CONVERTER = "pgsearchtimestamptz";

  static final String SNAPSHOT_MODE_NO_DATA = SnapshotMode.NO_DATA.getValue();
  static final String SNAPSHOT_MODE_INITIAL = SnapshotMode.INITIAL.getValue();

  /**
   * Debezium skips TRUNCATE by default ({@code t}); we stream it, so the sink can empty the table's
   * documents. A user's own value passes through.
   */
  static final String SKIPPED_OPERATIONS = CommonConnectorConfig.SKIPPED_OPERATIONS.name();

  /**
   * Debezium 3.2+ adds four context headers ({@code __debezium.context.connectorLogicalName},
   * {@code taskId}, {@code connectorName}, {@code runId}) to every record unless this is false. The
   * sink reads none of them, yet each is converted by the source's header converter, written to the
   * topic and decoded again by the sink's worker, record after record. A user's own value passes
   * through.
   */
  static final String EXTENDED_HEADERS = CommonConnectorConfig.EXTENDED_HEADERS_ENABLED.name();

  /** The effective {@code row.max.bytes}, for {@link PostgresSourceTask}. */
  static final String TASK_ROW_MAX_BYTES = "pgsearch.task.row.max.bytes";

  /**
   * Debezium's default is 500 ms, and it waits that long twice: for a fuller batch before handing
   * records to Connect, and before reading the replication stream again when nothing was pending.
   * At moderate rates that alone adds up to a second between commit and Kafka. 25 ms halved both
   * waits' tail against 50 in alternating benchmark runs, at the same throughput and CPU per
   * change; 10 ms made the tail worse on the shared core.
   */
  static final String POLL_INTERVAL_DEFAULT = "25";

  /**
   * Debezium emits range columns as plain strings; the transforms only recognise them by the {@code
   * __debezium.source.column.type} schema parameter this adds. Debezium matches each regex,
   * case-insensitively, against {@code <schema>.<table>.<type name>}.
   */
  static final String RANGE_TYPES =
      ".+\\.int4range,.+\\.int8range,.+\\.numrange,.+\\.daterange,.+\\.tsrange,.+\\.tstzrange";

  private DebeziumProperties() {}

  /** The static part: defaults and translations that need no database. */
  static Map<String, String> base(PostgresSourceConfig config) {
    Map<String, String> props = new LinkedHashMap<>(config.originals());
    props.keySet().removeIf(key -> key.startsWith(ROW_FILTER_PREFIX));
    props.keySet().removeIf(key -> key.startsWith(PostgresSourceConfig.DOCUMENT_PREFIX));
    config.documents().forEach((name, json) -> props.put(DocumentStage.TASK_PREFIX + name, json));
    props.remove(TABLES);
    props.remove(SCHEMAS);
    props.remove(REPLICA_IDENTITY_AUTOSET);
    props.remove(SSL_CA_PEM);
    props.remove(ROW_MAX_BYTES);
    props.remove(TABLES_DISCOVERY_INTERVAL);
    props.remove(PostgresSourceConfig.INITIAL_LOAD);
    if (config.initialLoad() == InitialLoad.INCREMENTAL) {
      // Debezium reads no rows itself; the task asks for an incremental snapshot per table.
      props.put(PostgresSourceConfig.SNAPSHOT_MODE, SNAPSHOT_MODE_NO_DATA);
    }
    props.put(TASK_ROW_MAX_BYTES, String.valueOf(config.rowMaxBytes()));
    props.put(RebuildStamp.TASK_TOPIC_PARTITIONS, String.valueOf(config.topicPartitions()));
    props.put(PORT, String.valueOf(config.port()));
    props.put(PLUGIN_NAME, config.pluginName().getValue());
    props.put(SLOT_NAME, config.slotName());
    props.put(PUBLICATION_NAME, config.publicationName());
    // We create and alter the publication ourselves: Debezium's cannot carry row filters.
    props.put(PUBLICATION_AUTOCREATE, PUBLICATION_AUTOCREATE_DISABLED);
    props.put(HEARTBEAT_INTERVAL, String.valueOf(config.heartbeatIntervalMs()));
    heartbeatQuery(config, props);
    props.put(SIGNAL_DATA_COLLECTION, config.signalTable().toString());
    props.put(TOMBSTONES_ON_DELETE, String.valueOf(config.tombstonesOnDelete()));
    props.put(DECIMAL_HANDLING_MODE, config.decimalHandlingMode().getValue());
    props.put(TIME_PRECISION_MODE, config.timePrecisionMode().getValue());
    props.putIfAbsent(POLL_INTERVAL, POLL_INTERVAL_DEFAULT);
    props.putIfAbsent(SKIPPED_OPERATIONS, "none");
    props.putIfAbsent(EXTENDED_HEADERS, "false");
    props.put(SSL_MODE, config.sslMode());
    converters(config, props);
    // Present at all means the user chose; an empty value turns our default off.
    if (!config.originals().containsKey(DATATYPE_PROPAGATE)
        && !config.originals().containsKey(COLUMN_PROPAGATE)) {
      props.put(DATATYPE_PROPAGATE, RANGE_TYPES);
    } else if (!config.isSet(DATATYPE_PROPAGATE)) {
      props.remove(DATATYPE_PROPAGATE);
    }
    config
        .sslCaPem()
        .ifPresent(
            pem -> {
              // pgjdbc validates the server against a CA given as text: no file on the workers.
              props.put(SSL_FACTORY, SINGLE_CERT_FACTORY);
              props.put(SSL_FACTORY_ARG, pem);
            });
    return props;
  }

  /** Ours after a user's own converters, or none when the user set {@code converters} empty. */
  private static void converters(PostgresSourceConfig config, Map<String, String> props) {
    Object own = config.originals().get(CONVERTERS);
    String list = own == null ? "" : own.toString().trim();
    if (own != null && list.isEmpty()) {
      props.remove(CONVERTERS);
      return;
    }
    if (list.isEmpty()) {
      props.put(CONVERTERS, TIMESTAMPTZ_CONVERTER);
    } else if (!List.of(list.split("\\s*,\\s*")).contains(TIMESTAMPTZ_CONVERTER)) {
      props.put(CONVERTERS, list + "," + TIMESTAMPTZ_CONVERTER);
    }
    props.put(TIMESTAMPTZ_CONVERTER + ".type", TimestamptzConverter.class.getName());
  }

  /** Ours by default, a user's own, or none when the user set it blank. */
  private static void heartbeatQuery(PostgresSourceConfig config, Map<String, String> props) {
    Optional<String> query = config.heartbeatActionQuery();
    if (query.isEmpty()) {
      props.remove(HEARTBEAT_ACTION_QUERY);
      return;
    }
    props.put(HEARTBEAT_ACTION_QUERY, query.get());
    if (!config.isSet(MESSAGE_PREFIX_INCLUDE) && !config.isSet(MESSAGE_PREFIX_EXCLUDE)) {
      // Our heartbeat messages only move the slot; they never become records.
      props.put(MESSAGE_PREFIX_EXCLUDE, HEARTBEAT_MESSAGE_PREFIX);
    }
  }

  /** The task configuration for the resolved tables. */
  static Map<String, String> forPlan(PostgresSourceConfig config, CapturePlan plan) {
    return forPlan(config, plan, Map.of());
  }

  /** The task configuration, with the snapshots of tables that appeared after the first start. */
  static Map<String, String> forPlan(
      PostgresSourceConfig config,
      CapturePlan plan,
      Map<TableName, NewTableSnapshots.Request> discovered) {
    Map<String, String> props = base(config);
    NewTableSnapshots.writeTo(props, discovered);
    List<CapturedTable> captured = plan.captured();
    if (config.initialLoad() == InitialLoad.INCREMENTAL) {
      IncrementalLoad.writeTo(props, snapshotOrder(config, captured));
    }
    props.put(
        GenerationStamp.TASK_TABLES,
        captured.stream().map(t -> t.name().toString()).collect(Collectors.joining(",")));
    props.put(
        TABLE_INCLUDE_LIST,
        snapshotOrder(config, captured).stream()
            .map(t -> t.name().includePattern())
            .collect(Collectors.joining(",")));
    List<CapturedTable> filtered = captured.stream().filter(t -> t.filter() != null).toList();
    if (!filtered.isEmpty() && !config.isSet(SNAPSHOT_OVERRIDES)) {
      // The initial snapshot applies the same WHERE as the publication applies to streaming.
      props.put(
          SNAPSHOT_OVERRIDES,
          filtered.stream().map(t -> t.name().toString()).collect(Collectors.joining(",")));
      for (CapturedTable table : filtered) {
        props.put(
            SNAPSHOT_OVERRIDES + "." + table.name(),
            "SELECT * FROM " + table.name().quoted() + " WHERE (" + table.filter() + ")");
      }
    }
    if (!config.originals().containsKey(POST_PROCESSORS)) {
      reselectUnavailableValues(props, captured);
    }
    return props;
  }

  /**
   * The captured tables in the order Debezium snapshots them (it follows the include list): the
   * root tables of documents first, since their rows build the documents, then the others, whose
   * rows a document reads from the database anyway.
   */
  static List<CapturedTable> snapshotOrder(
      PostgresSourceConfig config, List<CapturedTable> captured) {
    Set<TableName> roots = new HashSet<>();
    config
        .documents()
        .forEach(
            (name, json) -> {
              try {
                roots.add(DocumentDefinition.parse(name, json).root().table());
              } catch (DocumentDefinition.InvalidDefinition e) {
                // Validation reports it on its key; the order is only an optimisation.
              }
            });
    List<CapturedTable> ordered = new ArrayList<>();
    captured.stream().filter(t -> roots.contains(t.name())).forEach(ordered::add);
    captured.stream().filter(t -> !roots.contains(t.name())).forEach(ordered::add);
    return ordered;
  }

  /**
   * PostgreSQL leaves a TOASTed column out of an UPDATE that did not change it (and out of the
   * "insert" of a row that starts matching its row filter through an UPDATE). A document built from
   * such an event would be partial, and a partial update can be neither versioned nor applied to a
   * document the index does not hold. {@link UnchangedToastReselector} reads such columns back from
   * the table by key, for every captured table, so every event carries the whole row.
   */
  private static void reselectUnavailableValues(
      Map<String, String> props, List<CapturedTable> captured) {
    props.put(POST_PROCESSORS, RESELECTOR);
    props.put(RESELECTOR + ".type", UnchangedToastReselector.class.getName());
    props.put(RESELECTOR + ".reselect.unavailable.values", "true");
    props.put(RESELECTOR + ".reselect.null.values", "false");
    // The event's key is the document id: the primary key, or message.key.columns.
    props.put(RESELECTOR + ".reselect.use.event.key", "true");
    props.put(
        RESELECTOR + ".reselect.columns.include.list",
        captured.stream()
            .map(t -> t.name().includePattern() + ":.*")
            .collect(Collectors.joining(",")));
  }
}

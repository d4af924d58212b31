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
import static io.pgsearch.connect.source.PostgresSourceConfig.SCHEMAS;
import static io.pgsearch.connect.source.PostgresSourceConfig.SIGNAL_DATA_COLLECTION;
import static io.pgsearch.connect.source.PostgresSourceConfig.SLOT_NAME;
import static io.pgsearch.connect.source.PostgresSourceConfig.SSL_CA_PEM;
import static io.pgsearch.connect.source.PostgresSourceConfig.SSL_MODE;
import static io.pgsearch.connect.source.PostgresSourceConfig.TABLES;
import static io.pgsearch.connect.source.PostgresSourceConfig.TIME_PRECISION_MODE;
import static io.pgsearch.connect.source.PostgresSourceConfig.TOMBSTONES_ON_DELETE;

import io.pgsearch.connect.source.CapturePlan.CapturedTable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns our configuration and a {@link CapturePlan} into the configuration of Debezium's task:
 * every key the user gave passes through, our keys are translated, our defaults fill the gaps.
 */
final class DebeziumProperties {
  static final String TABLE_INCLUDE_LIST = "table.include.list";
  static final String SNAPSHOT_OVERRIDES = "snapshot.select.statement.overrides";
  static final String PUBLICATION_AUTOCREATE = "publication.autocreate.mode";
  static final String MESSAGE_PREFIX_INCLUDE = "message.prefix.include.list";
  static final String MESSAGE_PREFIX_EXCLUDE = "message.prefix.exclude.list";
  static final String SSL_FACTORY = "database.sslfactory";
  static final String SSL_FACTORY_ARG = "database.sslfactoryarg";
  static final String SINGLE_CERT_FACTORY = "org.postgresql.ssl.SingleCertValidatingFactory";
  static final String DATATYPE_PROPAGATE = "datatype.propagate.source.type";
  static final String COLUMN_PROPAGATE = "column.propagate.source.type";
  static final String POST_PROCESSORS = "post.processors";
  static final String RESELECTOR = "pgsearchreselect";
  static final String POLL_INTERVAL = "poll.interval.ms";

  /**
   * Debezium skips TRUNCATE by default ({@code t}); we stream it, so the sink can empty the table's
   * documents. A user's own value passes through.
   */
  static final String SKIPPED_OPERATIONS =
      io.debezium.config.CommonConnectorConfig.SKIPPED_OPERATIONS.name();

  /** The effective {@code row.max.bytes}, for {@link PostgresSourceTask}. */
  static final String TASK_ROW_MAX_BYTES = "pgsearch.task.row.max.bytes";

  /**
   * Debezium's default is 500 ms, and it waits that long twice: for a fuller batch before handing
   * records to Connect, and before reading the replication stream again when nothing was pending.
   * At moderate rates that alone adds up to a second between commit and Kafka.
   */
  static final String POLL_INTERVAL_DEFAULT = "50";

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
    props.remove(TABLES);
    props.remove(SCHEMAS);
    props.remove(REPLICA_IDENTITY_AUTOSET);
    props.remove(SSL_CA_PEM);
    props.remove(PostgresSourceConfig.ROW_MAX_BYTES);
    props.remove(PostgresSourceConfig.TABLES_DISCOVERY_INTERVAL);
    props.put(TASK_ROW_MAX_BYTES, String.valueOf(config.rowMaxBytes()));
    props.put(PORT, String.valueOf(config.integer(PORT)));
    props.put(PLUGIN_NAME, config.string(PLUGIN_NAME));
    props.put(SLOT_NAME, config.slotName());
    props.put(PUBLICATION_NAME, config.publicationName());
    // We create and alter the publication ourselves: Debezium's cannot carry row filters.
    props.put(PUBLICATION_AUTOCREATE, "disabled");
    props.put(HEARTBEAT_INTERVAL, String.valueOf(config.integer(HEARTBEAT_INTERVAL)));
    String heartbeatQuery = config.string(HEARTBEAT_ACTION_QUERY);
    if (heartbeatQuery == null || heartbeatQuery.isBlank()) {
      props.remove(HEARTBEAT_ACTION_QUERY);
    } else {
      props.put(HEARTBEAT_ACTION_QUERY, heartbeatQuery);
      if (!config.isSet(MESSAGE_PREFIX_INCLUDE) && !config.isSet(MESSAGE_PREFIX_EXCLUDE)) {
        // Our heartbeat messages only move the slot; they never become records.
        props.put(MESSAGE_PREFIX_EXCLUDE, HEARTBEAT_MESSAGE_PREFIX);
      }
    }
    props.put(SIGNAL_DATA_COLLECTION, config.signalTable().toString());
    props.put(TOMBSTONES_ON_DELETE, String.valueOf(config.bool(TOMBSTONES_ON_DELETE)));
    props.put(DECIMAL_HANDLING_MODE, config.string(DECIMAL_HANDLING_MODE));
    props.put(TIME_PRECISION_MODE, config.string(TIME_PRECISION_MODE));
    props.putIfAbsent(POLL_INTERVAL, POLL_INTERVAL_DEFAULT);
    props.putIfAbsent(SKIPPED_OPERATIONS, "none");
    props.put(SSL_MODE, config.sslMode());
    // Present at all means the user chose; an empty value turns our default off.
    if (!config.originals().containsKey(DATATYPE_PROPAGATE)
        && !config.originals().containsKey(COLUMN_PROPAGATE)) {
      props.put(DATATYPE_PROPAGATE, RANGE_TYPES);
    } else if (!config.isSet(DATATYPE_PROPAGATE)) {
      props.remove(DATATYPE_PROPAGATE);
    }
    if (config.isSet(SSL_CA_PEM)) {
      // pgjdbc validates the server against a CA given as text: no file on the workers.
      props.put(SSL_FACTORY, SINGLE_CERT_FACTORY);
      props.put(SSL_FACTORY_ARG, config.string(SSL_CA_PEM).strip());
    }
    return props;
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
    props.put(
        GenerationStamp.TASK_TABLES,
        captured.stream().map(t -> t.name().toString()).collect(Collectors.joining(",")));
    props.put(
        TABLE_INCLUDE_LIST,
        captured.stream().map(t -> t.name().includePattern()).collect(Collectors.joining(",")));
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

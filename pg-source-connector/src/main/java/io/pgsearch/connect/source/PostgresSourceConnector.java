package io.pgsearch.connect.source;

import io.debezium.connector.postgresql.PostgresConnector;
import io.pgsearch.connect.source.CapturePlan.Problem;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL change capture with search-ready defaults, running Debezium's PostgreSQL task.
 *
 * <p>Delegation, not a subclass of Debezium's connector: this class owns the configuration,
 * validation and database set-up (publication with row filters, signal table, replica identities),
 * then hands {@link PostgresSourceTask} (Debezium's task, failing on permanent SQL errors) a plain
 * Debezium configuration. Debezium's connector class is used only for its configuration definition.
 */
public class PostgresSourceConnector extends SourceConnector {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresSourceConnector.class);

  private static final ConfigDef DEFINITION = mergedDefinition();

  private volatile Map<String, String> taskConfig;
  private volatile Set<TableName> capturedNow = Set.of();
  private PostgresSourceConfig config;
  private ScheduledExecutorService discovery;

  /** Our keys, then every Debezium key we do not redefine, so Connect knows them all. */
  private static ConfigDef mergedDefinition() {
    ConfigDef merged = new ConfigDef(PostgresSourceConfig.CONFIG_DEF);
    new PostgresConnector()
        .config()
        .configKeys()
        .forEach(
            (name, key) -> {
              if (!merged.configKeys().containsKey(name)) {
                merged.define(key);
              }
            });
    return merged;
  }

  @Override
  public String version() {
    return Version.get();
  }

  @Override
  public ConfigDef config() {
    return DEFINITION;
  }

  @Override
  public Config validate(Map<String, String> connectorConfigs) {
    return new PostgresSourceValidator(DEFINITION, connectorConfigs).validate();
  }

  @Override
  public void start(Map<String, String> props) {
    config = new PostgresSourceConfig(props);
    setUp(true);
    long interval = config.tablesDiscoveryIntervalMs();
    if (config.allTables() && interval > 0) {
      discovery =
          Executors.newSingleThreadScheduledExecutor(
              runnable -> {
                Thread thread = new Thread(runnable, "pgsearch-table-discovery");
                thread.setDaemon(true);
                return thread;
              });
      discovery.scheduleWithFixedDelay(this::discover, interval, interval, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Looks for tables created (or dropped) since the last plan; when the captured set changed, sets
   * the database up again and asks Connect to restart the task with the new tables (whose rows the
   * task then snapshots). A failure is logged and tried again at the next interval.
   */
  private void discover() {
    try {
      setUp(false);
    } catch (RuntimeException e) {
      LOG.warn("Looking for new tables failed; trying again later: {}", e.getMessage());
    }
  }

  /** Plans and sets up; at start always, later only when the captured tables changed. */
  private synchronized void setUp(boolean starting) {
    Connection connection;
    try {
      connection =
          starting // later, discovery simply tries again at its next interval
              ? PatientConnect.open(
                  () -> PostgresConnections.open(config),
                  PatientConnect.PATIENCE,
                  System::nanoTime,
                  Thread::sleep)
              : PostgresConnections.open(config);
    } catch (SQLException e) {
      Problem problem = PostgresConnections.connectProblem(config, e);
      throw new ConnectException("Cannot connect (" + problem.key() + "): " + problem.message(), e);
    }
    try (connection) {
      CapturePlan plan = new CapturePlanner(config, new PostgresCatalog(connection)).plan();
      Set<TableName> captured = names(plan);
      if (!starting && !plan.problems().isEmpty()) {
        warnOnce(plan.problems());
        return; // the task runs on with the tables it has
      }
      if (!starting && captured.equals(capturedNow)) {
        return;
      }
      if (!plan.problems().isEmpty()) {
        throw new ConnectException(
            "Cannot start: "
                + plan.problems().stream()
                    .map(p -> p.key() + ": " + p.message())
                    .collect(Collectors.joining("; ")));
      }
      if (!plan.skipped().isEmpty()) {
        LOG.warn(
            "Skipping table(s) without a primary key: {}. Name key columns for them in {} to"
                + " capture them.",
            plan.skipped(),
            PostgresSourceConfig.KEY_COLUMNS);
      }
      Map<TableName, NewTableSnapshots.Request> discovered =
          new ReplicationSetup(config, connection).apply(plan);
      taskConfig = DebeziumProperties.forPlan(config, plan, discovered);
      if (!starting) {
        Set<TableName> added = new LinkedHashSet<>(captured);
        added.removeAll(capturedNow);
        LOG.info(
            "Tables changed in the captured schemas: now capturing {} (new: {}); the task restarts"
                + " with them and snapshots the new ones",
            captured,
            added);
        capturedNow = captured;
        context.requestTaskReconfiguration();
        return;
      }
      capturedNow = captured;
      LOG.info(
          "Capturing {} into topics {}.<schema>.<table>, slot {}, publication {}; re-sync with"
              + " SELECT {}(), rebuild indexes with SELECT {}()",
          plan.captured().stream().map(t -> t.name().toString()).toList(),
          config.topicPrefix(),
          config.slotName(),
          config.publicationName(),
          config.resyncFunction().quoted(),
          config.rebuildFunction().quoted());
    } catch (SQLException e) {
      throw new ConnectException(
          "Setting up the publication, signal table and replica identities failed: "
              + e.getMessage(),
          e);
    }
  }

  private String lastProblems = "";

  /** A discovered table that cannot be captured, said once rather than at every interval. */
  private void warnOnce(List<Problem> problems) {
    String text =
        problems.stream().map(p -> p.key() + ": " + p.message()).collect(Collectors.joining("; "));
    if (!text.equals(lastProblems)) {
      LOG.warn("The captured tables changed but cannot be captured as they are now: {}", text);
      lastProblems = text;
    }
  }

  private static Set<TableName> names(CapturePlan plan) {
    Set<TableName> names = new LinkedHashSet<>();
    plan.captured().forEach(t -> names.add(t.name()));
    return names;
  }

  @Override
  public Class<? extends Task> taskClass() {
    return PostgresSourceTask.class;
  }

  @Override
  public List<Map<String, String>> taskConfigs(int maxTasks) {
    // One replication slot, one reader: Debezium's PostgreSQL capture is single-task.
    return taskConfig == null ? List.of() : List.of(taskConfig);
  }

  @Override
  public void stop() {
    if (discovery != null) {
      discovery.shutdownNow();
      discovery = null;
    }
    taskConfig = null;
  }

  @Override
  public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
    return ExactlyOnceSupport.SUPPORTED;
  }
}

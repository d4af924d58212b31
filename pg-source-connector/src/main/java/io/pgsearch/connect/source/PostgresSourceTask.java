package io.pgsearch.connect.source;

import io.debezium.config.Configuration;
import io.debezium.connector.postgresql.PostgresConnectorConfig;
import io.debezium.connector.postgresql.PostgresConnectorTask;
import io.debezium.connector.postgresql.PostgresOffsetContext;
import io.debezium.connector.postgresql.PostgresPartition;
import io.debezium.connector.postgresql.connection.PostgresConnection;
import io.debezium.pipeline.ChangeEventSourceCoordinator;
import io.debezium.pipeline.spi.OffsetContext;
import io.debezium.pipeline.spi.Offsets;
import io.debezium.pipeline.spi.Partition;
import io.pgsearch.connect.source.SqlErrorClassifier.Names;
import io.pgsearch.connect.source.SqlErrorClassifier.Permanent;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Debezium's PostgreSQL task, failing on permanent SQL errors instead of retrying them forever.
 *
 * <p>Debezium's error handler turns every SQLException of the capture thread into a {@link
 * RetriableException}, which reaches Connect through {@link #doPoll()}; a failed (re)start surfaces
 * the same way through {@link #start(Configuration)}. {@code poll()} and {@code start(Map)} are
 * final in Debezium's base class, so these two are where the errors are intercepted: a permanent
 * SQLSTATE (see {@link SqlErrorClassifier}) becomes a non-retriable {@link ConnectException}.
 *
 * <p>Each polled record is fitted to Kafka's size limit by {@link OversizedRows} first, after the
 * reads of rows leaving a changed row filter became deletes ({@link FilterExitDeletes}).
 */
public class PostgresSourceTask extends PostgresConnectorTask {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresSourceTask.class);

  /** At most one progress line per interval while a table is snapshotted. */
  static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(10);

  private volatile Names names = new Names("?", "?", "?", "?");
  private volatile OversizedRows oversized = new OversizedRows(Long.MAX_VALUE);
  private volatile Generations.State generation;
  private volatile GenerationStamp stamp;
  private volatile RebuildStamp rebuilds;
  private volatile DocumentStage documents;
  private volatile SnapshotProgress progress;

  /** The signals of an incremental initial load, until inserted (after Debezium's start). */
  private volatile List<NewTableSnapshots.Entry> pendingLoad;

  private volatile Configuration taskConfig;

  /** This plugin's version in the task's status, like the connector's (not Debezium's). */
  @Override
  public String version() {
    return Version.get();
  }

  @Override
  public ChangeEventSourceCoordinator<PostgresPartition, PostgresOffsetContext> start(
      Configuration config) {
    names =
        new Names(
            config.getString(PostgresSourceConfig.USER),
            config.getString(PostgresSourceConfig.DBNAME),
            config.getString(PostgresSourceConfig.PUBLICATION_NAME),
            config.getString(PostgresSourceConfig.SLOT_NAME));
    oversized =
        new OversizedRows(
            config.getLong(
                DebeziumProperties.TASK_ROW_MAX_BYTES,
                PostgresSourceConfig.KAFKA_DEFAULT_MAX_BYTES / 2));
    try {
      generation = decideGeneration(config);
      stamp =
          new GenerationStamp(
              generation,
              config.getString(PostgresSourceConfig.TOPIC_PREFIX),
              GenerationStamp.tables(config.getString(GenerationStamp.TASK_TABLES)));
      rebuilds =
          new RebuildStamp(
              config.getString(PostgresSourceConfig.TOPIC_PREFIX),
              config.getInteger(RebuildStamp.TASK_TOPIC_PARTITIONS, 1),
              GenerationStamp.tables(config.getString(GenerationStamp.TASK_TABLES)),
              committedServerOffset(config));
      signalNewTables(config);
      Configuration debezium = prepareLoad(config);
      taskConfig = config;
      progress =
          new SnapshotProgress(
              generation.restored() ? null : committedServerOffset(config),
              table -> estimate(config, table),
              PROGRESS_INTERVAL,
              System::nanoTime);
      documents =
          DocumentStage.start(
              DocumentStage.definitions(config.asMap()),
              new PostgresConnectorConfig(config),
              schemasOf(config.getString(GenerationStamp.TASK_TABLES)),
              config.getString(PostgresSourceConfig.TOPIC_PREFIX),
              this::committedOffset);
      return super.start(debezium);
    } catch (RetriableException e) {
      throw failIfPermanent(e);
    } catch (RuntimeException e) {
      if (SqlErrorClassifier.isTransient(e)) {
        // PostgreSQL restarting while the task starts: Debezium tries the start again from poll.
        throw new RetriableException("Could not start while PostgreSQL is unavailable: " + e, e);
      }
      throw e;
    }
  }

  @Override
  public List<SourceRecord> doPoll() throws InterruptedException {
    try {
      if (pendingLoad != null) {
        signalLoad();
      }
      List<SourceRecord> records;
      if (documents != null && documents.hasPending()) {
        // The documents of a change shared by many roots, before anything newer.
        records = documents(null);
      } else {
        records = super.doPoll();
        if (records != null) {
          FilterExitDeletes.apply(records);
          progress.apply(records);
          if (documents != null) {
            records = documents(records);
          }
        }
      }
      if (records != null) {
        oversized.fit(records);
        rebuilds.apply(records);
        stamp.apply(records);
      }
      return records;
    } catch (RetriableException e) {
      throw failIfPermanent(e);
    }
  }

  /**
   * The documents the records change, before them, or (records null) the documents still held back;
   * a failing query is retried by Connect.
   */
  private List<SourceRecord> documents(List<SourceRecord> records) {
    try {
      return new java.util.ArrayList<>(
          records == null ? documents.drain() : documents.apply(records));
    } catch (java.sql.SQLException e) {
      throw new RetriableException("Building documents failed: " + e.getMessage(), e);
    }
  }

  /** The schemas of the captured tables, {@code schema.table} comma-separated. */
  private static List<String> schemasOf(String tables) {
    return GenerationStamp.tables(tables).stream().map(TableName::schema).distinct().toList();
  }

  @Override
  protected void doStop() {
    DocumentStage stage = documents;
    documents = null;
    if (stage != null) {
      try {
        stage.close();
      } catch (java.sql.SQLException e) {
        LOG.warn("Closing the documents' connection failed: {}", e.getMessage());
      }
    }
    super.doStop();
  }

  /**
   * After a restore, Debezium must start over: its committed position belongs to the previous
   * history. Until this generation has committed offsets of its own, they are hidden from it, so it
   * snapshots every table again and streams from a slot on the restored server.
   */
  @Override
  protected Offsets<PostgresPartition, PostgresOffsetContext> getPreviousOffsets(
      Partition.Provider<PostgresPartition> provider,
      OffsetContext.Loader<PostgresOffsetContext> loader) {
    Offsets<PostgresPartition, PostgresOffsetContext> offsets =
        super.getPreviousOffsets(provider, loader);
    Generations.State state = generation;
    if (state != null && state.restored()) {
      for (PostgresPartition partition : offsets.getPartitions()) {
        Map<String, ?> committed =
            context.offsetStorageReader().offset(partition.getSourcePartition());
        Object committedGeneration =
            committed == null ? null : committed.get(Generations.GENERATION);
        if (!(committedGeneration instanceof Number n) || n.longValue() != state.generation()) {
          offsets.resetOffset(partition);
        }
      }
    }
    return offsets;
  }

  /** The offset committed for a source partition, or null. */
  private Map<String, ?> committedOffset(Map<String, ?> partition) {
    Map<String, Object> key = new java.util.HashMap<>(partition);
    return context.offsetStorageReader().offset(key);
  }

  /** The offset committed for the connector's one source partition, or null. */
  private Map<String, ?> committedServerOffset(Configuration config) {
    return context
        .offsetStorageReader()
        .offset(Map.of("server", config.getString(PostgresSourceConfig.TOPIC_PREFIX)));
  }

  private Generations.State decideGeneration(Configuration config) {
    Map<String, ?> committed = committedServerOffset(config);
    try (PostgresConnection connection =
        new PostgresConnection(
            new PostgresConnectorConfig(config).getJdbcConfig(), "pgsearch generation")) {
      Generations.State state =
          Generations.decide(committed, ServerIdentity.of(connection.connection()));
      if (state.restored()) {
        LOG.warn(
            "The database is not the one this connector read before (system identifier {},"
                + " timeline {}, WAL at {}; committed: {}): it was restored or re-created. Starting"
                + " generation {}: every table is snapshotted again, and once that is done the"
                + " documents of rows the database no longer has are deleted",
            state.identity().systemIdentifier(),
            state.identity().timeline(),
            state.identity().currentLsn(),
            committed == null ? "nothing" : committed.get(Generations.DEBEZIUM_LSN),
            state.generation());
      }
      return state;
    } catch (SQLException e) {
      throw failIfPermanent(
          new RetriableException("Could not read the identity of the database: " + e, e));
    }
  }

  /**
   * Asks for the snapshots of tables that appeared after the initial one, before streaming starts:
   * the signals are read from the WAL by this task, which has the tables in its include list.
   */
  private void signalNewTables(Configuration config) {
    List<NewTableSnapshots.Entry> entries = NewTableSnapshots.readFrom(config::getString);
    if (entries.isEmpty()) {
      return;
    }
    TableName signal =
        TableName.parse(config.getString(PostgresSourceConfig.SIGNAL_DATA_COLLECTION));
    try (PostgresConnection connection =
        new PostgresConnection(
            new PostgresConnectorConfig(config).getJdbcConfig(), "pgsearch new tables")) {
      int added = NewTableSnapshots.signal(connection.connection(), signal, entries);
      if (added > 0) {
        LOG.info("Snapshotting {} new table(s) while streaming: signals in {}", added, signal);
      }
    } catch (SQLException e) {
      throw failIfPermanent(
          new RetriableException("Could not ask for the snapshot of new tables: " + e, e));
    }
  }

  /**
   * The configuration Debezium starts with. With an incremental initial load configured: a first
   * start (nothing committed) drops a slot an earlier start left and keeps the load's signals to
   * insert once Debezium created the slot again; a restored database is read again by the blocking
   * snapshot, whose end tells when the previous generation's documents may go.
   */
  private Configuration prepareLoad(Configuration config) {
    if (!IncrementalLoad.configured(config::getString)) {
      return config;
    }
    if (generation.restored()) {
      LOG.info(
          "A restored database is read again by Debezium's blocking snapshot, not incrementally");
      return config
          .edit()
          .with(PostgresSourceConfig.SNAPSHOT_MODE, DebeziumProperties.SNAPSHOT_MODE_INITIAL)
          .build();
    }
    if (committedServerOffset(config) != null) {
      return config; // loaded, or resumed by Debezium from the chunk its offsets hold
    }
    String slot = config.getString(PostgresSourceConfig.SLOT_NAME);
    try (PostgresConnection connection =
        new PostgresConnection(
            new PostgresConnectorConfig(config).getJdbcConfig(), "pgsearch initial load")) {
      if (IncrementalLoad.dropAbandonedSlot(connection.connection(), slot)) {
        LOG.info(
            "Dropped replication slot {}, left by a start that committed no offsets: the load"
                + " starts over on a new slot",
            slot);
      }
    } catch (IncrementalLoad.SlotInUse e) {
      throw new RetriableException(e.getMessage(), e);
    } catch (SQLException e) {
      throw failIfPermanent(new RetriableException("Could not prepare the initial load: " + e, e));
    }
    pendingLoad = IncrementalLoad.signals(config::getString, Instant.now());
    return config;
  }

  /** Asks for the load's snapshots, now that Debezium streams from the slot it created. */
  private void signalLoad() {
    Configuration config = taskConfig;
    TableName signal =
        TableName.parse(config.getString(PostgresSourceConfig.SIGNAL_DATA_COLLECTION));
    try (PostgresConnection connection =
        new PostgresConnection(
            new PostgresConnectorConfig(config).getJdbcConfig(), "pgsearch initial load")) {
      NewTableSnapshots.signal(connection.connection(), signal, pendingLoad);
      LOG.info(
          "Loading {} table(s) by incremental snapshots while streaming, in chunks of {} rows:"
              + " signals in {}",
          pendingLoad.size(),
          config.getString(IncrementalLoad.CHUNK_SIZE, IncrementalLoad.CHUNK_SIZE_DEFAULT),
          signal);
      pendingLoad = null;
    } catch (SQLException e) {
      throw failIfPermanent(new RetriableException("Could not start the initial load: " + e, e));
    }
  }

  /** PostgreSQL's estimate of a table's rows, for the progress lines; empty when unknown. */
  private static OptionalLong estimate(Configuration config, TableName table) {
    try (PostgresConnection connection =
        new PostgresConnection(
            new PostgresConnectorConfig(config).getJdbcConfig(), "pgsearch progress")) {
      long estimate = SnapshotProgress.estimate(connection.connection(), table);
      return estimate < 0 ? OptionalLong.empty() : OptionalLong.of(estimate);
    } catch (SQLException | RuntimeException e) {
      LOG.debug("No row estimate for {}: {}", table, e.getMessage());
      return OptionalLong.empty();
    }
  }

  /** The error to throw: a failing ConnectException when permanent, the retriable one if not. */
  private RuntimeException failIfPermanent(RetriableException error) {
    Optional<Permanent> permanent = SqlErrorClassifier.permanentCause(error, names);
    if (permanent.isEmpty()) {
      return error;
    }
    String message = permanent.get().describe();
    LOG.error(message);
    return new ConnectException(message, error);
  }
}

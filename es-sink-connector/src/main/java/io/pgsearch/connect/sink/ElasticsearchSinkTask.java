package io.pgsearch.connect.sink;

import io.pgsearch.connect.sink.bulk.BufferLimit;
import io.pgsearch.connect.sink.bulk.BulkSettings;
import io.pgsearch.connect.sink.bulk.BulkTransport;
import io.pgsearch.connect.sink.bulk.BulkWriter;
import io.pgsearch.connect.sink.bulk.DocKey;
import io.pgsearch.connect.sink.bulk.FailedOperation;
import io.pgsearch.connect.sink.bulk.OffsetTracker;
import io.pgsearch.connect.sink.bulk.RecordPosition;
import io.pgsearch.connect.sink.bulk.SinkOperation;
import io.pgsearch.connect.sink.config.IndexConfigs;
import io.pgsearch.connect.sink.config.SinkConfig;
import io.pgsearch.connect.sink.document.DocumentException;
import io.pgsearch.connect.sink.index.IndexManager;
import io.pgsearch.connect.sink.metrics.SinkTaskMetrics;
import io.pgsearch.connect.sink.rebuild.RebuildEnds;
import io.pgsearch.connect.sink.rebuild.Rebuilds;
import io.pgsearch.connect.sink.rebuild.ServerGenerations;
import io.pgsearch.connect.sink.transport.SearchClient;
import io.pgsearch.connect.sink.transport.SearchServer;
import io.pgsearch.connect.sink.transport.SearchServerException;
import io.pgsearch.connect.sink.truncate.IndexMetaFloors;
import io.pgsearch.connect.sink.truncate.ScrollScan;
import io.pgsearch.connect.sink.truncate.SweepWrites;
import io.pgsearch.connect.sink.truncate.TruncateFloors;
import io.pgsearch.connect.sink.truncate.TruncateSweeps;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes records to Elasticsearch through a {@link BulkWriter}. {@code put} only queues (creating
 * missing indexes first); {@code preCommit} returns only offsets whose records are applied or
 * reported; a full buffer pauses the partitions instead of failing. A TRUNCATE is applied by {@link
 * TruncateSweeps} while later records keep flowing.
 */
public class ElasticsearchSinkTask extends SinkTask {
  private static final Logger log = LoggerFactory.getLogger(ElasticsearchSinkTask.class);

  /** Set by the connector in each task's config: the task's number, for metric names. */
  static final String TASK_ID = "pgsearch.task.id";

  private SinkConfig config;
  private SearchClient clients;
  private SinkTaskMetrics metrics;
  private IndexManager indexes;
  private BulkWriter writer;
  private RecordMapper mapper;
  private MalformedRecords malformed;
  private TruncateSweeps truncates;
  private Rebuilds rebuilds;
  private RebuildEnds rebuildEnds;
  private Backpressure backpressure;

  @Override
  public String version() {
    return Version.get();
  }

  @Override
  public void start(Map<String, String> props) {
    config = new SinkConfig(props);
    String connector = props.getOrDefault("name", "es-sink");
    String taskId = props.getOrDefault(TASK_ID, "0");
    clients = new SearchClient(config);
    checkServer(clients);
    metrics = new SinkTaskMetrics(connector, taskId);
    indexes = new IndexManager(clients, config.indexDefinition(), config.mappingMode());
    IndexMetaFloors floorStore = new IndexMetaFloors(clients);
    TruncateFloors floors = new TruncateFloors(floorStore, System::nanoTime);
    writer =
        new BulkWriter(
            BulkSettings.from(config),
            BulkTransport.of(clients),
            metrics,
            indexes::forget,
            floors,
            "pgsearch-sink-" + connector + "-" + taskId);
    truncates =
        new TruncateSweeps(
            floors,
            floorStore,
            new ScrollScan(clients),
            new WriterSweepWrites(writer),
            config.readTimeoutMs(),
            System::nanoTime);
    rebuilds =
        new Rebuilds(
            new ServerGenerations(clients, indexes),
            Rebuilds.fingerprint(config.indexDefinition(), config.mappingMode().toString()),
            config.rebuildKeepsPrevious(),
            indexes::forget,
            System::nanoTime);
    rebuildEnds = new RebuildEnds(rebuilds, writer::doneBefore, System::nanoTime);
    mapper = new RecordMapper(config);
    malformed = new MalformedRecords(errantRecordReporter(), config.behaviorOnMalformedDocuments());
    backpressure =
        new Backpressure(
            context,
            new WriterBuffer(writer),
            new BufferLimit(config.maxBufferedRecords(), config.maxBufferedBytes()),
            metrics::paused);
  }

  /**
   * Names the server in the log, and fails the task with a clear error when it is not one the sink
   * supports. A server that cannot be reached now is not an error: writes wait for it as for any
   * outage.
   */
  private static void checkServer(SearchClient client) {
    SearchServer server;
    try {
      server = SearchServer.detect(client.rest());
    } catch (IOException | RuntimeException e) {
      log.warn(
          "Could not tell which search server runs at the configured URLs yet: {}", e.toString());
      return;
    }
    server
        .unsupportedReason()
        .ifPresent(
            reason -> {
              client.close();
              throw new ConnectException(reason);
            });
    log.info("Writing to {}", server);
  }

  private ErrantRecordReporter errantRecordReporter() {
    try {
      return context.errantRecordReporter();
    } catch (NoSuchMethodError | NoClassDefFoundError e) {
      return null; // a Connect runtime older than 2.6
    }
  }

  @Override
  public void put(Collection<SinkRecord> records) {
    writer.throwIfFailed();
    reportFailures();
    List<Mapped> batch = map(records);
    for (Mapped mapped : batch) {
      RecordPosition position = mapped.position();
      if (mapped.rebuildEnd() != null) {
        OffsetTracker.Entry held = writer.hold(position);
        RebuildEnd end = mapped.rebuildEnd();
        rebuildEnds.start(
            new RebuildEnds.End(
                end.index(),
                end.id(),
                end.partitions(),
                mapper.sourceTable(mapped.record()),
                position,
                () -> writer.release(held)));
      } else if (mapped.truncateIndex() != null) {
        truncate(mapped.truncateIndex(), mapped);
        if (mapped.alsoTo() != null) {
          truncate(mapped.alsoTo(), mapped);
        }
      } else if (mapped.operation() != null) {
        writer.add(mapped.operation());
        if (mapped.alsoTo() != null) {
          writer.add(mapped.operation().inIndex(mapped.alsoTo()));
        }
      } else {
        if (mapped.error() != null) {
          malformed.handle(
              mapped.record(), position, "document_error", mapped.error().getMessage());
          metrics.failed(1);
        }
        writer.skip(position);
      }
    }
    boolean truncating = truncates.advance();
    boolean ending = rebuildEnds.advance();
    backpressure.afterPut();
    if ((truncating || ending) && !backpressure.paused()) {
      // the next step of a truncate or a rebuild's end may be due before a record
      context.timeout(Backpressure.POLL_AGAIN_MS);
    }
    metrics.maybeLogSummary(config.logSummaryIntervalMs());
  }

  private void truncate(String index, Mapped mapped) {
    OffsetTracker.Entry held = writer.hold(mapped.position());
    truncates.start(
        index,
        mapped.truncateVersion(),
        mapped.record(),
        mapped.position(),
        () -> writer.release(held));
  }

  /**
   * Maps every record before queuing any, so a {@code RetriableException} from index creation
   * leaves nothing half-queued when Connect delivers the batch again.
   */
  private List<Mapped> map(Collection<SinkRecord> records) {
    List<Mapped> batch = new ArrayList<>(records.size());
    for (SinkRecord record : records) {
      RecordPosition position = RecordPosition.of(record);
      try {
        batch.add(map(record, position));
      } catch (DocumentException e) {
        batch.add(new Mapped(record, position, null, e, null, 0, null, null));
      }
    }
    return batch;
  }

  private Mapped map(SinkRecord record, RecordPosition position) {
    if (mapper.isRebuildEnd(record)) {
      RebuildEnd end =
          new RebuildEnd(
              mapper.index(record), mapper.rebuildId(record), mapper.rebuildPartitions(record));
      // Known (or created) now: the records after the end, mapped next, go to it too.
      alsoTo(record, end.index());
      return new Mapped(record, position, null, null, null, 0, null, end);
    }
    if (mapper.isTruncate(record)) {
      long version = mapper.truncateVersion(record);
      String index = mapper.index(record);
      return new Mapped(record, position, null, null, index, version, alsoTo(record, index), null);
    }
    SinkOperation operation = mapper.map(record, position);
    String alsoTo = null;
    if (operation != null) {
      String index = operation.key().index();
      String source = mapper.sourceTable(record);
      indexes.ensure(index, record.valueSchema(), source);
      alsoTo = alsoTo(record, index);
      if (alsoTo != null) {
        indexes.ensure(alsoTo, record.valueSchema(), source);
      }
    }
    return new Mapped(record, position, operation, null, null, 0, alsoTo, null);
  }

  /**
   * The generation being rebuilt that a record of {@code index} goes to as well (created for the
   * record of a rebuild that has none yet), or null. Throws {@link RetriableException} when the
   * server cannot tell now.
   */
  private String alsoTo(SinkRecord record, String index) {
    String id = mapper.rebuildId(record);
    try {
      return id != null
          ? rebuilds.target(index, id, record.valueSchema(), mapper.sourceTable(record))
          : rebuilds.building(index);
    } catch (IOException e) {
      throw new RetriableException(
          "Could not read or create the generations of index " + index + " for a rebuild", e);
    } catch (SearchServerException e) {
      if (e.isTransient()) {
        throw new RetriableException(
            "Could not read or create the generations of index " + index + " for a rebuild", e);
      }
      throw new ConnectException(
          "The server refused a step of the rebuild of index "
              + index
              + " ("
              + e.getMessage()
              + "): for a refused definition, correct "
              + IndexConfigs.DEFINITION
              + " / "
              + IndexConfigs.DEFINITION_FILE
              + " and restart the task; the rebuild goes on from where it stopped",
          e);
    }
  }

  /**
   * A record's write, or its error, or the index its truncate empties; the generation being rebuilt
   * it also goes to; or the rebuild it ends.
   */
  private record Mapped(
      SinkRecord record,
      RecordPosition position,
      SinkOperation operation,
      DocumentException error,
      String truncateIndex,
      long truncateVersion,
      String alsoTo,
      RebuildEnd rebuildEnd) {}

  /** The end of a rebuild of an index, in one of the partitions it went to. */
  private record RebuildEnd(String index, String id, int partitions) {}

  /** A truncate's deletes go through the writer like any write, for the truncate's record. */
  private record WriterSweepWrites(BulkWriter writer) implements SweepWrites {
    @Override
    public BooleanSupplier delete(
        String index, String id, long version, SinkRecord truncate, RecordPosition position) {
      SinkOperation delete =
          SinkOperation.derivedDelete(new DocKey(index, id), version, truncate, position);
      return writer.addDerived(delete)::isDone;
    }
  }

  /** The writer as {@link Backpressure} sees it. */
  private record WriterBuffer(BulkWriter writer) implements Backpressure.Buffer {
    @Override
    public int bufferedRecords() {
      return writer.bufferedRecords();
    }

    @Override
    public long bufferedBytes() {
      return writer.bufferedBytes();
    }

    @Override
    public boolean awaitBuffered(BufferLimit limit, long timeoutMs) throws InterruptedException {
      return writer.awaitBuffered(limit, timeoutMs);
    }
  }

  private void reportFailures() {
    for (FailedOperation failure : writer.drainFailures()) {
      SinkOperation operation = failure.operation();
      String reason = failure.reason();
      if (operation.record() != null
          && !mapper.isTruncate(operation.record())
          && !operation.key().index().equals(mapper.index(operation.record()))) {
        reason = "index " + operation.key().index() + " (being rebuilt): " + reason;
      }
      malformed.handle(operation.record(), operation.position(), failure.errorType(), reason);
      writer.reported(failure);
    }
  }

  @Override
  public Map<TopicPartition, OffsetAndMetadata> preCommit(
      Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
    writer.throwIfFailed();
    reportFailures();
    return writer.committable(currentOffsets);
  }

  /** While the task is paused for backpressure, partitions it is newly given are paused too. */
  @Override
  public void open(Collection<TopicPartition> partitions) {
    boolean paused = backpressure != null && backpressure.paused();
    log.info("Opened partitions {}{}", partitions, paused ? " (paused: the buffer is full)" : "");
    if (backpressure != null) {
      backpressure.opened(partitions);
    }
  }

  @Override
  public void close(Collection<TopicPartition> partitions) {
    log.info("Closed partitions {}", partitions);
    if (writer != null) {
      writer.forget(partitions);
      truncates.forget(partitions);
      rebuildEnds.forget(partitions);
    }
    // The pause state stays: the partitions still assigned remain paused until the buffer drains.
  }

  @Override
  public void stop() {
    if (truncates != null) {
      truncates.close();
    }
    if (writer != null) {
      writer.close();
    }
    if (clients != null) {
      clients.close();
    }
    if (metrics != null) {
      metrics.close();
    }
    if (mapper != null) {
      mapper.close();
    }
  }
}

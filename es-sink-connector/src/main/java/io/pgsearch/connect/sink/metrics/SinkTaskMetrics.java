package io.pgsearch.connect.sink.metrics;

import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counters of one sink task, registered as the MBean {@code
 * io.pgsearch.connect:type=sink-task-metrics,connector=<name>,task=<id>}, and the periodic INFO
 * summary. Counts only: no record contents.
 */
public final class SinkTaskMetrics implements SinkTaskMetricsMBean, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SinkTaskMetrics.class);

  private final AtomicLong indexed = new AtomicLong();
  private final AtomicLong deleted = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  private final AtomicLong versionConflicts = new AtomicLong();
  private final AtomicLong bulkRequests = new AtomicLong();
  private final AtomicLong bulkLatencyTotalMs = new AtomicLong();
  private final AtomicLong bulkLatencyMaxMs = new AtomicLong();
  private final AtomicLong pauses = new AtomicLong();
  private final AtomicLong changesTimed = new AtomicLong();
  private final AtomicLong changeLatencyTotalMs = new AtomicLong();
  private volatile long changeLatencyLastMs;
  private final LatencyHistogram changeLatencies = new LatencyHistogram();
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile IntSupplier buffered = () -> 0;
  private volatile LongSupplier bufferedBytes = () -> 0;
  private volatile LongSupplier oldestBufferedAgeMs = () -> 0;
  private final ObjectName name;
  private final String label;
  private long lastSummaryNanos = System.nanoTime();
  private long[] lastSummary = new long[4];

  public SinkTaskMetrics(String connector, String task) {
    this.label = connector + "-" + task;
    this.name = register(this, connector, task);
  }

  /** The name of a task's MBean. */
  public static ObjectName objectName(String connector, String task)
      throws MalformedObjectNameException {
    return new ObjectName(
        "io.pgsearch.connect:type=sink-task-metrics,connector="
            + ObjectName.quote(connector)
            + ",task="
            + ObjectName.quote(task));
  }

  private static ObjectName register(SinkTaskMetrics metrics, String connector, String task) {
    try {
      ObjectName name = objectName(connector, task);
      MBeanServer server = ManagementFactory.getPlatformMBeanServer();
      if (server.isRegistered(name)) {
        server.unregisterMBean(name);
      }
      server.registerMBean(metrics, name);
      return name;
    } catch (JMException e) {
      log.warn("Sink task metrics are not available over JMX: {}", e.toString());
      return null;
    }
  }

  public void bufferedRecords(IntSupplier supplier) {
    this.buffered = supplier;
  }

  public void bufferedBytes(LongSupplier supplier) {
    this.bufferedBytes = supplier;
  }

  public void oldestBufferedAge(LongSupplier ageMs) {
    this.oldestBufferedAgeMs = ageMs;
  }

  /**
   * A streamed row change committed at {@code commitMs} was indexed (its bulk acknowledged) at
   * {@code nowMs} (both epoch ms: PostgreSQL's clock and the worker's, so a skew between them shows
   * here; a negative difference counts as 0).
   */
  public void changeApplied(long commitMs, long nowMs) {
    long latency = Math.max(0, nowMs - commitMs);
    changeLatencyLastMs = latency;
    changeLatencyTotalMs.addAndGet(latency);
    changeLatencies.record(latency);
    changesTimed.incrementAndGet();
  }

  public void indexed(int count) {
    indexed.addAndGet(count);
  }

  public void deleted(int count) {
    deleted.addAndGet(count);
  }

  public void failed(int count) {
    failed.addAndGet(count);
  }

  public void retried(int count) {
    retries.addAndGet(count);
  }

  public void versionConflict(int count) {
    versionConflicts.addAndGet(count);
  }

  /** The task paused its partitions because its buffer was full. */
  public void paused() {
    pauses.incrementAndGet();
  }

  public void bulkStarted() {
    inFlight.incrementAndGet();
  }

  public void bulkFinished(long latencyMs) {
    inFlight.decrementAndGet();
    bulkRequests.incrementAndGet();
    bulkLatencyTotalMs.addAndGet(latencyMs);
    bulkLatencyMaxMs.accumulateAndGet(latencyMs, Math::max);
  }

  /** Logs "indexed N, deleted M, failed K, retried R in T s" when the interval has passed. */
  public synchronized void maybeLogSummary(long intervalMs) {
    long now = System.nanoTime();
    long elapsedMs = (now - lastSummaryNanos) / 1_000_000;
    if (intervalMs <= 0 || elapsedMs < intervalMs) {
      return;
    }
    long[] current = {indexed.get(), deleted.get(), failed.get(), retries.get()};
    log.info(
        "Sink task {}: indexed {}, deleted {}, failed {}, retried {} in {} s ({} version conflicts,"
            + " {} buffered)",
        label,
        current[0] - lastSummary[0],
        current[1] - lastSummary[1],
        current[2] - lastSummary[2],
        current[3] - lastSummary[3],
        elapsedMs / 1000,
        versionConflicts.get(),
        buffered.getAsInt());
    lastSummary = current;
    lastSummaryNanos = now;
  }

  @Override
  public long getDocumentsIndexed() {
    return indexed.get();
  }

  @Override
  public long getDocumentsDeleted() {
    return deleted.get();
  }

  @Override
  public long getDocumentsFailed() {
    return failed.get();
  }

  @Override
  public long getRetries() {
    return retries.get();
  }

  @Override
  public long getVersionConflicts() {
    return versionConflicts.get();
  }

  @Override
  public long getBulkRequests() {
    return bulkRequests.get();
  }

  @Override
  public double getBulkLatencyAvgMs() {
    long requests = bulkRequests.get();
    return requests == 0 ? 0 : (double) bulkLatencyTotalMs.get() / requests;
  }

  @Override
  public long getBulkLatencyTotalMs() {
    return bulkLatencyTotalMs.get();
  }

  @Override
  public long getChangesTimed() {
    return changesTimed.get();
  }

  @Override
  public long getChangeLatencyTotalMs() {
    return changeLatencyTotalMs.get();
  }

  @Override
  public long[] getChangeLatencyBucketBoundsMs() {
    return LatencyHistogram.BOUNDS_MS.clone();
  }

  @Override
  public long[] getChangeLatencyBucketCounts() {
    return changeLatencies.counts();
  }

  @Override
  public long getChangeLatencyLastMs() {
    return changeLatencyLastMs;
  }

  @Override
  public long getOldestBufferedRecordAgeMs() {
    return oldestBufferedAgeMs.getAsLong();
  }

  @Override
  public long getBulkLatencyMaxMs() {
    return bulkLatencyMaxMs.get();
  }

  @Override
  public int getInFlightRequests() {
    return inFlight.get();
  }

  @Override
  public long getPauses() {
    return pauses.get();
  }

  @Override
  public int getBufferedRecords() {
    return buffered.getAsInt();
  }

  @Override
  public long getBufferedBytes() {
    return bufferedBytes.getAsLong();
  }

  @Override
  public void close() {
    if (name != null) {
      try {
        ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
      } catch (JMException e) {
        log.debug("Metrics MBean {} was already gone", name);
      }
    }
  }
}

package io.pgsearch.connect.sink.bulk;

import io.pgsearch.connect.sink.metrics.SinkTaskMetrics;
import io.pgsearch.connect.sink.transport.BulkItem;
import io.pgsearch.connect.sink.transport.SearchServerException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends operations to Elasticsearch in asynchronous bulk requests, bounded by count, bytes and
 * requests in flight, and keeps the promises the sink makes:
 *
 * <ul>
 *   <li>Order per document: two operations on the same document are never in flight together, and a
 *       queued full write (index or delete) replaces an older queued one of the same document.
 *   <li>No loss: an item rejected for a transient reason (429, 503, circuit breaker, outage) or a
 *       failed request is retried alone after a capped, jittered backoff, by default forever.
 *   <li>Safe commits: {@link #committable} only passes records that are applied or reported.
 *   <li>Nothing late from a revoked partition: a write whose partition was revoked while it was in
 *       flight is neither retried nor reported when it fails (see {@link #forget}).
 *   <li>Nothing older than a truncate: a versioned write below its index's {@link IndexFloors
 *       floor} is completed as superseded instead of being sent, and no write goes to an index
 *       whose floor is not freshly known.
 * </ul>
 *
 * <p>A single dispatcher thread builds and sends requests; responses arrive on the client's
 * threads. All state is guarded by this object's monitor. Rejected operations wait in {@link
 * #drainFailures()} to be reported on the task's thread.
 */
public final class BulkWriter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BulkWriter.class);
  private static final long TICK_MS = 5;
  private static final long FLOORS_TICK_MS = 100;

  private final BulkSettings settings;
  private final BulkTransport transport;
  private final SinkTaskMetrics metrics;
  private final Consumer<String> indexMissing;
  private final IndexFloors floors;
  private final ScheduledExecutorService dispatcher;

  private final LinkedHashMap<DocKey, ArrayDeque<SinkOperation>> queued = new LinkedHashMap<>();
  private final Set<DocKey> inFlightKeys = new HashSet<>();
  private final OffsetTracker offsets = new OffsetTracker();
  private final List<FailedOperation> failures = new ArrayList<>();
  private final RequestFailureLog requestFailures = new RequestFailureLog(30_000);
  private final RequestFailureLog refusals = RequestFailureLog.refusals(30_000);
  private int inFlightRequests;
  private long queuedSizeBytes; // of every queued operation, each counted by its sizeBytes()
  private int queuedAlone; // queued operations that go in a request of their own
  private int bufferedRecords;
  private int revokedLetGo; // records of failed writes let go since the last response's log line
  private long bufferedBytes;
  private long oldestQueuedNanos = Long.MAX_VALUE;
  private boolean flushRequested;
  private ConnectException fatal;
  private boolean closed;

  /**
   * @param indexMissing told the name of an index that disappeared, so it is created again before
   *     the operation is retried
   */
  public BulkWriter(
      BulkSettings settings,
      BulkTransport transport,
      SinkTaskMetrics metrics,
      Consumer<String> indexMissing,
      String threadName) {
    this(settings, transport, metrics, indexMissing, IndexFloors.NONE, threadName);
  }

  /**
   * @param indexMissing told the name of an index that disappeared, so it is created again before
   *     the operation is retried
   * @param floors the truncates each index went through
   */
  public BulkWriter(
      BulkSettings settings,
      BulkTransport transport,
      SinkTaskMetrics metrics,
      Consumer<String> indexMissing,
      IndexFloors floors,
      String threadName) {
    this.settings = settings;
    this.transport = transport;
    this.metrics = metrics;
    this.indexMissing = indexMissing;
    this.floors = floors;
    this.dispatcher =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, threadName);
              thread.setDaemon(true);
              return thread;
            });
    dispatcher.scheduleWithFixedDelay(
        this::dispatchSafely, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    // Reading floors blocks on a request: only ever on this thread, never on the HTTP client's
    // I/O threads, where responses (and their dispatch) run and a blocking call would deadlock.
    dispatcher.scheduleWithFixedDelay(
        this::refreshFloorsSafely, 0, FLOORS_TICK_MS, TimeUnit.MILLISECONDS);
    metrics.bufferedRecords(this::bufferedRecords);
    metrics.bufferedBytes(this::bufferedBytes);
    metrics.oldestBufferedAge(this::oldestBufferedAgeMs);
  }

  /** Queues an operation for its record. */
  public synchronized void add(SinkOperation operation) {
    operation.tracked(offsets.track(operation.position()));
    enqueue(operation);
  }

  /**
   * Queues an operation that no record of its own stands for (a delete made by a truncate): it
   * counts as buffered, is retried and reported like any other, and the returned entry tells when
   * it is done. Its position is that of the record it is made for.
   */
  public synchronized OffsetTracker.Entry addDerived(SinkOperation operation) {
    OffsetTracker.Entry entry = new OffsetTracker.Entry(operation.position().offset());
    operation.tracked(entry);
    enqueue(operation);
    return entry;
  }

  /**
   * Tracks a record whose work is done elsewhere (a truncate): commits stop before it until {@link
   * #release} is called with the returned entry.
   */
  public synchronized OffsetTracker.Entry hold(RecordPosition position) {
    return offsets.track(position);
  }

  /** Whether every record of the partition before this position is applied or reported. */
  public synchronized boolean doneBefore(RecordPosition position) {
    return offsets.doneBefore(position);
  }

  /** Completes a record held by {@link #hold}. */
  public synchronized void release(OffsetTracker.Entry entry) {
    entry.markDone();
  }

  private void enqueue(SinkOperation operation) {
    floors.watch(operation.key().index());
    bufferedRecords++;
    bufferedBytes += operation.heldBytes();
    ArrayDeque<SinkOperation> forKey =
        queued.computeIfAbsent(operation.key(), k -> new ArrayDeque<>());
    SinkOperation last = forKey.peekLast();
    if (mergeable(last, operation)) {
      countOut(forKey.pollLast());
      forKey.addLast(countIn(merged(last, operation)));
    } else {
      forKey.addLast(countIn(operation));
    }
    markQueued();
  }

  /**
   * Of two queued full writes of one document only the one that decides the document is sent: no
   * partial update or delete lies between them.
   */
  private static boolean mergeable(SinkOperation earlier, SinkOperation later) {
    return earlier != null && later != null && earlier.kind().isFull() && later.kind().isFull();
  }

  /**
   * The one of two full writes to send, completing both records: the later one unless the earlier
   * has a newer version (a replay queued behind newer data never replaces it). The other one, and
   * the bytes it held, are let go.
   */
  private SinkOperation merged(SinkOperation earlier, SinkOperation later) {
    SinkOperation kept = later.supersedes(earlier) ? later : earlier;
    SinkOperation dropped = kept == later ? earlier : later;
    kept.absorb(dropped);
    bufferedBytes -= dropped.heldBytes();
    return kept;
  }

  /** Counts an operation going into {@link #queued}; returns it. */
  private SinkOperation countIn(SinkOperation operation) {
    queuedSizeBytes += operation.sizeBytes();
    if (operation.alone()) {
      queuedAlone++;
    }
    return operation;
  }

  /** Counts an operation leaving {@link #queued}. */
  private void countOut(SinkOperation operation) {
    queuedSizeBytes -= operation.sizeBytes();
    if (operation.alone()) {
      queuedAlone--;
    }
  }

  private void markQueued() {
    if (oldestQueuedNanos == Long.MAX_VALUE) {
      oldestQueuedNanos = System.nanoTime();
    }
  }

  /** Marks a record done that needs no write (an ignored tombstone, a reported bad record). */
  public synchronized void skip(RecordPosition position) {
    offsets.track(position).markDone();
  }

  /** Offsets safe to commit, given Connect's consumed position of each partition. */
  public synchronized Map<TopicPartition, OffsetAndMetadata> committable(
      Map<TopicPartition, OffsetAndMetadata> consumed) {
    return offsets.committable(consumed);
  }

  /** Operations Elasticsearch rejected for good, to report; they are removed from the writer. */
  public synchronized List<FailedOperation> drainFailures() {
    List<FailedOperation> drained = new ArrayList<>(failures);
    failures.clear();
    return drained;
  }

  /** Completes a rejected operation once it has been reported (or deliberately skipped). */
  public synchronized void reported(FailedOperation failure) {
    complete(failure.operation());
    notifyAll();
  }

  /** Rethrows a failure from the writer's threads (retries exhausted), on the task's thread. */
  public synchronized void throwIfFailed() {
    if (fatal != null) {
      throw fatal;
    }
  }

  public synchronized int bufferedRecords() {
    return bufferedRecords;
  }

  /** The bytes the buffered records keep on the heap ({@link SinkOperation#heldBytes}). */
  public synchronized long bufferedBytes() {
    return bufferedBytes;
  }

  /**
   * How long ago the oldest record not yet applied or reported was received, in milliseconds; 0
   * when there is none. It grows while Elasticsearch refuses or holds back writes.
   */
  synchronized long oldestBufferedAgeMs() {
    long oldest = offsets.oldestPendingNanos();
    return oldest == Long.MAX_VALUE
        ? 0
        : TimeUnit.NANOSECONDS.toMillis(Math.max(0, System.nanoTime() - oldest));
  }

  /** Waits until the buffer is within {@code limit}; false if it timed out. */
  public synchronized boolean awaitBuffered(BufferLimit limit, long timeoutMs)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    flushRequested = true;
    while (!limit.holds(bufferedRecords, bufferedBytes) && fatal == null && failures.isEmpty()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return limit.holds(bufferedRecords, bufferedBytes);
  }

  /**
   * Forgets partitions that were revoked: their queued operations are dropped (the next owner
   * consumes them again from the last commit), and in-flight ones are let go if they fail ({@link
   * #letGoIfRevoked}).
   */
  public synchronized void forget(Collection<TopicPartition> partitions) {
    Set<TopicPartition> revoked = new HashSet<>(partitions);
    Iterator<Map.Entry<DocKey, ArrayDeque<SinkOperation>>> keys = queued.entrySet().iterator();
    while (keys.hasNext()) {
      ArrayDeque<SinkOperation> forKey = keys.next().getValue();
      forKey.removeIf(
          operation -> {
            boolean drop = revoked.contains(operation.position().partition());
            if (drop) {
              countOut(operation);
              bufferedRecords -= operation.recordCount();
              bufferedBytes -= operation.heldBytes();
            }
            return drop;
          });
      if (forKey.isEmpty()) {
        keys.remove();
      }
    }
    failures.removeIf(
        failure -> {
          boolean drop = revoked.contains(failure.operation().position().partition());
          if (drop) {
            bufferedRecords -= failure.operation().recordCount();
            bufferedBytes -= failure.operation().heldBytes();
          }
          return drop;
        });
    partitions.forEach(offsets::remove);
  }

  private void dispatchSafely() {
    try {
      dispatch();
    } catch (RuntimeException e) {
      synchronized (this) {
        fatal = new ConnectException("The bulk dispatcher failed unexpectedly", e);
      }
      log.error("The bulk dispatcher failed unexpectedly", e);
    }
  }

  private void refreshFloorsSafely() {
    try {
      floors.refreshStale();
    } catch (RuntimeException e) {
      log.debug("Reading the truncate floors failed", e);
    }
  }

  /** Sends every batch that is ready, while requests may be added. */
  void dispatch() {
    while (true) {
      List<SinkOperation> batch;
      synchronized (this) {
        if (closed || inFlightRequests >= settings.maxInFlightRequests()) {
          return;
        }
        batch = takeBatch(System.nanoTime());
        if (batch.isEmpty()) {
          return;
        }
        inFlightRequests++;
        batch.forEach(operation -> inFlightKeys.add(operation.key()));
      }
      send(batch);
    }
  }

  /** The next batch, or nothing while a partial batch may still wait for more (linger). */
  private List<SinkOperation> takeBatch(long now) {
    if (!mayFillABatch() && !partialMayGo(now)) {
      // Nothing could go, and the dispatcher ticks every few milliseconds while requests are in
      // flight: scanning the whole queue each time for nothing was 3 % of the worker's CPU in a
      // snapshot. Writes a truncate made obsolete are completed by the next scan instead.
      return List.of();
    }
    List<SinkOperation> batch = new ArrayList<>();
    List<SinkOperation> obsolete = new ArrayList<>();
    long bytes = 0;
    for (Map.Entry<DocKey, ArrayDeque<SinkOperation>> entry : queued.entrySet()) {
      SinkOperation head = entry.getValue().peekFirst();
      if (inFlightKeys.contains(entry.getKey())
          || !head.isReady(now)
          || !floors.isFresh(entry.getKey().index())) {
        continue;
      }
      if (head.version() != null && head.version() < floors.floor(entry.getKey().index())) {
        obsolete.add(head);
        continue;
      }
      if (head.alone() && !batch.isEmpty()) {
        continue; // it goes in a request of its own
      }
      if (!batch.isEmpty() && bytes + head.sizeBytes() > settings.bulkSizeBytes()) {
        break;
      }
      batch.add(head);
      bytes += head.sizeBytes();
      if (batch.size() >= settings.batchSize() || head.alone()) {
        break;
      }
    }
    boolean full =
        batch.size() >= settings.batchSize()
            || bytes >= settings.bulkSizeBytes()
            || (batch.size() == 1 && batch.get(0).alone());
    obsolete.forEach(this::completeObsolete);
    if (batch.isEmpty() || !(full || partialMayGo(now))) {
      return List.of();
    }
    for (SinkOperation operation : batch) {
      ArrayDeque<SinkOperation> forKey = queued.get(operation.key());
      countOut(forKey.pollFirst());
      if (forKey.isEmpty()) {
        queued.remove(operation.key());
      }
    }
    oldestQueuedNanos = queued.isEmpty() ? Long.MAX_VALUE : now;
    flushRequested = !queued.isEmpty() && flushRequested;
    return batch;
  }

  /**
   * Whether the queue could fill a batch: a batch takes at most one operation per document, and is
   * full at {@code batch.size} operations, at {@code bulk.size.bytes}, or with one operation that
   * goes alone.
   */
  private boolean mayFillABatch() {
    return queued.size() >= settings.batchSize()
        || queuedSizeBytes >= settings.bulkSizeBytes()
        || queuedAlone > 0;
  }

  /**
   * Whether a batch that is not full goes now: only while no request is in flight, once it has
   * lingered or a flush is asked for. While one is in flight, its response comes before the server
   * could take another request's documents anyway, and meanwhile the batch fills: under load bulks
   * are full (the server's cost per document falls with their size), and a lone change still goes
   * at once.
   */
  private boolean partialMayGo(long now) {
    boolean lingered =
        now - oldestQueuedNanos >= TimeUnit.MILLISECONDS.toNanos(settings.lingerMs());
    return inFlightRequests == 0 && (lingered || flushRequested);
  }

  private void send(List<SinkOperation> batch) {
    long started = System.nanoTime();
    metrics.bulkStarted();
    try {
      transport
          .send(batch)
          .whenComplete(
              (items, error) -> {
                metrics.bulkFinished(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
                onResponse(batch, items, error);
                dispatchSafely();
              });
    } catch (RuntimeException e) {
      metrics.bulkFinished(0);
      onResponse(batch, null, e);
    }
  }

  private synchronized void onResponse(
      List<SinkOperation> batch, List<BulkItem> items, Throwable error) {
    inFlightRequests--;
    batch.forEach(operation -> inFlightKeys.remove(operation.key()));
    if (error != null && httpStatus(error) == 413) {
      onTooLarge(batch);
    } else if (error != null || items == null || items.size() != batch.size()) {
      requestFailures.failed(
          batch.size(),
          error == null ? "unexpected response" : error.toString(),
          System.nanoTime());
      batch.forEach(this::retry);
    } else {
      for (int i = 0; i < batch.size(); i++) {
        onItem(batch.get(i), items.get(i));
      }
    }
    if (revokedLetGo > 0) {
      log.info(
          "{} records of partitions revoked from this task were in a write that failed: not"
              + " retried here, their partitions' new owner writes them again",
          revokedLetGo);
      revokedLetGo = 0;
    }
    notifyAll();
  }

  private void onItem(SinkOperation operation, BulkItem item) {
    String errorType = item.errorType();
    ItemOutcome outcome =
        ItemOutcome.classify(
            item.status(), errorType, operation.kind() == SinkOperation.Kind.DELETE);
    if (outcome != ItemOutcome.APPLIED
        && outcome != ItemOutcome.VERSION_CONFLICT
        && letGoIfRevoked(operation)) {
      return;
    }
    switch (outcome) {
      case APPLIED -> {
        if (operation.kind() == SinkOperation.Kind.DELETE) {
          metrics.deleted(operation.recordCount());
        } else {
          metrics.indexed(operation.recordCount());
        }
        if (operation.changeCommitMs() != null) {
          metrics.changeApplied(operation.changeCommitMs(), System.currentTimeMillis());
        }
        complete(operation);
      }
      case VERSION_CONFLICT -> {
        metrics.versionConflict(operation.recordCount());
        complete(operation);
      }
      case MISSING_DOCUMENT -> {
        metrics.failed(1);
        failures.add(new FailedOperation(operation, errorType, MISSING_DOCUMENT_REASON));
      }
      case REFUSED -> {
        refusals.failed(
            1,
            operation.key().index() + ": " + errorType + ": " + safeReason(item),
            System.nanoTime());
        retry(operation);
      }
      case INDEX_MISSING -> {
        indexMissing.accept(operation.key().index());
        retry(operation);
      }
      case TRANSIENT -> retry(operation);
      case PERMANENT -> {
        metrics.failed(1);
        failures.add(new FailedOperation(operation, errorType, safeReason(item)));
      }
    }
  }

  /**
   * Elasticsearch refused the whole request as larger than its {@code http.max_content_length}:
   * retrying it as it is would block every document in it forever. Several operations are sent
   * again one per request; a single one can never be taken, so it is reported like a rejected item.
   */
  private void onTooLarge(List<SinkOperation> batch) {
    if (batch.size() == 1) {
      SinkOperation operation = batch.get(0);
      if (letGoIfRevoked(operation)) {
        return;
      }
      metrics.failed(1);
      failures.add(
          new FailedOperation(
              operation,
              "request_too_large",
              "The search server refused the bulk request of this one document ("
                  + operation.sizeBytes()
                  + " bytes) as too large (HTTP 413): raise http.max_content_length or make the"
                  + " document smaller"));
      return;
    }
    log.warn(
        "A bulk request of {} operations was too large for the search server (HTTP 413); each is"
            + " sent again in a request of its own",
        batch.size());
    batch.forEach(
        operation -> {
          if (!letGoIfRevoked(operation)) {
            operation.sendAlone();
            requeue(operation);
          }
        });
  }

  /** The HTTP status of a failed request, or 0 when the failure has none (an outage). */
  static int httpStatus(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof SearchServerException server) {
        return server.status();
      }
    }
    return 0;
  }

  private void retry(SinkOperation operation) {
    if (letGoIfRevoked(operation)) {
      return;
    }
    int attempt = operation.attempts() + 1;
    if (settings.maxRetries() >= 0 && attempt > settings.maxRetries()) {
      fatal =
          new ConnectException(
              "The search server did not accept the write of record "
                  + operation.position()
                  + " after "
                  + settings.maxRetries()
                  + " retries (max.retries); the task stops so that nothing is lost");
      return;
    }
    metrics.retried(1);
    operation.retryAfter(
        System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.backoff().delayMs(attempt)));
    requeue(operation);
  }

  /** Puts an operation back at the head of its document's queue, merged with a later full write. */
  private void requeue(SinkOperation operation) {
    ArrayDeque<SinkOperation> forKey =
        queued.computeIfAbsent(operation.key(), k -> new ArrayDeque<>());
    SinkOperation later = forKey.peekFirst();
    if (mergeable(operation, later)) {
      countOut(forKey.pollFirst());
      forKey.addFirst(countIn(merged(operation, later)));
    } else {
      forKey.addFirst(countIn(operation));
    }
    markQueued();
  }

  /**
   * Lets go of a failed operation whose records were all revoked from the task while it was in
   * flight, instead of retrying or reporting it: the partitions' next owner consumes those records
   * again from the last commit and may have applied newer writes of the document since. Retried
   * here, it could be applied after them; versions do not always stop it: Elasticsearch refuses an
   * older version after a delete only for {@code index.gc_deletes} (60 s) and forgets the deletes
   * when it restarts, so a late write of a deleted row's document brings the document back.
   *
   * @return whether it was let go
   */
  private boolean letGoIfRevoked(SinkOperation operation) {
    if (!operation.revoked()) {
      return false;
    }
    revokedLetGo += operation.recordCount();
    bufferedRecords -= operation.recordCount();
    bufferedBytes -= operation.heldBytes();
    return true;
  }

  /**
   * A write older than a truncate of its table: the index holds something newer (the table's
   * emptiness), so it is skipped like a version conflict.
   */
  private void completeObsolete(SinkOperation operation) {
    ArrayDeque<SinkOperation> forKey = queued.get(operation.key());
    countOut(forKey.pollFirst());
    if (forKey.isEmpty()) {
      queued.remove(operation.key());
    }
    metrics.versionConflict(operation.recordCount());
    complete(operation);
    notifyAll();
  }

  private void complete(SinkOperation operation) {
    operation.markDone();
    bufferedRecords -= operation.recordCount();
    bufferedBytes -= operation.heldBytes();
  }

  static final String MISSING_DOCUMENT_REASON =
      "a partial update (header pgsearch.partial=true: the change event left unchanged TOAST"
          + " columns out) of a document the index does not hold, so the whole row is not known"
          + " here. pg-source-connector reads such columns back from the table; with another"
          + " source, re-sync the row";

  /**
   * Where Elasticsearch starts quoting document values in a reason: a mapping error's preview of
   * the value, and an over-long keyword's first bytes.
   */
  private static final List<String> VALUE_QUOTES =
      List.of("Preview of field's value", "The prefix of the first immense term is");

  /** Stands for the document id in a reason: the id is the row's primary key, a row value. */
  static final String ID_PLACEHOLDER = "<id>";

  /**
   * Elasticsearch's reason without any of the document's values it may quote, nor its id (which
   * Elasticsearch quotes as {@code 'id'} or {@code [id]}); the record itself tells which it is.
   */
  static String safeReason(BulkItem item) {
    if (item.errorReason() == null) {
      return "status " + item.status();
    }
    String reason = item.errorReason();
    for (String quote : VALUE_QUOTES) {
      int at = reason.indexOf(quote);
      if (at >= 0) {
        reason = reason.substring(0, at).strip();
      }
    }
    String id = item.id();
    if (id != null && !id.isEmpty()) {
      reason =
          reason
              .replace("'" + id + "'", "'" + ID_PLACEHOLDER + "'")
              .replace("[" + id + "]", "[" + ID_PLACEHOLDER + "]");
    }
    return reason;
  }

  /** Stops sending; in-flight requests are abandoned (their records are not committed). */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      notifyAll();
    }
    dispatcher.shutdownNow();
  }
}

package io.pgsearch.connect.sink.bulk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.pgsearch.connect.sink.document.DocumentJson;
import io.pgsearch.connect.sink.metrics.SinkTaskMetrics;
import io.pgsearch.connect.sink.transport.BulkItem;
import io.pgsearch.connect.sink.transport.SearchServerException;
import io.pgsearch.connect.transforms.PgsearchHeaders;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The writer's promises, against a fake transport whose answers each test decides. */
class BulkWriterTest {
  static final TopicPartition TP = new TopicPartition("t", 0);
  private long consumed;

  private final List<List<SinkOperation>> sent = new CopyOnWriteArrayList<>();
  private final List<CompletableFuture<List<BulkItem>>> pending = new CopyOnWriteArrayList<>();
  private final SinkTaskMetrics metrics =
      new SinkTaskMetrics("test", String.valueOf(System.nanoTime()));
  private BulkWriter writer;

  @AfterEach
  void close() {
    if (writer != null) {
      writer.close();
    }
    metrics.close();
  }

  private BulkWriter writer(int batchSize, int maxInFlight) {
    return writer(batchSize, maxInFlight, IndexFloors.NONE);
  }

  private BulkWriter writer(int batchSize, int maxInFlight, IndexFloors floors) {
    return writer(
        new BulkSettings(batchSize, 10_000_000, maxInFlight, 0, -1, new Backoff(1, 5)), floors);
  }

  private BulkWriter writer(BulkSettings settings, IndexFloors floors) {
    writer =
        new BulkWriter(
            settings,
            operations -> {
              sent.add(operations);
              CompletableFuture<List<BulkItem>> future = new CompletableFuture<>();
              pending.add(future);
              return future;
            },
            metrics,
            index -> {},
            floors,
            "test-dispatcher");
    return writer;
  }

  /** Floors a test sets by hand; an index is fresh unless the test says otherwise. */
  private static final class Floors implements IndexFloors {
    final Map<String, Long> floors = new java.util.concurrent.ConcurrentHashMap<>();
    final java.util.Set<String> stale = java.util.concurrent.ConcurrentHashMap.newKeySet();
    final java.util.Set<String> watched = java.util.concurrent.ConcurrentHashMap.newKeySet();
    final java.util.Set<String> refreshedOn = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @Override
    public void watch(String index) {
      watched.add(index);
    }

    @Override
    public void refreshStale() {
      refreshedOn.add(Thread.currentThread().getName());
    }

    @Override
    public boolean isFresh(String index) {
      return !stale.contains(index);
    }

    @Override
    public long floor(String index) {
      return floors.getOrDefault(index, 0L);
    }
  }

  @Test
  void streamedChangesAreTimedFromTheirCommitOnceAppliedAndSnapshotRowsAreNot() {
    writer(10, 1);
    long committed = System.currentTimeMillis() - 5_000;
    synchronized (writer) { // one request
      add(change("r", "r", committed), at(0));
      SinkOperation update = change("u", "u", committed).at(at(1));
      writer.add(update);
      writer.add(update.inIndex("next"));
    }
    awaitSent(1);
    assertThat(metrics.getChangesTimed()).as("nothing is timed before it is applied").isZero();
    answer(0, op -> ok());
    await().atMost(Duration.ofSeconds(5)).until(() -> writer.bufferedRecords() == 0);
    assertThat(metrics.getChangesTimed())
        .as("the update, once: not its copy to another index, not the snapshot row")
        .isEqualTo(1);
    assertThat(metrics.getChangeLatencyLastMs()).isGreaterThanOrEqualTo(5_000);
    assertThat(metrics.getChangeLatencyTotalMs()).isEqualTo(metrics.getChangeLatencyLastMs());
  }

  @Test
  void theOldestBufferedRecordAgesUntilItIsApplied() throws Exception {
    writer(10, 1);
    assertThat(metrics.getOldestBufferedRecordAgeMs()).isZero();
    add(index("a"), at(0));
    awaitSent(1);
    long before = metrics.getOldestBufferedRecordAgeMs();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> metrics.getOldestBufferedRecordAgeMs() > before);
    answer(0, op -> ok());
    await().atMost(Duration.ofSeconds(5)).until(() -> metrics.getOldestBufferedRecordAgeMs() == 0);
  }

  @Test
  void aWriteOlderThanItsIndexsTruncateIsCompletedWithoutBeingSent() {
    Floors floors = new Floors();
    floors.floors.put("i", 10L);
    writer(10, 1, floors);
    addInOneRequest(versioned("old", 9), versioned("new", 11), index("unversioned"));

    awaitSent(1);
    assertThat(ids(sent.get(0))).containsExactlyInAnyOrder("new", "unversioned");
    assertThat(floors.watched).containsExactly("i");
    answer(0, op -> ok());
    await().atMost(Duration.ofSeconds(5)).until(() -> writer.bufferedRecords() == 0);
    assertThat(committed()).isEqualTo(Map.of(TP, new OffsetAndMetadata(3)));
    assertThat(metrics.getVersionConflicts()).isEqualTo(1);
  }

  /**
   * Reading floors blocks on a request: on the HTTP client's I/O thread that completes responses
   * (and dispatches the next batch) it would wait for itself for ever.
   */
  @Test
  void floorsAreOnlyReadOnTheWritersOwnThreadNeverWhereResponsesComplete() throws Exception {
    Floors floors = new Floors();
    writer(1, 1, floors);
    for (int i = 0; i < 20; i++) {
      add(versioned("d" + i, 1), at(i));
    }
    for (int i = 0; i < 20; i++) {
      awaitSent(i + 1);
      int request = i;
      Thread io = new Thread(() -> answer(request, op -> ok()), "http-io-thread");
      io.start();
      io.join();
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> writer.bufferedRecords() == 0);
    assertThat(floors.refreshedOn).containsExactly("test-dispatcher");
  }

  @Test
  void nothingIsSentToAnIndexWhoseFloorIsNotFreshlyKnown() throws Exception {
    Floors floors = new Floors();
    floors.stale.add("i");
    writer(10, 1, floors);
    add(versioned("a", 5), at(0));

    Thread.sleep(100); // many dispatcher ticks
    assertThat(sent).isEmpty();
    floors.floors.put("i", 6L); // read at last: the write is older than a truncate
    floors.stale.clear();
    await().atMost(Duration.ofSeconds(5)).until(() -> writer.bufferedRecords() == 0);
    assertThat(sent).isEmpty();
    assertThat(committed()).isEqualTo(Map.of(TP, new OffsetAndMetadata(1)));
  }

  @Test
  void aHeldRecordStopsCommitsUntilReleasedAndDerivedWritesDoNotMoveThem() {
    writer(10, 5);
    add(versioned("a", 1), at(0));
    RecordPosition truncate = at(1);
    OffsetTracker.Entry held = writer.hold(truncate);
    add(versioned("b", 30), at(2));
    OffsetTracker.Entry derived =
        writer.addDerived(
            new SinkOperation(
                SinkOperation.Kind.DELETE, new DocKey("i", "c"), null, 20L, null, truncate));

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> sent.stream().mapToInt(List::size).sum() == 3);
    for (int i = 0; i < sent.size(); i++) {
      answer(i, op -> ok());
    }
    await().atMost(Duration.ofSeconds(5)).until(derived::isDone);
    assertThat(writer.bufferedRecords()).isZero();
    assertThat(committed()).isEqualTo(Map.of(TP, new OffsetAndMetadata(1)));

    writer.release(held);
    assertThat(committed()).isEqualTo(Map.of(TP, new OffsetAndMetadata(3)));
  }

  @Test
  void aRequestCarriesAtMostBatchSizeOperations() {
    writer(3, 1);
    addInOneRequest(index("a"), index("b"), index("c"), index("d"), index("e"));
    awaitSent(1);
    assertThat(ids(sent.get(0))).containsExactly("a", "b", "c");
    answer(0, op -> ok());
    awaitSent(2);
    assertThat(ids(sent.get(1))).containsExactly("d", "e");
  }

  @Test
  void aRequestStaysWithinBulkSizeBytesUnlessOneDocumentIsLarger() {
    // index("a") is 76 bytes by SinkOperation.sizeBytes: two fit in 200, three do not.
    assertThat(index("a").at(new RecordPosition(TP, 0)).sizeBytes()).isEqualTo(76);
    writer(new BulkSettings(100, 200, 1, 0, -1, new Backoff(1, 5)), IndexFloors.NONE);
    Unplaced large =
        position ->
            new SinkOperation(
                SinkOperation.Kind.INDEX,
                new DocKey("i", "large"),
                DocumentJson.toBytes(
                    JsonNodeFactory.instance.objectNode().put("text", "x".repeat(300))),
                null,
                null,
                position);
    addInOneRequest(index("a"), index("b"), index("c"), large, index("d"));
    awaitSent(1);
    assertThat(ids(sent.get(0))).containsExactly("a", "b");
    answer(0, op -> ok());
    awaitSent(2);
    assertThat(ids(sent.get(1))).containsExactly("c");
    answer(1, op -> ok());
    awaitSent(3);
    assertThat(ids(sent.get(2))).as("alone, over the limit").containsExactly("large");
    answer(2, op -> ok());
    awaitSent(4);
    assertThat(ids(sent.get(3))).containsExactly("d");
  }

  @Test
  void noMoreThanMaxInFlightRequestsAreOutstanding() throws Exception {
    writer(1, 2);
    addInOneRequest(index("a"), index("b"), index("c"), index("d"));
    awaitSent(2);
    assertThat(writer.awaitBuffered(new BufferLimit(0, Long.MAX_VALUE), 300)).isFalse();
    assertThat(sent).as("two requests unanswered: the third waits").hasSize(2);
    answer(1, op -> ok());
    awaitSent(3);
    assertThat(writer.awaitBuffered(new BufferLimit(0, Long.MAX_VALUE), 300)).isFalse();
    assertThat(sent).hasSize(3);
  }

  @Test
  void aPartialBatchWaitsForLingerUntilPutAsksForRoom() throws Exception {
    writer(new BulkSettings(3, 10_000_000, 1, 60_000, -1, new Backoff(1, 5)), IndexFloors.NONE);
    add(index("a"), at(0));
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(5))
        .until(() -> sent.isEmpty());
    assertThat(writer.awaitBuffered(new BufferLimit(0, Long.MAX_VALUE), 0))
        .as("asks for a flush, does not wait")
        .isFalse();
    awaitSent(1);
    assertThat(ids(sent.get(0))).containsExactly("a");

    answer(0, op -> ok());
    addInOneRequest(index("b"), index("c"), index("d"));
    awaitSent(2);
    assertThat(ids(sent.get(1))).as("a full batch does not linger").hasSize(3);
  }

  @Test
  void aPartialBatchWaitsWhileARequestIsInFlightAndGoesFullerAfterIt() {
    writer(4, 5);
    add(index("a"), at(0));
    awaitSent(1);
    assertThat(ids(sent.get(0))).as("idle: a lone change goes at once").containsExactly("a");
    add(index("b"), at(1));
    add(index("c"), at(2));
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(5))
        .until(() -> sent.size() == 1);

    answer(0, op -> ok());
    awaitSent(2);
    assertThat(ids(sent.get(1))).as("both, in one request").containsExactly("b", "c");
  }

  @Test
  void fullBatchesGoWhileOthersAreInFlight() {
    writer(2, 5);
    addInOneRequest(index("a"), index("b"), index("c"), index("d"), index("e"));
    awaitSent(2);
    assertThat(ids(sent.get(0))).containsExactly("a", "b");
    assertThat(ids(sent.get(1))).containsExactly("c", "d");
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(5))
        .until(() -> sent.size() == 2);

    answer(0, op -> ok());
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(5))
        .until(() -> sent.size() == 2);
    answer(1, op -> ok());
    awaitSent(3);
    assertThat(ids(sent.get(2)))
        .as("the partial one once nothing is in flight")
        .containsExactly("e");
  }

  @Test
  void aBatchFullByBytesGoesWhileAnotherIsInFlight() {
    // index("a") is 76 bytes: b and c together fill a bulk of 152 bytes.
    writer(new BulkSettings(100, 152, 5, 0, -1, new Backoff(1, 5)), IndexFloors.NONE);
    add(index("a"), at(0));
    awaitSent(1);
    add(index("b"), at(1));
    add(index("c"), at(2));
    awaitSent(2);
    assertThat(ids(sent.get(1))).as("b and c without waiting for a").containsExactly("b", "c");
    assertThat(pending.get(0)).isNotDone();
  }

  @Test
  void operationsSplitByA413GoAloneWhileOthersAreInFlight() {
    writer(2, 5);
    addInOneRequest(index("a"), index("b"), index("c"), index("d"));
    awaitSent(2);
    pending.get(0).completeExceptionally(tooLarge());
    awaitSent(4);
    assertThat(List.of(ids(sent.get(2)), ids(sent.get(3))))
        .as("one request each, c and d still in flight")
        .containsExactlyInAnyOrder(List.of("a"), List.of("b"));
    assertThat(pending.get(1)).isNotDone();

    answer(2, op -> ok());
    answer(3, op -> ok());
    answer(1, op -> ok());
    await().atMost(Duration.ofSeconds(5)).until(() -> writer.bufferedRecords() == 0);
    assertThat(committed()).isEqualTo(Map.of(TP, new OffsetAndMetadata(4)));
  }

  @Test
  void forgottenAndMergedOperationsLeaveTheQueuedBytesRight() {
    // index("a") is 76 bytes: three documents fill a bulk of 228 bytes, two do not.
    TopicPartition revoked = new TopicPartition("t", 1);
    writer(new BulkSettings(100, 228, 5, 0, -1, new Backoff(1, 5)), IndexFloors.NONE);
    add(index("a"), at(0));
    awaitSent(1);
    synchronized (writer) {
      add(index("b"), at(1));
      add(index("x"), new RecordPosition(revoked, 0));
      add(index("y"), new RecordPosition(revoked, 1));
      add(index("b"), at(2)); // replaces the first b: one operation
      writer.forget(List.of(revoked));
    }
    add(index("c"), at(3));
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(5))
        .until(() -> sent.size() == 1);
    add(index("d"), at(4));
    awaitSent(2);
    assertThat(ids(sent.get(1)))
        .as("full at three documents, while a is in flight")
        .containsExactly("b", "c", "d");
    assertThat(pending.get(0)).isNotDone();
  }

  @Test
  void aFlushSendsAPartialBatchOnlyOnceNothingIsInFlight() throws Exception {
    writer(new BulkSettings(3, 10_000_000, 5, 60_000, -1, new Backoff(1, 5)), IndexFloors.NONE);
    addInOneRequest(index("a"), index("b"), index("c"), index("d"));
    awaitSent(1);
    assertThat(writer.awaitBuffered(new BufferLimit(0, Long.MAX_VALUE), 300))
        .as("d waits for the full batch's answer")
        .isFalse();
    assertThat(sent).hasSize(1);

    answer(0, op -> ok());
    awaitSent(2);
    assertThat(ids(sent.get(1))).containsExactly("d");
  }

  @Test
  void forgettingRevokedPartitionsDropsOnlyTheirQueuedRecords() {
    TopicPartition revoked = new TopicPartition("t", 1);
    writer(1, 1);
    add(index("a"), at(0));
    awaitSent(1);
    add(index("b"), new RecordPosition(revoked, 0));
    add(index("c"), at(1));
    writer.forget(List.of(revoked));
    assertThat(writer.bufferedRecords()).as("a in flight, c queued").isEqualTo(2);

    answer(0, op -> ok());
    awaitSent(2);
    assertThat(ids(sent.get(1))).containsExactly("c");
    answer(1, op -> ok());
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> committed().equals(Map.of(TP, new OffsetAndMetadata(2))));
    assertThat(sent).hasSize(2);
    assertThat(writer.bufferedRecords()).isZero();
  }

  @Test
  void twoOperationsOnOneDocumentAreNeverInFlightTogether() {
    writer(1, 5); // batches of one are full, so they may go while another is in flight
    add(index("a"), at(0));
    awaitSent(1);
    add(index("a"), at(1));
    add(index("b"), at(2));
    awaitSent(2);
    assertThat(ids(sent.get(1))).containsExactly("b"); // a waits for its first write

    answer(0, op -> ok());
    awaitSent(3);
    assertThat(ids(sent.get(2))).containsExactly("a");
  }

  @Test
  void aNewerFullWriteReplacesAQueuedOneAndCompletesBoth() {
    writer(10, 1);
    add(index("x"), at(0)); // goes out alone
    awaitSent(1);
    add(index("a"), at(1));
    add(delete("a"), at(2));
    add(index("a"), at(3));
    answer(0, op -> ok());
    awaitSent(2);
    assertThat(sent.get(1)).hasSize(1);
    answer(1, op -> ok());
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> committed().equals(Map.of(TP, new OffsetAndMetadata(4))));
    assertThat(writer.bufferedRecords()).isZero();
  }

  @Test
  void bufferedBytesCountWhatIsHeldOnceAndFallToZeroWhenApplied() throws Exception {
    writer(10, 1);
    SinkOperation x = index("x").at(at(0));
    writer.add(x); // goes out alone
    awaitSent(1);
    assertThat(writer.bufferedBytes()).isEqualTo(x.heldBytes()).isPositive();
    SinkOperation a1 = index("a").at(at(1));
    SinkOperation a2 = versioned("a", 7).at(at(2));
    SinkOperation b = index("b").at(at(3));
    writer.add(a1);
    writer.add(a2);
    writer.add(b);
    assertThat(writer.bufferedBytes())
        .as("a1 was replaced by a2 and let go")
        .isEqualTo(x.heldBytes() + a2.heldBytes() + b.heldBytes());
    assertThat(writer.awaitBuffered(new BufferLimit(100, x.heldBytes()), 0))
        .as("within the records, over the bytes")
        .isFalse();
    answer(0, op -> ok());
    awaitSent(2);
    answer(1, op -> ok());
    await().atMost(Duration.ofSeconds(5)).until(() -> writer.bufferedRecords() == 0);
    assertThat(writer.bufferedBytes()).isZero();
  }

  @Test
  void forgettingRevokedPartitionsLetsGoOfTheirBytes() {
    writer(10, 1);
    add(index("x"), at(0)); // in flight
    awaitSent(1);
    synchronized (writer) { // y stays queued: the dispatcher cannot send it before the revocation
      add(index("y"), at(1));
      writer.forget(List.of(TP));
    }
    answer(0, op -> ok());
    await().atMost(Duration.ofSeconds(5)).until(() -> writer.bufferedRecords() == 0);
    assertThat(writer.bufferedBytes()).isZero();
  }

  @Test
  void recordsATransformDroppedAreCommittedOnceTheRecordsBeforeThemAreApplied() {
    writer(10, 1);
    add(index("a"), at(0));
    awaitSent(1);
    // Connect consumed offset 1 too, a tombstone its transforms dropped before put().
    Map<TopicPartition, OffsetAndMetadata> consumed = Map.of(TP, new OffsetAndMetadata(2));
    assertThat(writer.committable(consumed)).isEqualTo(Map.of(TP, new OffsetAndMetadata(0)));
    answer(0, op -> ok());
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> writer.committable(consumed).equals(Map.of(TP, new OffsetAndMetadata(2))));
  }

  @Test
  void aQueuedWriteWithAnOlderVersionNeverReplacesANewerOne() {
    writer(10, 1);
    add(index("x"), at(0));
    awaitSent(1);
    add(versioned("a", 200), at(1));
    add(versioned("a", 100), at(2)); // replayed: older version, later offset
    answer(0, op -> ok());
    awaitSent(2);
    assertThat(sent.get(1))
        .singleElement()
        .satisfies(op -> assertThat(op.version()).isEqualTo(200L));
    answer(1, op -> ok());
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> committed().equals(Map.of(TP, new OffsetAndMetadata(3))));
  }

  @Test
  void aRejectedItemIsRetriedAloneAndHoldsBackTheCommit() {
    writer(10, 1);
    addInOneRequest(index("a"), index("b"), index("c"));
    awaitSent(1);
    answer(
        0, op -> "b".equals(op.key().id()) ? error(429, "es_rejected_execution_exception") : ok());
    awaitSent(2);
    assertThat(ids(sent.get(1))).containsExactly("b");
    assertThat(committed()).isEqualTo(Map.of(TP, new OffsetAndMetadata(1)));

    answer(1, op -> ok());
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> committed().equals(Map.of(TP, new OffsetAndMetadata(3))));
    assertThat(metrics.getRetries()).isEqualTo(1);
  }

  @Test
  void aFailedRequestIsRetriedWhole() {
    writer(10, 1);
    addInOneRequest(index("a"), index("b"));
    awaitSent(1);
    pending.get(0).completeExceptionally(new java.io.IOException("Connection refused"));
    awaitSent(2);
    assertThat(ids(sent.get(1))).containsExactlyInAnyOrder("a", "b");
    assertThat(committed()).isEqualTo(Map.of(TP, new OffsetAndMetadata(0)));
  }

  /**
   * A request Elasticsearch refuses as too large (HTTP 413, over http.max_content_length) was
   * retried whole, forever: every document in it was stuck. Now they go again one per request, and
   * the one that is too large on its own is reported while the others are written.
   */
  @Test
  void aRequestTooLargeIsSplitAndTheDocumentTooLargeAloneIsReported() {
    writer(10, 1);
    addInOneRequest(index("a"), index("huge"), index("c"));
    awaitSent(1);
    pending.get(0).completeExceptionally(tooLarge());
    for (int request = 1; request < 4; request++) {
      awaitSent(request + 1);
      assertThat(sent.get(request)).hasSize(1);
      if (ids(sent.get(request)).contains("huge")) {
        pending.get(request).completeExceptionally(tooLarge());
      } else {
        answer(request, op -> ok());
      }
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> writer.bufferedRecords() == 1);
    List<FailedOperation> failures = writer.drainFailures();
    assertThat(failures)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.errorType()).isEqualTo("request_too_large");
              assertThat(f.reason()).contains("HTTP 413", "http.max_content_length");
            });
    writer.reported(failures.get(0));
    assertThat(committed()).isEqualTo(Map.of(TP, new OffsetAndMetadata(3)));
    assertThat(sent).hasSize(4);
  }

  @Test
  void reasonsQuoteNoDocumentValues() {
    String mapping =
        "[1:25] failed to parse field [price] of type [long] in document with id 'k4'. Preview of"
            + " field's value: 'SECRET'";
    String immense =
        "Document contains at least one immense term in field=\"tag\" (whose UTF8 encoding is"
            + " longer than the max length 32766), all of which were skipped. Please correct the"
            + " analyzer to not produce such terms. The prefix of the first immense term is: '[83,"
            + " 69, 67]...', original message: bytes can be at most 32766 in length; got 40000";
    assertThat(BulkWriter.safeReason(errorWithReason(mapping)))
        .isEqualTo("[1:25] failed to parse field [price] of type [long] in document with id 'k4'.");
    assertThat(BulkWriter.safeReason(errorWithReason(immense)))
        .contains("immense term in field=\"tag\"")
        .doesNotContain("83, 69")
        .doesNotContain("prefix of the first immense term");
  }

  @Test
  void reasonsQuoteNoDocumentIds() {
    BulkItem parsing =
        failed(
            "alice@example.com",
            "document_parsing_exception",
            "[1:25] failed to parse field [price] of type [long] in document with id"
                + " 'alice@example.com'.");
    BulkItem missing = failed("7|2", "document_missing_exception", "[7|2]: document missing");
    assertThat(BulkWriter.safeReason(parsing))
        .isEqualTo(
            "[1:25] failed to parse field [price] of type [long] in document with id '<id>'.");
    assertThat(BulkWriter.safeReason(missing)).isEqualTo("[<id>]: document missing");
  }

  private static BulkItem failed(String id, String type, String reason) {
    return new BulkItem(400, id, type, reason);
  }

  private static BulkItem errorWithReason(String reason) {
    return new BulkItem(400, null, "illegal_argument_exception", reason);
  }

  private static Throwable tooLarge() {
    return new java.util.concurrent.CompletionException(
        new SearchServerException("POST /_bulk", 413, "too_large", "Request too large"));
  }

  @Test
  void aPermanentRejectionWaitsToBeReportedBeforeTheCommitPassesIt() {
    writer(10, 1);
    addInOneRequest(index("a"), index("b"));
    awaitSent(1);
    answer(0, op -> "a".equals(op.key().id()) ? error(400, "document_parsing_exception") : ok());
    await().atMost(Duration.ofSeconds(5)).until(() -> writer.bufferedRecords() == 1);
    assertThat(committed()).isEqualTo(Map.of(TP, new OffsetAndMetadata(0)));

    List<FailedOperation> failures = writer.drainFailures();
    assertThat(failures)
        .singleElement()
        .satisfies(f -> assertThat(f.errorType()).isEqualTo("document_parsing_exception"));
    writer.reported(failures.get(0));
    assertThat(committed()).isEqualTo(Map.of(TP, new OffsetAndMetadata(2)));
  }

  @Test
  void aRejectionOfARevokedPartitionNoLongerCountsAsBuffered() {
    writer(10, 1);
    add(index("a"), at(0));
    awaitSent(1);
    answer(0, op -> error(400, "document_parsing_exception"));
    await().atMost(Duration.ofSeconds(5)).until(() -> metrics.getDocumentsFailed() == 1);
    synchronized (writer) { // b stays queued: the dispatcher cannot send it before the revocation
      add(index("b"), at(1));
      writer.forget(List.of(TP));
    }
    // The next owner reports the record; a count left behind would pause this task for ever.
    assertThat(writer.bufferedRecords()).isZero();
    assertThat(writer.bufferedBytes()).isZero();
  }

  /**
   * A write in flight when its partition was revoked, retried after its failure by the task that
   * lost the partition, was applied after the new owner had deleted the document (FaultToleranceIT
   * seed 42412818208351): Elasticsearch had forgotten the delete in a restart, so the older version
   * brought the document back. Such a write is now let go; the new owner writes the record again.
   */
  @Test
  void aWriteOfARevokedPartitionThatFailsIsNeitherRetriedNorReported() {
    writer(10, 1);
    addInOneRequest(versioned("a", 10), versioned("b", 11), versioned("c", 12));
    awaitSent(1);
    writer.forget(List.of(TP));
    answer(
        0,
        op ->
            switch (op.key().id()) {
              case "a" -> error(429, "es_rejected_execution_exception");
              case "b" -> error(400, "document_parsing_exception");
              default -> ok();
            });

    // The response is handled on the thread that completed it: nothing was queued again.
    assertThat(writer.bufferedRecords()).isZero();
    assertThat(writer.bufferedBytes()).isZero();
    assertThat(writer.drainFailures()).isEmpty();
    assertThat(metrics.getRetries()).isZero();
    assertThat(metrics.getDocumentsFailed()).isZero();
  }

  @Test
  void aFailedRequestOfARevokedPartitionIsLetGoWhileTheNewRecordsOfItGo() {
    writer(10, 1);
    add(versioned("a", 10), at(0));
    awaitSent(1);
    synchronized (writer) { // revoked and assigned again: its records are consumed again
      writer.forget(List.of(TP));
      add(versioned("a", 10), at(0));
    }
    pending.get(0).completeExceptionally(new java.io.IOException("Connection refused"));
    awaitSent(2);
    answer(1, op -> ok());
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> committed().equals(Map.of(TP, new OffsetAndMetadata(1))));
    assertThat(sent).hasSize(2);
    assertThat(metrics.getRetries()).isZero();
    assertThat(writer.bufferedRecords()).isZero();
  }

  @Test
  void aSplitRequestOfARevokedPartitionIsLetGo() {
    writer(10, 1);
    addInOneRequest(index("a"), index("b"));
    awaitSent(1);
    writer.forget(List.of(TP));
    pending.get(0).completeExceptionally(tooLarge());
    assertThat(writer.bufferedRecords()).isZero();
    assertThat(writer.drainFailures()).isEmpty();
  }

  @Test
  void aWriteStillRetriedForARecordOfAPartitionKeptIsNotLetGo() {
    TopicPartition revoked = new TopicPartition("t", 1);
    writer(10, 1);
    synchronized (writer) { // one document from two partitions: one write completes both records
      add(versioned("a", 10), new RecordPosition(revoked, 0));
      add(versioned("a", 11), at(0));
    }
    awaitSent(1);
    writer.forget(List.of(revoked));
    answer(0, op -> error(429, "es_rejected_execution_exception"));
    awaitSent(2);
    assertThat(sent.get(1).get(0).version()).isEqualTo(11);
    answer(1, op -> ok());
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> committed().equals(Map.of(TP, new OffsetAndMetadata(1))));
    assertThat(writer.bufferedRecords()).isZero();
  }

  @Test
  void versionConflictsAreSkippedAndCounted() {
    writer(10, 1);
    add(index("a"), at(0));
    awaitSent(1);
    answer(0, op -> error(409, "version_conflict_engine_exception"));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> committed().equals(Map.of(TP, new OffsetAndMetadata(1))));
    assertThat(metrics.getVersionConflicts()).isEqualTo(1);
    assertThat(metrics.getDocumentsIndexed()).isZero();
  }

  /**
   * A partial update of a document the index does not hold was counted as a version conflict and
   * committed: the row was lost with nothing in the dead letter queue. It is a reported failure.
   */
  @Test
  void aPartialUpdateOfAMissingDocumentIsReportedNotSkipped() {
    writer(10, 1);
    add(
        position ->
            new SinkOperation(
                SinkOperation.Kind.UPDATE,
                new DocKey("i", "a"),
                DocumentJson.toBytes(JsonNodeFactory.instance.objectNode().put("price", 1)),
                null,
                null,
                position),
        at(0));
    awaitSent(1);
    answer(0, op -> error(404, "document_missing_exception"));
    await().atMost(Duration.ofSeconds(5)).until(() -> metrics.getDocumentsFailed() == 1);
    assertThat(metrics.getVersionConflicts()).isZero();
    assertThat(committed()).isEqualTo(Map.of(TP, new OffsetAndMetadata(0)));
    List<FailedOperation> failures = writer.drainFailures();
    assertThat(failures)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.errorType()).isEqualTo("document_missing_exception");
              assertThat(f.reason()).contains("partial update", "re-sync the row");
            });
    writer.reported(failures.get(0));
    assertThat(committed()).isEqualTo(Map.of(TP, new OffsetAndMetadata(1)));
  }

  /** A 403 for every item would have emptied the whole topic into the dead letter queue. */
  @Test
  void aRefusedWriteIsRetriedNotReported() {
    writer(10, 1);
    add(index("a"), at(0));
    awaitSent(1);
    answer(0, op -> error(403, "security_exception"));
    awaitSent(2);
    assertThat(writer.drainFailures()).isEmpty();
    assertThat(metrics.getDocumentsFailed()).isZero();
    assertThat(committed()).isEqualTo(Map.of(TP, new OffsetAndMetadata(0)));
    answer(1, op -> ok());
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> committed().equals(Map.of(TP, new OffsetAndMetadata(1))));
  }

  @Test
  void skippedRecordsCommitInOrderWithWrittenOnes() {
    writer(10, 1);
    add(index("a"), at(0));
    writer.skip(at(1));
    awaitSent(1);
    assertThat(committed()).isEqualTo(Map.of(TP, new OffsetAndMetadata(0)));
    answer(0, op -> ok());
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> committed().equals(Map.of(TP, new OffsetAndMetadata(2))));
  }

  /**
   * Adds operations at offsets 0, 1, ... while holding the writer's lock, so the dispatcher (which
   * takes batches under the same lock on its own tick) cannot send some of them before the rest.
   */
  private void addInOneRequest(Unplaced... operations) {
    synchronized (writer) {
      for (int i = 0; i < operations.length; i++) {
        add(operations[i], at(i));
      }
    }
  }

  /** An operation of a test, built with its record's position when it is added. */
  private interface Unplaced {
    SinkOperation at(RecordPosition position);
  }

  private void add(Unplaced operation, RecordPosition position) {
    writer.add(operation.at(position));
  }

  private Map<TopicPartition, OffsetAndMetadata> committed() {
    return writer.committable(Map.of(TP, new OffsetAndMetadata(consumed)));
  }

  private void awaitSent(int requests) {
    await().atMost(Duration.ofSeconds(5)).until(() -> sent.size() >= requests);
  }

  private void answer(int request, Function<SinkOperation, BulkItem> item) {
    List<BulkItem> items = new ArrayList<>();
    sent.get(request).forEach(op -> items.add(item.apply(op)));
    pending.get(request).complete(items);
  }

  private static BulkItem ok() {
    return new BulkItem(200, null, null, null);
  }

  private static BulkItem error(int status, String type) {
    return new BulkItem(status, null, type, "because");
  }

  private static List<String> ids(List<SinkOperation> operations) {
    return operations.stream().map(op -> op.key().id()).toList();
  }

  private static Unplaced index(String id) {
    return position ->
        new SinkOperation(
            SinkOperation.Kind.INDEX,
            new DocKey("i", id),
            DocumentJson.toBytes(JsonNodeFactory.instance.objectNode().put("id", id)),
            null,
            null,
            position);
  }

  private static Unplaced versioned(String id, long version) {
    return position ->
        new SinkOperation(
            SinkOperation.Kind.INDEX,
            new DocKey("i", id),
            DocumentJson.toBytes(JsonNodeFactory.instance.objectNode().put("v", version)),
            version,
            null,
            position);
  }

  private static Unplaced delete(String id) {
    return position ->
        new SinkOperation(
            SinkOperation.Kind.DELETE, new DocKey("i", id), null, null, null, position);
  }

  /** An index write of a streamed change ({@code op}) committed at {@code commitMs}. */
  private static Unplaced change(String id, String op, long commitMs) {
    return position -> {
      SinkRecord record = new SinkRecord("t", 0, null, id, null, null, position.offset());
      record
          .headers()
          .addString(PgsearchHeaders.OP, op)
          .addLong(PgsearchHeaders.COMMIT_TS, commitMs);
      return new SinkOperation(
          SinkOperation.Kind.INDEX,
          new DocKey("i", id),
          DocumentJson.toBytes(JsonNodeFactory.instance.objectNode().put("id", id)),
          null,
          record,
          position);
    };
  }

  /** A record's position; the partition counts as consumed up to it, as Connect's would. */
  private RecordPosition at(long offset) {
    consumed = Math.max(consumed, offset + 1);
    return new RecordPosition(TP, offset);
  }
}

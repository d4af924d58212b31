package io.pgsearch.connect.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgsearch.connect.devstack.SearchNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * The one clock of every indexing rate (raw bulk and sink alike): from the first poll that sees a
 * document applied in the index (its primaries' indexing statistics, which need no refresh) to the
 * first that counts them all. The statistics count a document indexed twice (a record consumed
 * again after a rebalance) twice, so once they reach the total the clock stops only when a count
 * after a refresh does. Rates count only the documents applied between those two polls, so neither
 * the connector's start (timed separately) nor a poll's granularity is in them, and both clients
 * are timed alike.
 */
final class AppliedClock {
  /**
   * Short, because a poll's granularity is in every rate; a stats request costs next to nothing.
   */
  static final Duration POLL = Duration.ofMillis(20);

  /** What an index has applied so far. */
  record Applied(long documents, long bulks, long bulkBytes) {
    static final Applied NONE = new Applied(0, 0, 0);
  }

  /**
   * A timed indexing run.
   *
   * @param firstNanos the nanoTime of the first poll that saw a document applied
   * @param firstDocuments the documents applied at that poll
   * @param lastNanos the nanoTime of the first poll that counted every document
   * @param documents every document: the count awaited
   * @param end the index's statistics then
   */
  record Run(long firstNanos, long firstDocuments, long lastNanos, long documents, Applied end) {
    /** Documents per second applied between the two polls. */
    double rate() {
      return (documents - firstDocuments) / ((lastNanos - firstNanos) / 1e9);
    }
  }

  private final SearchNode node;

  AppliedClock(SearchNode node) {
    this.node = node;
  }

  /** The index's primaries' applied documents and bulks; nothing while the index is missing. */
  Applied applied(String index) {
    SearchNode.Response response =
        node.request(
            "GET",
            "/"
                + index
                + "/_stats/indexing,bulk?filter_path=_all.primaries.indexing.index_total,"
                + "_all.primaries.bulk.total_operations,_all.primaries.bulk.total_size_in_bytes",
            null);
    if (response.status() == 404) {
      return Applied.NONE;
    }
    if (response.status() != 200) {
      throw new IllegalStateException(
          "GET /" + index + "/_stats answered " + response.status() + ": " + response.body());
    }
    return parse(response.body());
  }

  static Applied parse(String statsJson) {
    try {
      JsonNode primaries = Search.JSON.readTree(statsJson).path("_all").path("primaries");
      return new Applied(
          primaries.path("indexing").path("index_total").asLong(),
          primaries.path("bulk").path("total_operations").asLong(),
          primaries.path("bulk").path("total_size_in_bytes").asLong());
    } catch (IOException e) {
      throw new UncheckedIOException("Unreadable index stats: " + statsJson, e);
    }
  }

  /**
   * Polls until {@code expected} documents are applied; {@code check} runs about once a second (to
   * fail fast when a connector failed). Fails after {@code stall} without progress.
   */
  Run await(String index, long expected, Duration stall, Runnable check)
      throws InterruptedException {
    long first = -1;
    long firstDocuments = 0;
    long lastProgress = System.nanoTime();
    long lastCheck = lastProgress;
    long seen = 0;
    while (true) {
      long now = System.nanoTime();
      Applied applied = applied(index);
      if (first < 0 && applied.documents() > 0) {
        first = now;
        firstDocuments = applied.documents();
      }
      if (applied.documents() >= expected && node.refreshedCount(index) >= expected) {
        return new Run(first, firstDocuments, now, expected, applied);
      }
      if (applied.documents() != seen) {
        seen = applied.documents();
        lastProgress = now;
      } else if (now - lastProgress > stall.toNanos()) {
        throw new IllegalStateException(
            "No progress for " + stall.toSeconds() + " s in " + index + " (at " + seen + ")");
      }
      if (now - lastCheck > 1_000_000_000L) {
        check.run();
        lastCheck = now;
      }
      Thread.sleep(POLL.toMillis());
    }
  }
}

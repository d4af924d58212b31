package io.pgsearch.connect.sink.bulk;

import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs failed bulk requests without flooding: at most one line per interval, counting the failures
 * since the previous line. During an outage, or while Elasticsearch's write queue rejects requests,
 * a task retries hundreds of requests a second; a line each buried the logs (36 MB in a 30-second
 * outage).
 */
final class RequestFailureLog {
  private static final Logger log = LoggerFactory.getLogger(BulkWriter.class);

  private final long intervalNanos;
  private final String first;
  private final String next;
  private boolean logged;
  private long lastLine;
  private int failedSinceLastLine;

  RequestFailureLog(long intervalMs) {
    this(
        intervalMs,
        "A bulk request of {} operations failed and will be retried until the search server takes"
            + " it (further failures are counted, one line per {} s): {}",
        "{} bulk requests failed in the last {} s and will be retried; the latest: {}");
  }

  private RequestFailureLog(long intervalMs, String first, String next) {
    this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMs);
    this.first = first;
    this.next = next;
  }

  /** For items Elasticsearch refuses until someone acts (privileges, a closed index). */
  static RequestFailureLog refusals(long intervalMs) {
    return new RequestFailureLog(
        intervalMs,
        "The search server refuses {} write(s) until its privileges or the index are fixed; they are"
            + " retried, not sent to the dead letter queue (further refusals are counted, one line"
            + " per {} s): {}",
        "The search server refused {} more write(s) in the last {} s; they are retried until it takes"
            + " them. The latest: {}");
  }

  /** A request of {@code operations} failed at {@code now} (nanos); true if a line was logged. */
  boolean failed(int operations, String error, long now) {
    failedSinceLastLine++;
    if (logged && now - lastLine < intervalNanos) {
      return false;
    }
    if (!logged) {
      log.warn(first, operations, TimeUnit.NANOSECONDS.toSeconds(intervalNanos), error);
    } else {
      log.warn(next, failedSinceLastLine, TimeUnit.NANOSECONDS.toSeconds(now - lastLine), error);
    }
    logged = true;
    lastLine = now;
    failedSinceLastLine = 0;
    return true;
  }
}

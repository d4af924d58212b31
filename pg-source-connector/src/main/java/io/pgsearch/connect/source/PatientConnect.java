package io.pgsearch.connect.source;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the connector's planning connection at start, waiting out a PostgreSQL that is briefly
 * away: one restarting, shutting down or not yet listening. Without it, a connector that a
 * rebalance starts during a database restart fails for good and needs a person to restart it, while
 * its task would have waited. What no wait can fix (a refused password, a missing database or role,
 * TLS) fails at once.
 */
final class PatientConnect {
  private static final Logger LOG = LoggerFactory.getLogger(PatientConnect.class);

  /** How long a start waits for PostgreSQL to come back. */
  static final Duration PATIENCE = Duration.ofSeconds(60);

  static final long FIRST_PAUSE_MS = 500;
  static final long MAX_PAUSE_MS = 5_000;

  /** Opens a connection. */
  interface Opener {
    Connection open() throws SQLException;
  }

  /** Waits between attempts. */
  interface Sleeper {
    void sleep(long millis) throws InterruptedException;
  }

  private PatientConnect() {}

  /**
   * Whether a failure to connect can pass by itself: the connection classes (08: refused, reset,
   * timed out) and PostgreSQL's "cannot connect now" (57P03: starting up, shutting down, in
   * recovery) and its shutdowns (57P01, 57P02).
   */
  static boolean isTransient(SQLException e) {
    String state = e.getSQLState();
    return state != null
        && (state.startsWith("08")
            || state.equals("57P01")
            || state.equals("57P02")
            || state.equals("57P03"));
  }

  /**
   * Opens a connection, trying again after a transient failure until {@code patience} has passed
   * since the first attempt; throws the last failure then, or a permanent one at once.
   */
  static Connection open(Opener opener, Duration patience, LongSupplier nanoClock, Sleeper sleeper)
      throws SQLException {
    long deadline = nanoClock.getAsLong() + patience.toNanos();
    long pause = FIRST_PAUSE_MS;
    while (true) {
      try {
        return opener.open();
      } catch (SQLException e) {
        if (!isTransient(e) || nanoClock.getAsLong() + pause * 1_000_000L > deadline) {
          throw e;
        }
        LOG.warn(
            "PostgreSQL cannot be reached now (SQLState {}: {}); trying again in {} ms",
            e.getSQLState(),
            e.getMessage(),
            pause);
        try {
          sleeper.sleep(pause);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
        pause = Math.min(MAX_PAUSE_MS, pause * 2);
      }
    }
  }
}

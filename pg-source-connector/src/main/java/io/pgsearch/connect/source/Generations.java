package io.pgsearch.connect.source;

import java.util.HashMap;
import java.util.Map;

/**
 * The connector's generations: one per PostgreSQL history it has read. A database restored from a
 * dump or a backup (a new system identifier or timeline, or a WAL position behind the one the
 * connector committed) starts a new generation: its changes carry versions above every version of
 * the previous one, so the index takes them although their LSNs went back, and the documents the
 * previous generation left (rows the restored database no longer has) are removed once the new
 * generation's snapshot is complete.
 *
 * <p>The generation and the history it belongs to are kept beside Debezium's keys in the source
 * offsets, which live in Kafka and so survive the database's restore.
 */
final class Generations {
  static final String GENERATION = "pgsearch_generation";
  static final String SYSTEM_IDENTIFIER = "pgsearch_system_identifier";
  static final String TIMELINE = "pgsearch_timeline";

  /** True in the offsets until the documents of the previous generation were asked to go. */
  static final String SWEEP_PENDING = "pgsearch_generation_sweep_pending";

  /** Debezium's offset key of the last processed WAL position. */
  static final String DEBEZIUM_LSN = "lsn";

  /** Highest generation: versions keep 56 bits for the LSN. */
  static final long MAX_GENERATION = 127;

  /** What the task runs as, decided at its start. */
  record State(long generation, ServerIdentity identity, boolean restored, boolean sweepPending) {
    /** Debezium's offset plus ours. */
    Map<String, Object> offset(Map<String, ?> debezium, boolean pending) {
      Map<String, Object> offset = new HashMap<>(debezium);
      offset.put(GENERATION, generation);
      if (identity.systemIdentifier() != null) {
        offset.put(SYSTEM_IDENTIFIER, identity.systemIdentifier());
        offset.put(TIMELINE, identity.timeline());
      }
      offset.put(SWEEP_PENDING, pending);
      return offset;
    }
  }

  private Generations() {}

  /**
   * Decides, from the offsets last committed (null on the first start) and the server now, whether
   * this is a new history. Without a system identifier on either side, a WAL position behind the
   * committed one is the only sign.
   */
  static State decide(Map<String, ?> committed, ServerIdentity now) {
    if (committed == null || committed.isEmpty()) {
      return new State(0, now, false, false);
    }
    long generation = number(committed.get(GENERATION));
    boolean pending = Boolean.TRUE.equals(committed.get(SWEEP_PENDING));
    Object system = committed.get(SYSTEM_IDENTIFIER);
    boolean newHistory;
    if (system != null && now.systemIdentifier() != null) {
      newHistory =
          !system.toString().equals(now.systemIdentifier())
              || number(committed.get(TIMELINE)) != now.timeline();
    } else {
      newHistory = number(committed.get(DEBEZIUM_LSN)) > now.currentLsn();
    }
    if (!newHistory) {
      return new State(generation, now, false, pending);
    }
    if (generation >= MAX_GENERATION) {
      throw new IllegalStateException(
          "The database was restored more than "
              + MAX_GENERATION
              + " times under this connector: create a new connector (another name) and indexes");
    }
    return new State(generation + 1, now, true, true);
  }

  private static long number(Object value) {
    return value instanceof Number n ? n.longValue() : 0;
  }
}

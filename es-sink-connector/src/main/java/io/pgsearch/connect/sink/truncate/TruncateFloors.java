package io.pgsearch.connect.sink.truncate;

import io.pgsearch.connect.sink.bulk.IndexFloors;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The truncate floor of each index this task writes to, as read from the {@link FloorStore} or
 * raised by a truncate this task handles. A task other than the one handling a truncate still has
 * older rows of the table to write (from its own partitions): it learns the floor within {@link
 * #MAX_AGE_MS}, because the writer sends nothing to an index whose floor was read longer ago. The
 * task handling the truncate waits that long before it sweeps, so that no older write can land
 * after its sweep.
 */
public final class TruncateFloors implements IndexFloors {
  private static final Logger log = LoggerFactory.getLogger(TruncateFloors.class);

  /** Longest a write is sent on an older reading of its index's floor. */
  public static final long MAX_AGE_MS = 5_000;

  /** Floors are read again once half as old as allowed, so writes never wait for a reading. */
  private static final long REFRESH_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(MAX_AGE_MS / 2);

  private static final long MAX_AGE_NANOS = TimeUnit.MILLISECONDS.toNanos(MAX_AGE_MS);
  private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final FloorStore store;
  private final LongSupplier nanoClock;
  private final Map<String, Known> known = new ConcurrentHashMap<>();
  private volatile long retryAfterNanos;
  private volatile boolean unreadable;

  public TruncateFloors(FloorStore store, LongSupplier nanoClock) {
    this.store = store;
    this.nanoClock = nanoClock;
    this.retryAfterNanos = nanoClock.getAsLong();
  }

  /** What is known of one index: its floor, and when the reading that gave it was sent. */
  private record Known(long floor, long readAtNanos, boolean read) {
    Known raisedTo(long version) {
      return new Known(Math.max(floor, version), readAtNanos, read);
    }
  }

  @Override
  public void watch(String index) {
    known.computeIfAbsent(index, i -> new Known(0, 0, false));
  }

  @Override
  public boolean isFresh(String index) {
    if (unreadable) {
      return true; // cannot be read at all: writes must not stop (a WARN said what is lost)
    }
    Known state = known.get(index);
    return state != null
        && state.read()
        && nanoClock.getAsLong() - state.readAtNanos() <= MAX_AGE_NANOS;
  }

  @Override
  public long floor(String index) {
    Known state = known.get(index);
    return state == null ? 0 : state.floor();
  }

  /** Raises an index's floor now, for the truncate this task handles. */
  public void raise(String index, long version) {
    known.compute(
        index, (i, state) -> (state == null ? new Known(0, 0, false) : state).raisedTo(version));
  }

  @Override
  public void refreshStale() {
    long now = nanoClock.getAsLong();
    if (unreadable || now - retryAfterNanos < 0) {
      return;
    }
    List<String> stale =
        known.entrySet().stream()
            .filter(
                e -> !e.getValue().read() || now - e.getValue().readAtNanos() > REFRESH_AFTER_NANOS)
            .map(Map.Entry::getKey)
            .toList();
    if (stale.isEmpty()) {
      return;
    }
    try {
      Map<String, Long> read = store.read(stale);
      for (String index : stale) {
        long floor = read.getOrDefault(index, 0L);
        known.compute(
            index,
            (i, state) -> new Known(Math.max(floor, state == null ? 0 : state.floor()), now, true));
      }
    } catch (FloorStore.FloorsUnreadable e) {
      unreadable = true;
      log.warn(
          "The sink's user may not read the mappings of indexes {} ({}): a TRUNCATE handled by"
              + " another task of this connector cannot be seen here, so rows this task writes"
              + " concurrently with one may stay in the index. Grant view_index_metadata and"
              + " manage on the indexes",
          stale,
          e.getMessage());
    } catch (IOException | RuntimeException e) {
      retryAfterNanos = now + RETRY_NANOS;
      log.debug("Could not read the truncate floors of {}; writes to them wait", stale, e);
    }
  }
}

package io.pgsearch.connect.bench;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Commit-to-searchable latency of changes that each show in several documents: change {@code k}
 * (numbered in commit order) is searchable once every one of its documents has been seen with the
 * new value, and its latency is that moment minus its commit. A writer notes commits, a poller the
 * documents it finds; the watermark (the first change not complete) lets the poller ask only for
 * changes from there on, as the freshness measurement does for rows. Times are wall-clock
 * milliseconds of one JVM.
 */
final class ChangeTracker {
  private final int[] documents;
  private final long[] committed;
  private final long[] complete;
  private final Map<Integer, Set<String>> seen = new HashMap<>();
  private int watermark;

  /**
   * @param documents for each change, how many documents must show it (at least 1)
   */
  ChangeTracker(int[] documents) {
    for (int i = 0; i < documents.length; i++) {
      if (documents[i] < 1) {
        throw new IllegalArgumentException("Change " + i + " shows in no document");
      }
    }
    this.documents = documents.clone();
    this.committed = new long[documents.length];
    this.complete = new long[documents.length];
  }

  int changes() {
    return documents.length;
  }

  /** Change {@code k} was committed at {@code millis}. */
  synchronized void committed(int change, long millis) {
    committed[change] = millis;
  }

  /**
   * Document {@code id} was found showing change {@code change} at {@code millis}; a document seen
   * again, or a change already complete, changes nothing.
   */
  synchronized void seen(int change, String id, long millis) {
    if (change < 0 || change >= documents.length || complete[change] != 0) {
      return;
    }
    Set<String> ids = seen.computeIfAbsent(change, k -> new HashSet<>());
    if (ids.add(id) && ids.size() >= documents[change]) {
      complete[change] = millis;
      seen.remove(change);
      while (watermark < documents.length && complete[watermark] != 0) {
        watermark++;
      }
    }
  }

  /** The first change not yet seen in all its documents; {@link #changes()} when all are. */
  synchronized int watermark() {
    return watermark;
  }

  /** Whether the first {@code count} changes are all complete. */
  synchronized boolean completeUpTo(int count) {
    return watermark >= count;
  }

  /**
   * The latencies of the first {@code count} changes that are complete, in milliseconds, in change
   * order.
   */
  synchronized long[] latencies(int count) {
    long[] latencies = new long[count];
    int n = 0;
    for (int k = 0; k < count; k++) {
      if (complete[k] != 0) {
        latencies[n++] = complete[k] - committed[k];
      }
    }
    return Arrays.copyOf(latencies, n);
  }

  /** How many of the first {@code count} changes were not seen in all their documents. */
  synchronized int incomplete(int count) {
    int n = 0;
    for (int k = 0; k < count; k++) {
      if (complete[k] == 0) {
        n++;
      }
    }
    return n;
  }
}

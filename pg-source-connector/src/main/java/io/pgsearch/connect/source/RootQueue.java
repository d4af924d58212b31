package io.pgsearch.connect.source;

import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The roots a poll's changes touch, in the order their documents are built, each with the change
 * that gives its version. The roots of the first changes, up to {@code eager} of them, are read at
 * once and deduplicated, each with its last change (a root touched by many rows of a poll is built
 * once); the roots of the changes after those are read a page at a time when their turn comes, so a
 * change shared by millions of roots holds one page of keys, never all of them. A root may then
 * come more than once: every build reads the state after all of the poll's changes, so whichever
 * version the index keeps holds that state.
 *
 * @param <T> the change (a record)
 */
final class RootQueue<T> {
  /** A root's primary key values, as read, and the change that gives its document's version. */
  record Root<T>(List<Object> key, T trigger) {}

  private final int eager;
  private final List<Root<T>> roots = new ArrayList<>();
  private final Map<List<Object>, Integer> seen = new HashMap<>();
  private final Deque<Pending<T>> pending = new ArrayDeque<>();
  private int next;

  /** A change whose roots are still to be read. */
  private record Pending<T>(RootPages pages, T trigger) {}

  RootQueue(int eager) {
    this.eager = eager;
  }

  /** The roots {@code trigger} touches: read now while fewer than {@code eager} are held. */
  void add(RootPages pages, T trigger) throws SQLException {
    while (pending.isEmpty() && roots.size() < eager) {
      List<List<Object>> page = pages.next();
      if (page.isEmpty()) {
        return;
      }
      page.forEach(key -> add(key, trigger));
    }
    pending.add(new Pending<>(pages, trigger));
  }

  /** A root touched by {@code trigger}; a root already held takes the later trigger. */
  private void add(List<Object> key, T trigger) {
    Integer at = seen.putIfAbsent(DocumentBuilder.normalized(key), roots.size());
    if (at == null) {
      roots.add(new Root<>(key, trigger));
    } else {
      roots.set(at, new Root<>(roots.get(at).key(), trigger));
    }
  }

  /**
   * The next roots, at most {@code max}, reading the next page of a pending change when those held
   * are all taken; they stay next until {@link #taken}, so a failed build loses none.
   */
  List<Root<T>> peek(int max) throws SQLException {
    if (next >= roots.size() && !refill()) {
      return List.of();
    }
    return List.copyOf(roots.subList(next, Math.min(roots.size(), next + max)));
  }

  /** The first {@code count} roots {@link #peek} gave are built. */
  void taken(int count) {
    next += count;
  }

  /** Whether every root has been taken. */
  boolean done() {
    return next >= roots.size() && pending.isEmpty();
  }

  /** Replaces the roots taken with the next page of the first pending change, if any. */
  private boolean refill() throws SQLException {
    roots.clear();
    seen.clear();
    next = 0;
    while (!pending.isEmpty()) {
      Pending<T> first = pending.peek();
      List<List<Object>> page = first.pages().next();
      if (!page.isEmpty()) {
        page.forEach(key -> add(key, first.trigger()));
        return true;
      }
      pending.poll();
    }
    return false;
  }
}

package io.pgsearch.connect.source;

import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The primary keys of the roots a change touches, a page at a time, each page read only when it is
 * asked for: a change shared by millions of roots never holds more than a page of keys, however far
 * its documents are from being built.
 */
abstract class RootPages {
  /** The next page of at most {@link DocumentBuilder#BATCH} keys; empty once there are no more. */
  abstract List<List<Object>> next() throws SQLException;

  /** The pages of keys already known. */
  static RootPages of(List<List<Object>> keys) {
    return new RootPages() {
      private int from;

      @Override
      List<List<Object>> next() {
        int to = Math.min(keys.size(), from + DocumentBuilder.BATCH);
        List<List<Object>> page = keys.subList(from, to);
        from = to;
        return page;
      }
    };
  }

  /** One query per page: the page after the last key of the one before (null at first). */
  interface KeysetQuery {
    List<List<Object>> page(List<Object> after) throws SQLException;
  }

  /** Keyset paging: a page shorter than {@link DocumentBuilder#BATCH} is the last. */
  static RootPages keyset(KeysetQuery query) {
    return new RootPages() {
      private List<Object> after;
      private boolean done;

      @Override
      List<List<Object>> next() throws SQLException {
        if (done) {
          return List.of();
        }
        List<List<Object>> page = query.page(after);
        done = page.size() < DocumentBuilder.BATCH;
        if (!page.isEmpty()) {
          after = page.get(page.size() - 1);
        }
        return page;
      }
    };
  }

  /** The pages of each in turn. */
  static RootPages concat(List<RootPages> parts) {
    Deque<RootPages> left = new ArrayDeque<>(parts);
    return new RootPages() {
      @Override
      List<List<Object>> next() throws SQLException {
        while (!left.isEmpty()) {
          List<List<Object>> page = left.peek().next();
          if (!page.isEmpty()) {
            return page;
          }
          left.poll();
        }
        return List.of();
      }
    };
  }
}

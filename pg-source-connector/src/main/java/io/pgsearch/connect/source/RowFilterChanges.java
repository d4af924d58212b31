package io.pgsearch.connect.source;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * What a changed row filter asks for, so that the index follows the new filter without a re-sync of
 * everything: rows that now match are read by an incremental snapshot (they enter the index), and
 * rows that no longer match are read by another, whose reads {@link FilterExitDeletes} turns into
 * deletes (they leave it).
 *
 * <p>The leaving rows are every row outside the new filter, not only those inside the old one: a
 * row that matched the old filter and was changed after the publication was altered (so not
 * streamed any more) may match neither by the time it is read, and its document must still go.
 * Deleting a document that does not exist is harmless.
 */
final class RowFilterChanges {
  /**
   * Marks the additional condition of a snapshot whose rows leave the index. A SQL comment: the
   * condition stays valid SQL, and Debezium keeps it in the offsets of the rows it reads.
   */
  static final String EXIT_MARKER = "/* pgsearch:filter-exit */";

  /** One table's change, with the filters as PostgreSQL deparsed them (null: no filter). */
  record Change(TableName table, String before, String after) {
    /** Rows that no longer match; null when every row still does (the filter was removed). */
    String exitCondition() {
      return after == null ? null : EXIT_MARKER + " ((" + after + ") IS NOT TRUE)";
    }

    /** Rows that now match and did not; null when none can (a filter was added). */
    String enterCondition() {
      if (before == null) {
        return null;
      }
      return after == null
          ? "((" + before + ") IS NOT TRUE)"
          : "((" + after + ") IS TRUE AND (" + before + ") IS NOT TRUE)";
    }
  }

  private RowFilterChanges() {}

  /** The tables in the publication before and after whose filter changed. */
  static List<Change> between(Map<TableName, String> before, Map<TableName, String> after) {
    List<Change> changes = new ArrayList<>();
    after.forEach(
        (table, filter) -> {
          if (before.containsKey(table) && !Objects.equals(before.get(table), filter)) {
            changes.add(new Change(table, before.get(table), filter));
          }
        });
    return changes;
  }

  /**
   * The {@code execute-snapshot} signals for a change, leaving rows first: {@code {id, data}}
   * pairs.
   */
  static List<String[]> signals(Change change) {
    List<String[]> signals = new ArrayList<>();
    for (String condition : new String[] {change.exitCondition(), change.enterCondition()}) {
      if (condition != null) {
        signals.add(
            new String[] {
              "pgsearch-filter-" + UUID.randomUUID(),
              NewTableSnapshots.data(
                  new NewTableSnapshots.Entry(change.table().toString(), null, condition))
            });
      }
    }
    return signals;
  }
}

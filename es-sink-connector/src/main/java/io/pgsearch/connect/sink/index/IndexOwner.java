package io.pgsearch.connect.sink.index;

import io.pgsearch.connect.sink.config.IndexConfigs;
import java.util.Optional;

/**
 * Which table an index holds: recorded in the index's mapping {@code _meta} when the sink creates
 * (or first writes to) it, so that two tables whose names give the same index (the same table name
 * in two schemas, with {@code index.name.template=${table}}) cannot silently mix their rows in one
 * index, whichever task or worker writes first.
 */
public final class IndexOwner {
  /** The {@code _meta} key holding {@code <schema>.<table>}. */
  public static final String META_KEY = "pgsearch_source_table";

  private IndexOwner() {}

  /**
   * The error for a record of {@code source} going to {@code index}, which holds {@code owner};
   * empty when either is unknown or they are the same table.
   */
  public static Optional<String> conflict(String index, String owner, String source) {
    if (owner == null || source == null || owner.equals(source)) {
      return Optional.empty();
    }
    return Optional.of(
        "Rows of table "
            + source
            + " would be written to index '"
            + index
            + "', which holds the rows of table "
            + owner
            + " (its mapping _meta."
            + META_KEY
            + "): two tables would mix in one index. Give each table its own index: include"
            + " ${schema} in "
            + IndexConfigs.NAME_TEMPLATE
            + " (e.g. ${schema}_${table}), or map the topics to distinct indexes with "
            + IndexConfigs.TOPIC_INDEX_MAP
            + " (an index named there may hold several tables on purpose).");
  }
}

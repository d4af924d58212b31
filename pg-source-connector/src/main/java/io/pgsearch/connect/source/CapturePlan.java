package io.pgsearch.connect.source;

import io.pgsearch.connect.source.PostgresCatalog.TableInfo;
import java.util.List;

/**
 * What the connector captures, resolved against the database: the tables with their row filters,
 * the tables skipped for lack of a key, and the problems found, each on the key to fix.
 */
record CapturePlan(List<CapturedTable> captured, List<TableName> skipped, List<Problem> problems) {

  /** A captured table, with its row filter (or null) and whether to set REPLICA IDENTITY FULL. */
  record CapturedTable(TableInfo info, String filter, boolean setIdentityFull) {
    TableName name() {
      return info.name();
    }
  }

  /** An error attached to the config key the user must change. */
  record Problem(String key, String message) {}
}

package io.pgsearch.connect.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgsearch.connect.devstack.SearchNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Elasticsearch's refreshes of one index that made documents searchable (its stats' {@code
 * external_total}) and the time they took: a document is found once the first refresh after its
 * bulk has ended, so that time comes on top of the pipeline's latency and the wait for the next
 * refresh.
 */
record Refreshes(long count, long millis) {
  /** The index's primaries' refreshes so far. */
  static Refreshes read(SearchNode node, String index) {
    SearchNode.Response response =
        node.request(
            "GET",
            "/"
                + index
                + "/_stats/refresh?filter_path=_all.primaries.refresh.external_total,"
                + "_all.primaries.refresh.external_total_time_in_millis",
            null);
    if (response.status() != 200) {
      throw new IllegalStateException(
          "GET /"
              + index
              + "/_stats/refresh answered "
              + response.status()
              + ": "
              + response.body());
    }
    return parse(response.body());
  }

  static Refreshes parse(String statsJson) {
    try {
      JsonNode refresh =
          Search.JSON.readTree(statsJson).path("_all").path("primaries").path("refresh");
      if (!refresh.has("external_total")) {
        throw new IllegalStateException("No refresh stats in " + statsJson);
      }
      return new Refreshes(
          refresh.path("external_total").asLong(),
          refresh.path("external_total_time_in_millis").asLong());
    } catch (IOException e) {
      throw new UncheckedIOException("Unreadable index stats: " + statsJson, e);
    }
  }

  /** The refreshes between {@code before} and this reading. */
  Refreshes since(Refreshes before) {
    return new Refreshes(count - before.count, millis - before.millis);
  }

  /** Mean milliseconds per refresh; NaN without any. */
  double meanMs() {
    return count == 0 ? Double.NaN : millis / (double) count;
  }
}

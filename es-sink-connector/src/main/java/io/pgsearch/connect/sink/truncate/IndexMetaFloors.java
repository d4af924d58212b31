package io.pgsearch.connect.sink.truncate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgsearch.connect.sink.document.DocumentJson;
import io.pgsearch.connect.sink.transport.SearchClient;
import io.pgsearch.connect.sink.transport.SearchServerException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Keeps each index's truncate floor in its mapping's {@code _meta}, beside the table it holds: it
 * lives and dies with the index, every task can read it, and it needs no index of its own.
 */
public final class IndexMetaFloors implements FloorStore {
  /** The {@code _meta} key holding the floor: the version of the table's last TRUNCATE. */
  public static final String META_KEY = "pgsearch_truncated_before";

  private final SearchClient client;

  public IndexMetaFloors(SearchClient client) {
    this.client = client;
  }

  @Override
  public Map<String, Long> read(Collection<String> indexes) throws IOException {
    Map<String, Long> floors = new HashMap<>();
    try {
      JsonNode response = mappings(String.join(",", encoded(indexes)));
      for (String index : indexes) {
        JsonNode mappings = response.path(index).path("mappings");
        if (mappings.isMissingNode() && !response.isEmpty()) {
          // An alias: the response names the concrete index.
          mappings = single(index);
        }
        Long floor = floor(mappings);
        if (floor != null) {
          floors.put(index, floor);
        }
      }
      return floors;
    } catch (SearchServerException e) {
      throw translated(e);
    }
  }

  private static Collection<String> encoded(Collection<String> indexes) {
    Collection<String> names = new ArrayList<>(indexes.size());
    indexes.forEach(index -> names.add(SearchClient.segment(index)));
    return names;
  }

  private JsonNode mappings(String indexes) throws IOException {
    return client.send("GET", "/" + indexes + "/_mapping?ignore_unavailable=true", null);
  }

  /** The mappings of one index or alias, or a missing node when there is none. */
  private JsonNode single(String index) throws IOException {
    Iterator<JsonNode> found = mappings(SearchClient.segment(index)).elements();
    return found.hasNext() ? found.next().path("mappings") : DocumentJson.JSON.missingNode();
  }

  @Override
  public void write(String index, long floor) throws IOException {
    try {
      JsonNode mappings = single(index);
      if (mappings.isMissingNode()) {
        return; // no index, nothing in it to protect
      }
      Long current = floor(mappings);
      if (current != null && current >= floor) {
        return;
      }
      // _meta is replaced as a whole: keep what else it records (the table the index holds).
      ObjectNode meta =
          mappings.get("_meta") instanceof ObjectNode given
              ? given.deepCopy()
              : DocumentJson.JSON.createObjectNode();
      meta.put(META_KEY, floor);
      ObjectNode body = DocumentJson.JSON.createObjectNode();
      body.set("_meta", meta);
      client.send("PUT", "/" + SearchClient.segment(index) + "/_mapping", body);
    } catch (SearchServerException e) {
      throw translated(e);
    }
  }

  private static Long floor(JsonNode mappings) {
    JsonNode value = mappings.path("_meta").get(META_KEY);
    return value == null || !value.canConvertToLong() ? null : value.asLong();
  }

  private static IOException translated(SearchServerException e) {
    if (e.isForbidden()) {
      return new FloorsUnreadable(e.type() + ": " + e.reason(), e);
    }
    return new IOException(e.getMessage(), e);
  }
}

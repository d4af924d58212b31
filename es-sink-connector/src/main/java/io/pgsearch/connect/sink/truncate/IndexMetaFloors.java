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
import java.util.List;
import java.util.Map;
import java.util.Set;

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

  /**
   * One request for every index: each concrete index's {@code _meta} and aliases, so a name that is
   * an alias (as every index the sink creates is) finds its floor without a request of its own.
   */
  @Override
  public Map<String, Long> read(Collection<String> indexes) throws IOException {
    Set<String> wanted = Set.copyOf(indexes);
    Map<String, Long> floors = new HashMap<>();
    try {
      JsonNode response =
          client.send(
              "GET",
              "/"
                  + SearchClient.segment(List.copyOf(wanted))
                  + "?ignore_unavailable=true&filter_path=*.aliases,*.mappings._meta",
              null);
      response
          .fields()
          .forEachRemaining(
              concrete -> {
                Long floor = floor(concrete.getValue().path("mappings"));
                if (floor == null) {
                  return;
                }
                List<String> names = new ArrayList<>(List.of(concrete.getKey()));
                concrete.getValue().path("aliases").fieldNames().forEachRemaining(names::add);
                names.stream().filter(wanted::contains).forEach(name -> floors.put(name, floor));
              });
      return floors;
    } catch (SearchServerException e) {
      throw translated(e);
    }
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

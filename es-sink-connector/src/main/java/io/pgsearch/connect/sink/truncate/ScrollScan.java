package io.pgsearch.connect.sink.truncate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgsearch.connect.sink.document.DocumentJson;
import io.pgsearch.connect.sink.transport.SearchClient;
import io.pgsearch.connect.sink.transport.SearchServerException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link DocumentScan} on the scroll API in index order ({@code _doc}), ids and versions only:
 * the cheapest way to read a whole index, and available on every distribution of Elasticsearch and
 * OpenSearch (point in time is not).
 */
public final class ScrollScan implements DocumentScan {
  static final int PAGE_SIZE = 1_000;
  private static final String KEEP_ALIVE = "5m";

  private final SearchClient client;

  public ScrollScan(SearchClient client) {
    this.client = client;
  }

  @Override
  public Page open(String index) throws IOException {
    String path = "/" + SearchClient.segment(index);
    try {
      client.send("POST", path + "/_refresh", null);
      ObjectNode search = DocumentJson.JSON.createObjectNode();
      search.put("size", PAGE_SIZE);
      search.putArray("sort").add("_doc");
      search.put("_source", false);
      search.put("version", true);
      return page(client.send("POST", path + "/_search?scroll=" + KEEP_ALIVE, search));
    } catch (SearchServerException e) {
      if ("index_not_found_exception".equals(e.type())) {
        return new Page(null, List.of());
      }
      throw new IOException(e.getMessage(), e);
    }
  }

  @Override
  public Page next(String cursor) throws IOException {
    ObjectNode scroll = DocumentJson.JSON.createObjectNode();
    scroll.put("scroll", KEEP_ALIVE);
    scroll.put("scroll_id", cursor);
    try {
      return page(client.send("POST", "/_search/scroll", scroll));
    } catch (SearchServerException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  @Override
  public void close(String cursor) {
    ObjectNode scroll = DocumentJson.JSON.createObjectNode();
    scroll.putArray("scroll_id").add(cursor);
    try {
      client.send("DELETE", "/_search/scroll", scroll);
    } catch (IOException | RuntimeException e) {
      // it expires on its own
    }
  }

  private Page page(JsonNode response) {
    JsonNode found = response.path("hits").path("hits");
    List<Hit> hits = new ArrayList<>(found.size());
    for (JsonNode hit : found) {
      hits.add(new Hit(hit.path("_id").asText(), hit.path("_version").asLong(0)));
    }
    String scrollId = response.path("_scroll_id").asText(null);
    if (hits.isEmpty()) {
      if (scrollId != null) {
        close(scrollId);
      }
      return new Page(null, hits);
    }
    return new Page(scrollId, hits);
  }
}

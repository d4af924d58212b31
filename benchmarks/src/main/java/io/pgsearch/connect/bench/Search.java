package io.pgsearch.connect.bench;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgsearch.connect.devstack.SearchNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/** Elasticsearch as the benchmark reads it: counts, sums and new ids, as a user searches. */
final class Search {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Duration POLL = Duration.ofMillis(500);

  /** Reads and writes documents without touching their numbers (12.50 stays 12.50). */
  private static final ObjectMapper EXACT =
      JsonMapper.builder()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
          .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
          .build();

  /** Documents per page when reading a whole index. */
  private static final int SCROLL_PAGE = 5_000;

  private final SearchNode node;

  Search(SearchNode node) {
    this.node = node;
  }

  SearchNode node() {
    return node;
  }

  /** Documents searchable after a refresh; -1 while the index does not exist. */
  long count(String index) {
    return node.refreshedCount(index);
  }

  /** The sum of a numeric field over the whole index, after a refresh; -1 without the index. */
  long sum(String index, String field) {
    if (node.request("POST", "/" + index + "/_refresh", null).status() == 404) {
      return -1;
    }
    String body =
        "{\"size\":0,\"track_total_hits\":false,\"aggs\":{\"s\":{\"sum\":{\"field\":\""
            + field
            + "\"}}}}";
    return Math.round(
        read(node.request("POST", "/" + index + "/_search", body))
            .path("aggregations")
            .path("s")
            .path("value")
            .asDouble());
  }

  /**
   * Polls until {@code done} is true and returns the nanoTime of the first poll that saw it; fails
   * after {@code stall} without any progress of {@code progress}.
   */
  long awaitNanos(java.util.function.BooleanSupplier done, LongSupplier progress, Duration stall)
      throws InterruptedException {
    long last = Long.MIN_VALUE;
    long lastChange = System.nanoTime();
    while (true) {
      long now = System.nanoTime();
      if (done.getAsBoolean()) {
        return now;
      }
      long seen = progress.getAsLong();
      if (seen != last) {
        last = seen;
        lastChange = now;
      } else if (now - lastChange > stall.toNanos()) {
        throw new IllegalStateException(
            "No progress for " + stall.toSeconds() + " s (stuck at " + seen + ")");
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  /** Waits until the index holds {@code expected} documents; returns the nanoTime it was seen. */
  long awaitCount(String index, long expected, Duration stall) throws InterruptedException {
    long[] seen = {-1};
    return awaitNanos(() -> (seen[0] = count(index)) >= expected, () -> seen[0], stall);
  }

  void putSettings(String index, String settingsJson) {
    expectOk(node.request("PUT", "/" + index + "/_settings", settingsJson), "settings of " + index);
  }

  void createIndex(String index, String bodyJson) {
    expectOk(node.request("PUT", "/" + index, bodyJson), "creating " + index);
  }

  /** Deletes an index (or those behind an alias) to give disk and heap back; missing is fine. */
  void deleteIndex(String index) {
    node.deleteIndex(index);
  }

  /**
   * The documents matching a query, as a search without refresh sees them (what a user finds now);
   * -1 while the index does not exist.
   */
  long countNow(String index, String queryBody) {
    SearchNode.Response response = node.request("POST", "/" + index + "/_count", queryBody);
    if (response.status() == 404) {
      return -1;
    }
    return read(response).path("count").asLong();
  }

  /** The body that creates an index with the mappings {@code index} has now. */
  String indexBody(String index) {
    JsonNode mappings;
    try {
      mappings = JSON.readTree(node.mappings(index));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    ObjectNode body = JSON.createObjectNode();
    body.set("mappings", mappings);
    return body.toString();
  }

  /** Every document of an index with its id, its source exactly as stored (a scroll by _doc). */
  List<BaselineBulk.Doc> documents(String index) {
    List<BaselineBulk.Doc> docs = new ArrayList<>();
    JsonNode page =
        readExact(
            node.request(
                "POST",
                "/" + index + "/_search?scroll=2m",
                "{\"size\":" + SCROLL_PAGE + ",\"sort\":[\"_doc\"]}"));
    String scrollId = page.path("_scroll_id").asText();
    try {
      while (true) {
        JsonNode hits = page.path("hits").path("hits");
        if (hits.isEmpty()) {
          return docs;
        }
        for (JsonNode hit : hits) {
          docs.add(new BaselineBulk.Doc(hit.path("_id").asText(), bytes(hit.path("_source"))));
        }
        ObjectNode next = JSON.createObjectNode().put("scroll", "2m").put("scroll_id", scrollId);
        page = readExact(node.request("POST", "/_search/scroll", next.toString()));
        scrollId = page.path("_scroll_id").asText(scrollId);
      }
    } finally {
      node.request(
          "DELETE",
          "/_search/scroll",
          JSON.createObjectNode().put("scroll_id", scrollId).toString());
    }
  }

  private static byte[] bytes(JsonNode source) {
    try {
      return EXACT.writeValueAsBytes(source);
    } catch (Exception e) {
      throw new IllegalStateException("Rendering a document", e);
    }
  }

  private static JsonNode readExact(SearchNode.Response response) {
    return read(response, EXACT);
  }

  /** A search body's response, parsed; fails on an error status. */
  JsonNode search(String index, String body) {
    return read(node.request("POST", "/" + index + "/_search", body));
  }

  private static void expectOk(SearchNode.Response response, String what) {
    if (response.status() / 100 != 2) {
      throw new IllegalStateException(
          "Elasticsearch refused " + what + ": " + response.status() + " " + response.body());
    }
  }

  private static JsonNode read(SearchNode.Response response) {
    return read(response, JSON);
  }

  private static JsonNode read(SearchNode.Response response, ObjectMapper mapper) {
    if (response.status() != 200) {
      throw new IllegalStateException(
          "Elasticsearch answered " + response.status() + ": " + response.body());
    }
    try {
      return mapper.readTree(response.body());
    } catch (Exception e) {
      throw new IllegalStateException("Unreadable answer from Elasticsearch", e);
    }
  }
}

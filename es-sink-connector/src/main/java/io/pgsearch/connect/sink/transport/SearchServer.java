package io.pgsearch.connect.sink.transport;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Iterator;
import java.util.Optional;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;

/**
 * The search server the sink talks to: its product and version, as it tells them. The sink supports
 * Elasticsearch 8 and 9 and OpenSearch 2 and 3, with the same guarantees on each.
 */
public record SearchServer(Product product, String version) {

  /** The products the sink knows. */
  public enum Product {
    ELASTICSEARCH("Elasticsearch", 8, 9),
    OPENSEARCH("OpenSearch", 2, 3);

    private final String displayName;
    private final int oldestMajor;
    private final int newestMajor;

    Product(String displayName, int oldestMajor, int newestMajor) {
      this.displayName = displayName;
      this.oldestMajor = oldestMajor;
      this.newestMajor = newestMajor;
    }

    public String displayName() {
      return displayName;
    }

    /** The majors supported, as a user reads them: {@code 8 and 9}. */
    public String supportedMajors() {
      return oldestMajor + " and " + newestMajor;
    }
  }

  /** The header Elasticsearch 7.14 and later put on every response; OpenSearch never does. */
  static final String ELASTIC_PRODUCT_HEADER = "X-Elastic-Product";

  public int major() {
    int dot = version.indexOf('.');
    try {
      return Integer.parseInt(dot < 0 ? version : version.substring(0, dot));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  public boolean isSupported() {
    int major = major();
    return major >= product.oldestMajor && major <= product.newestMajor;
  }

  /**
   * Why the sink cannot work with this server, or empty when it can: a clear sentence for the
   * connector's validation and the task's start.
   */
  public Optional<String> unsupportedReason() {
    if (isSupported()) {
      return Optional.empty();
    }
    return Optional.of(
        this
            + " is not supported: the sink works with Elasticsearch "
            + Product.ELASTICSEARCH.supportedMajors()
            + " and OpenSearch "
            + Product.OPENSEARCH.supportedMajors());
  }

  @Override
  public String toString() {
    return product.displayName + " " + version;
  }

  /**
   * Asks the server what it is. {@code GET /} names the product and version on every full
   * distribution ({@code version.distribution} is {@code opensearch} on OpenSearch); where the root
   * endpoint is missing (Elasticsearch's minimal test distribution) or forbidden, the local node's
   * version is read instead and the product told by Elasticsearch's product header.
   *
   * @throws SearchServerException when the server refused both requests
   * @throws IOException when it could not be reached
   */
  public static SearchServer detect(RestClient client) throws IOException {
    Response root;
    try {
      root = client.performRequest(new Request("GET", "/"));
    } catch (ResponseException e) {
      root = null;
    }
    if (root != null) {
      JsonNode body = SearchClient.json(root.getEntity());
      String version = body.path("version").path("number").asText("");
      if (!version.isEmpty()) {
        boolean opensearch =
            "opensearch".equals(body.path("version").path("distribution").asText());
        return new SearchServer(opensearch ? Product.OPENSEARCH : Product.ELASTICSEARCH, version);
      }
    }
    String path = "/_nodes/_local?filter_path=nodes.*.version";
    Response nodes;
    try {
      nodes = client.performRequest(new Request("GET", path));
    } catch (ResponseException e) {
      throw SearchClient.error("GET " + path, e.getResponse());
    }
    Iterator<JsonNode> node = SearchClient.json(nodes.getEntity()).path("nodes").elements();
    String version = node.hasNext() ? node.next().path("version").asText("") : "";
    if (version.isEmpty()) {
      throw new IOException("GET " + path + " named no version: is this a search server?");
    }
    return new SearchServer(product(nodes), version);
  }

  private static Product product(Response response) {
    return response.getHeader(ELASTIC_PRODUCT_HEADER) != null
        ? Product.ELASTICSEARCH
        : Product.OPENSEARCH;
  }
}

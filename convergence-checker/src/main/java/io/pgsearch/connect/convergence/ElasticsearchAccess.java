package io.pgsearch.connect.convergence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgsearch.connect.sink.transport.TlsContexts;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.apache.http.Header;
import org.apache.http.HttpHost;
import org.apache.http.message.BasicHeader;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;
import org.elasticsearch.client.RestClientBuilder;

/**
 * Reads every document of an index through the Elasticsearch client's low-level transport, with a
 * scroll sorted by {@code _doc}: one consistent view of the index, in pages, on Elasticsearch 8 and
 * 9 (sorting on {@code _id} needs fielddata that Elasticsearch 8 disables).
 */
final class ElasticsearchAccess implements AutoCloseable {
  static final int PAGE_SIZE = 1000;
  private static final String KEEP_ALIVE = "2m";

  private final RestClient client;
  private final ObjectMapper json;

  ElasticsearchAccess(RestClient client, ObjectMapper json) {
    this.client = client;
    this.json = json;
  }

  /**
   * A client of the given URL.
   *
   * @param username null for no authentication
   * @param caPem PEM text of the CA to trust for HTTPS, or null for the JVM's trust store
   */
  static RestClient client(String url, String username, String password, String caPem) {
    RestClientBuilder builder = RestClient.builder(HttpHost.create(url));
    if (username != null) {
      String credentials = username + ":" + (password == null ? "" : password);
      builder.setDefaultHeaders(
          new Header[] {
            new BasicHeader(
                "Authorization",
                "Basic "
                    + Base64.getEncoder()
                        .encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
          });
    }
    if (caPem != null) {
      SSLContext ssl = TlsContexts.trusting(caPem);
      builder.setHttpClientConfigCallback(http -> http.setSSLContext(ssl));
    }
    return builder.build();
  }

  /** Makes every indexed document visible to search. */
  void refresh(String index) throws IOException {
    try {
      client.performRequest(new Request("POST", "/" + index + "/_refresh"));
    } catch (ResponseException e) {
      if (e.getResponse().getStatusLine().getStatusCode() != 404) {
        throw e;
      }
    }
  }

  /** Every document's source by id; null when the index does not exist. */
  Map<String, ObjectNode> documents(String index) throws IOException {
    Map<String, ObjectNode> documents = new LinkedHashMap<>();
    Request search = new Request("POST", "/" + index + "/_search");
    search.addParameter("scroll", KEEP_ALIVE);
    search.setJsonEntity("{\"size\":" + PAGE_SIZE + ",\"sort\":[\"_doc\"]}");
    JsonNode page;
    try {
      page = call(search);
    } catch (ResponseException e) {
      if (e.getResponse().getStatusLine().getStatusCode() == 404) {
        return null;
      }
      throw e;
    }
    String scrollId = page.path("_scroll_id").asText(null);
    try {
      while (page.path("hits").path("hits").size() > 0) {
        for (JsonNode hit : page.path("hits").path("hits")) {
          JsonNode source = hit.path("_source");
          documents.put(
              hit.path("_id").asText(),
              source.isObject() ? (ObjectNode) source : json.createObjectNode());
        }
        Request next = new Request("POST", "/_search/scroll");
        next.setJsonEntity(
            json.createObjectNode()
                .put("scroll", KEEP_ALIVE)
                .put("scroll_id", scrollId)
                .toString());
        page = call(next);
        scrollId = page.path("_scroll_id").asText(scrollId);
      }
    } finally {
      if (scrollId != null) {
        Request clear = new Request("DELETE", "/_search/scroll");
        clear.setJsonEntity(
            json.createObjectNode()
                .set("scroll_id", json.createArrayNode().add(scrollId))
                .toString());
        client.performRequest(clear);
      }
    }
    return documents;
  }

  private JsonNode call(Request request) throws IOException {
    Response response = client.performRequest(request);
    try (InputStream body = response.getEntity().getContent()) {
      return json.readTree(body);
    }
  }

  @Override
  public void close() throws IOException {
    client.close();
  }
}

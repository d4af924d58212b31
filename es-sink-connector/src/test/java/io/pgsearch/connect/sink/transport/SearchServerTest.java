package io.pgsearch.connect.sink.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.pgsearch.connect.sink.transport.SearchServer.Product;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.http.HttpHost;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.Test;

/** Which servers the sink works with, and what it says of the others. */
class SearchServerTest {

  @Test
  void elasticsearchEightAndNineAndOpenSearchTwoAndThreeAreSupported() {
    assertThat(new SearchServer(Product.ELASTICSEARCH, "8.19.21").isSupported()).isTrue();
    assertThat(new SearchServer(Product.ELASTICSEARCH, "9.2.4").isSupported()).isTrue();
    assertThat(new SearchServer(Product.OPENSEARCH, "2.19.4").isSupported()).isTrue();
    assertThat(new SearchServer(Product.OPENSEARCH, "3.4.0").isSupported()).isTrue();
  }

  @Test
  void otherVersionsAreRefusedWithWhatWouldWork() {
    assertThat(new SearchServer(Product.ELASTICSEARCH, "7.17.0").unsupportedReason())
        .hasValue(
            "Elasticsearch 7.17.0 is not supported: the sink works with Elasticsearch 8 and 9 and"
                + " OpenSearch 2 and 3");
    assertThat(new SearchServer(Product.OPENSEARCH, "1.3.20").unsupportedReason())
        .get()
        .asString()
        .startsWith("OpenSearch 1.3.20 is not supported");
    assertThat(new SearchServer(Product.ELASTICSEARCH, "10.0.0").isSupported()).isFalse();
    assertThat(new SearchServer(Product.OPENSEARCH, "garbage").isSupported()).isFalse();
  }

  @Test
  void theRootEndpointNamesOpenSearchByItsDistribution() throws IOException {
    String root =
        "{\"version\":{\"distribution\":\"opensearch\",\"number\":\"2.19.4\"},"
            + "\"tagline\":\"The OpenSearch Project: https://opensearch.org/\"}";
    assertThat(detect(Map.of("/", new Answer(200, root, false))))
        .isEqualTo(new SearchServer(Product.OPENSEARCH, "2.19.4"));
  }

  @Test
  void theRootEndpointOfElasticsearchHasNoDistribution() throws IOException {
    String root = "{\"version\":{\"number\":\"9.2.4\",\"build_flavor\":\"default\"}}";
    assertThat(detect(Map.of("/", new Answer(200, root, true))))
        .isEqualTo(new SearchServer(Product.ELASTICSEARCH, "9.2.4"));
  }

  /** Elasticsearch's minimal distribution has no root endpoint; a user may not be allowed it. */
  @Test
  void withoutTheRootEndpointTheNodeVersionAndTheProductHeaderTell() throws IOException {
    String nodes = "{\"nodes\":{\"abc\":{\"version\":\"8.19.21\"}}}";
    assertThat(
            detect(
                Map.of(
                    "/", new Answer(400, "{\"error\":\"no handler\"}", true),
                    "/_nodes/_local", new Answer(200, nodes, true))))
        .isEqualTo(new SearchServer(Product.ELASTICSEARCH, "8.19.21"));
    assertThat(
            detect(
                Map.of(
                    "/", new Answer(403, "{}", false),
                    "/_nodes/_local", new Answer(200, nodes.replace("8.19.21", "3.4.0"), false))))
        .isEqualTo(new SearchServer(Product.OPENSEARCH, "3.4.0"));
  }

  private record Answer(int status, String body, boolean elasticHeader) {}

  /** Asks a fake server that answers each path as given (404 for any other). */
  private static SearchServer detect(Map<String, Answer> answers) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          Answer answer =
              answers.getOrDefault(
                  exchange.getRequestURI().getPath(), new Answer(404, "{}", false));
          if (answer.elasticHeader()) {
            exchange.getResponseHeaders().add(SearchServer.ELASTIC_PRODUCT_HEADER, "Elasticsearch");
          }
          byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(answer.status(), body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    try (RestClient client =
        RestClient.builder(new HttpHost("127.0.0.1", server.getAddress().getPort())).build()) {
      return SearchServer.detect(client);
    } finally {
      server.stop(0);
    }
  }
}

package io.pgsearch.connect.sink.transport;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgsearch.connect.sink.config.ConnectionConfigs;
import io.pgsearch.connect.sink.config.SinkConfig;
import io.pgsearch.connect.sink.document.DocumentJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import org.apache.http.Header;
import org.apache.http.HttpEntity;
import org.apache.http.HttpHost;
import org.apache.http.conn.ssl.NoopHostnameVerifier;
import org.apache.http.entity.ContentType;
import org.apache.http.message.BasicHeader;
import org.apache.http.nio.entity.NByteArrayEntity;
import org.apache.http.util.EntityUtils;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.ResponseListener;
import org.elasticsearch.client.RestClient;
import org.elasticsearch.client.RestClientBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink's one way to the search server, the same for Elasticsearch 8 and 9 and OpenSearch 2 and
 * 3: the low-level REST client (plain HTTP, no product check) with URLs, basic auth or an API key,
 * TLS trust and timeouts from the configuration, and JSON read and written with Jackson. The APIs
 * the sink uses (bulk with external versions, index creation and mappings, scroll) are the same on
 * all four. Bulk bodies are sent with a {@code Content-Length}, which costs the server less than a
 * chunked body. One instance per task; close it to release its connections.
 */
public final class SearchClient implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SearchClient.class);
  private static final ContentType NDJSON = ContentType.create("application/x-ndjson");

  private final RestClient rest;

  public SearchClient(SinkConfig config) {
    this.rest = restClient(config);
  }

  /** The low-level client, for plain requests such as the connectivity check. */
  public RestClient rest() {
    return rest;
  }

  /**
   * Sends a request with an optional JSON body and returns the JSON it answered (a missing node
   * when it answered no body).
   *
   * @throws SearchServerException when the server answered an error status
   * @throws IOException when it could not be reached or its answer not read
   */
  public JsonNode send(String method, String path, JsonNode body) throws IOException {
    Request request = new Request(method, path);
    if (body != null) {
      request.setEntity(
          new NByteArrayEntity(
              DocumentJson.JSON.writeValueAsBytes(body), ContentType.APPLICATION_JSON));
    }
    try {
      return json(rest.performRequest(request).getEntity());
    } catch (ResponseException e) {
      throw error(method + " " + path, e.getResponse());
    }
  }

  /** Whether {@code HEAD path} finds something (an index or alias): true for 200, false for 404. */
  public boolean exists(String path) throws IOException {
    int status;
    try {
      status = rest.performRequest(new Request("HEAD", path)).getStatusLine().getStatusCode();
    } catch (ResponseException e) {
      status = e.getResponse().getStatusLine().getStatusCode();
    }
    if (status == 404) {
      return false;
    }
    if (status / 100 != 2) {
      throw new SearchServerException("HEAD " + path, status, null, null);
    }
    return true;
  }

  /**
   * Sends one bulk request of NDJSON and completes with its items in request order, or
   * exceptionally: with a {@link SearchServerException} when the server refused the whole request
   * (413 too large, 429, 5xx), with an {@link IOException} when it could not be reached.
   */
  public CompletableFuture<List<BulkItem>> bulk(byte[] ndjson) {
    Request request = new Request("POST", "/_bulk");
    request.setEntity(new NByteArrayEntity(ndjson, NDJSON));
    CompletableFuture<List<BulkItem>> result = new CompletableFuture<>();
    rest.performRequestAsync(
        request,
        new ResponseListener() {
          @Override
          public void onSuccess(Response response) {
            try (InputStream body = response.getEntity().getContent()) {
              result.complete(BulkItems.parse(body));
            } catch (IOException | RuntimeException e) {
              result.completeExceptionally(e);
            }
          }

          @Override
          public void onFailure(Exception exception) {
            result.completeExceptionally(
                exception instanceof ResponseException e
                    ? error("POST /_bulk", e.getResponse())
                    : exception);
          }
        });
    return result;
  }

  /** An index or alias name as one path segment, encoded. */
  public static String segment(String name) {
    return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Several names as one path segment ({@code a,b}), each encoded. */
  public static String segment(List<String> names) {
    return String.join(",", names.stream().map(SearchClient::segment).toList());
  }

  /** The JSON of a response body, or a missing node when there is none. */
  static JsonNode json(HttpEntity entity) throws IOException {
    if (entity == null) {
      return DocumentJson.JSON.missingNode();
    }
    try (InputStream body = entity.getContent()) {
      JsonNode node = DocumentJson.JSON.readTree(body);
      return node == null ? DocumentJson.JSON.missingNode() : node;
    }
  }

  /** The error an error response describes: {@code {"error": {"type", "reason"}, "status"}}. */
  static SearchServerException error(String request, Response response) {
    int status = response.getStatusLine().getStatusCode();
    String type = null;
    String reason = null;
    try {
      byte[] body =
          response.getEntity() == null
              ? new byte[0]
              : EntityUtils.toByteArray(response.getEntity());
      JsonNode error = body.length == 0 ? null : DocumentJson.JSON.readTree(body).get("error");
      if (error != null && error.isObject()) {
        type = error.path("type").asText(null);
        reason = error.path("reason").asText(null);
      } else if (error != null && error.isTextual()) {
        reason = error.asText();
      }
    } catch (IOException | RuntimeException e) {
      // not JSON: the status alone tells
    }
    return new SearchServerException(request, status, type, reason);
  }

  public static RestClient restClient(SinkConfig config) {
    List<String> urls = config.urls();
    HttpHost[] hosts = urls.stream().map(HttpHost::create).toArray(HttpHost[]::new);
    RestClientBuilder builder = RestClient.builder(hosts);
    Header authorization = authorization(config);
    if (authorization != null) {
      builder.setDefaultHeaders(new Header[] {authorization});
    }
    // A request waiting for a pooled connection gives up like one waiting for a response, so a
    // call on the task's thread (checking an index) can never wait for ever behind bulk requests.
    builder.setRequestConfigCallback(
        request ->
            request
                .setConnectTimeout(config.connectionTimeoutMs())
                .setSocketTimeout(config.readTimeoutMs())
                .setConnectionRequestTimeout(config.readTimeoutMs()));
    boolean https = urls.stream().anyMatch(url -> url.regionMatches(true, 0, "https:", 0, 6));
    SSLContext ssl = null;
    boolean verify = config.sslVerification();
    if (https && !verify) {
      log.warn(
          "TLS certificate verification is OFF ({}=false): any certificate is accepted, which"
              + " exposes the connection to interception. Use it for development only.",
          ConnectionConfigs.SSL_VERIFICATION);
      ssl = TlsContexts.trustingAnything();
    } else if (config.caPem() != null) {
      ssl = TlsContexts.trusting(config.caPem());
    }
    SSLContext context = ssl;
    // Room for every bulk request in flight plus the task's own calls, on each node.
    int connectionsPerNode = config.maxInFlightRequests() + 2;
    builder.setHttpClientConfigCallback(
        http -> {
          http.setMaxConnPerRoute(connectionsPerNode);
          http.setMaxConnTotal(connectionsPerNode * hosts.length);
          if (context != null) {
            http.setSSLContext(context);
          }
          if (!verify) {
            http.setSSLHostnameVerifier(NoopHostnameVerifier.INSTANCE);
          }
          return http;
        });
    return builder.build();
  }

  /** Basic auth or API key header, or null when neither is configured. */
  static Header authorization(SinkConfig config) {
    if (config.apiKey() != null && !config.apiKey().value().isBlank()) {
      return new BasicHeader("Authorization", "ApiKey " + config.apiKey().value().trim());
    }
    if (config.username() != null) {
      String password = config.password() == null ? "" : config.password().value();
      String credentials = config.username() + ":" + password;
      return new BasicHeader(
          "Authorization",
          "Basic "
              + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
    }
    return null;
  }

  @Override
  public void close() {
    try {
      rest.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

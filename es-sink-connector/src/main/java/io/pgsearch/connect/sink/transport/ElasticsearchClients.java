package io.pgsearch.connect.sink.transport;

import co.elastic.clients.elasticsearch.ElasticsearchAsyncClient;
import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import io.pgsearch.connect.sink.config.SinkConfig;
import io.pgsearch.connect.sink.document.DocumentJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.apache.http.Header;
import org.apache.http.HttpHost;
import org.apache.http.conn.ssl.NoopHostnameVerifier;
import org.apache.http.message.BasicHeader;
import org.elasticsearch.client.RestClient;
import org.elasticsearch.client.RestClientBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The official Elasticsearch client, set up from the sink's configuration: URLs, basic auth or an
 * API key, TLS trust and timeouts. One instance per task; close it to release its connections.
 */
public final class ElasticsearchClients implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ElasticsearchClients.class);

  private final RestClient rest;
  private final RestClientTransport transport;

  public ElasticsearchClients(SinkConfig config) {
    this.rest = restClient(config);
    this.transport = new RestClientTransport(rest, new JacksonJsonpMapper(DocumentJson.JSON));
  }

  public ElasticsearchClient sync() {
    return new ElasticsearchClient(transport);
  }

  public ElasticsearchAsyncClient async() {
    return new ElasticsearchAsyncClient(transport);
  }

  /** The low-level client, for plain requests such as the connectivity check. */
  public RestClient rest() {
    return rest;
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
          io.pgsearch.connect.sink.config.ConnectionConfigs.SSL_VERIFICATION);
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
      transport.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

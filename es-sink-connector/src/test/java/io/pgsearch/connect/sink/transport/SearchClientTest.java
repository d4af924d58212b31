package io.pgsearch.connect.sink.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsearch.connect.sink.config.SinkConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Authorization header. API keys cannot be created on the test distribution of Elasticsearch
 * (its security index needs a module it lacks), so the API-key header is proven here.
 */
class SearchClientTest {

  @Test
  void anApiKeyIsSentAsTheApiKeyScheme() {
    SinkConfig config =
        new SinkConfig(
            Map.of("connection.url", "https://es:9200", "connection.api.key", "aWQ6a2V5"));
    assertThat(SearchClient.authorization(config).getValue()).isEqualTo("ApiKey aWQ6a2V5");
  }

  @Test
  void aUserAndPasswordAreSentAsBasicAuth() {
    SinkConfig config =
        new SinkConfig(
            Map.of(
                "connection.url",
                "https://es:9200",
                "connection.username",
                "u",
                "connection.password",
                "p"));
    assertThat(SearchClient.authorization(config).getValue()).isEqualTo("Basic dTpw");
  }

  @Test
  void withoutCredentialsNothingIsSent() {
    assertThat(
            SearchClient.authorization(new SinkConfig(Map.of("connection.url", "http://es:9200"))))
        .isNull();
  }
}

package io.pgsearch.connect.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import java.util.List;
import java.util.Map;
import org.apache.http.HttpHost;
import org.apache.http.auth.AuthScope;
import org.apache.http.auth.UsernamePasswordCredentials;
import org.apache.http.impl.client.BasicCredentialsProvider;
import org.elasticsearch.client.RestClient;
import org.elasticsearch.client.RestClientBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Documents bulk-written with the official client are found by a search, on every ES we run. */
@ExtendWith(DevStackExtension.class)
class ElasticsearchClientIT {

  @Test
  void bulkWrittenDocumentsAreSearchableOnElasticsearch8(SearchNode elasticsearch)
      throws Exception {
    assertThat(elasticsearch.version()).startsWith("8.19.");
    assertBulkThenSearch(elasticsearch, null, null);
  }

  @Test
  void bulkWrittenDocumentsAreSearchableOnElasticsearch9(
      @ElasticsearchOptions(major = 9) SearchNode elasticsearch) throws Exception {
    assertThat(elasticsearch.version()).startsWith("9.");
    assertBulkThenSearch(elasticsearch, null, null);
  }

  @Test
  void securedNodeAcceptsTheWriterUserOverTlsWithTheGeneratedCa(
      @ElasticsearchOptions(secured = true) SearchNode elasticsearch) throws Exception {
    assertThat(elasticsearch.url()).startsWith("https://");
    assertBulkThenSearch(elasticsearch, elasticsearch.writerUser(), elasticsearch.writerPassword());
  }

  @Test
  void securedNodeRejectsAWrongPassword(
      @ElasticsearchOptions(secured = true) SearchNode elasticsearch) throws Exception {
    try (RestClient rest =
        restClient(
            elasticsearch,
            elasticsearch.writerUser(),
            Secrets.remember("wrong-es-" + System.nanoTime()))) {
      var response =
          rest.performRequest(new org.elasticsearch.client.Request("GET", "/_cluster/health"));
      throw new AssertionError("expected 401, got " + response.getStatusLine());
    } catch (org.elasticsearch.client.ResponseException e) {
      assertThat(e.getResponse().getStatusLine().getStatusCode()).isEqualTo(401);
    }
  }

  private static void assertBulkThenSearch(SearchNode node, String user, String password)
      throws Exception {
    String index = "smoke-" + System.nanoTime();
    try (RestClient rest = restClient(node, user, password);
        RestClientTransport transport = new RestClientTransport(rest, new JacksonJsonpMapper())) {
      ElasticsearchClient client = new ElasticsearchClient(transport);
      List<Map<String, Object>> docs =
          List.of(
              Map.of("id", 1, "title", "red running shoes"),
              Map.of("id", 2, "title", "blue rain jacket"),
              Map.of("id", 3, "title", "red wool hat"));
      BulkResponse bulk =
          client.bulk(
              b -> {
                b.index(index).refresh(Refresh.WaitFor);
                for (Map<String, Object> doc : docs) {
                  b.operations(op -> op.index(i -> i.id(doc.get("id").toString()).document(doc)));
                }
                return b;
              });
      assertThat(bulk.errors()).as("bulk errors").isFalse();

      @SuppressWarnings("rawtypes")
      SearchResponse<Map> found =
          client.search(
              s -> s.index(index).query(q -> q.match(m -> m.field("title").query("red"))),
              Map.class);
      assertThat(found.hits().hits()).extracting(Hit::id).containsExactlyInAnyOrder("1", "3");
    }
  }

  private static RestClient restClient(SearchNode node, String user, String password) {
    RestClientBuilder builder = RestClient.builder(HttpHost.create(node.url()));
    if (node.isSecured()) {
      BasicCredentialsProvider credentials = new BasicCredentialsProvider();
      credentials.setCredentials(AuthScope.ANY, new UsernamePasswordCredentials(user, password));
      builder.setHttpClientConfigCallback(
          http -> http.setSSLContext(node.sslContext()).setDefaultCredentialsProvider(credentials));
    }
    return builder.build();
  }
}

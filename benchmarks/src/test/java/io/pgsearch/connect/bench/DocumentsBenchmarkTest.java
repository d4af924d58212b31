package io.pgsearch.connect.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DocumentsBenchmarkTest {
  @Test
  void spreadRepeatsNoValue() {
    for (long n : new long[] {1_000, 7_919, 20_000, 100_000}) {
      Set<Long> values = new HashSet<>();
      for (long k = 0; k < n; k++) {
        long value = DocumentsBenchmark.spread(k, n);
        assertThat(value).isBetween(0L, n - 1);
        values.add(value);
      }
      assertThat(values).as(n + " values").hasSize((int) n);
    }
    assertThat(DocumentsBenchmark.spread(1, 100_000)).isNotEqualTo(1);
  }

  @Test
  void customerNamesSortAsTheirChanges() {
    assertThat(DocumentsBenchmark.customerName(7)).isEqualTo("Renamed customer 000000007");
    assertThat(DocumentsBenchmark.customerName(10))
        .isGreaterThan(DocumentsBenchmark.customerName(9));
    assertThat(DocumentsBenchmark.customerName(123)).isLessThan("Renamed customer~");
    assertThat("Customer 5").isLessThan(DocumentsBenchmark.customerName(0));
  }

  @Test
  void queriesAskForChangesFromTheWatermark() throws Exception {
    JsonNode items = Search.JSON.readTree(DocumentsBenchmark.itemQuery(12));
    assertThat(items.at("/query/nested/path").asText()).isEqualTo("items");
    assertThat(items.at("/query/nested/query/range/items.quantity/gte").asLong())
        .isEqualTo(1_000_012);
    JsonNode customers = Search.JSON.readTree(DocumentsBenchmark.customerQuery(3));
    assertThat(customers.at("/query/range/customer.full_name.keyword/gte").asText())
        .isEqualTo("Renamed customer 000000003");
    assertThat(customers.at("/_source/0").asText()).isEqualTo("customer.id");
  }

  @Test
  void tableTopicsAreTheSourcesOwnButTheDocuments() {
    assertThat(DocumentsBenchmark.TOPIC).isEqualTo("documents.public.order_documents");
    assertThat(DocumentsBenchmark.isTableTopic("documents.public.order_items")).isTrue();
    assertThat(DocumentsBenchmark.isTableTopic("documents.public.order_documents")).isFalse();
    assertThat(DocumentsBenchmark.isTableTopic("documents.public.pgsearch_signals")).isFalse();
    assertThat(DocumentsBenchmark.isTableTopic("streaming.public.items")).isFalse();
  }
}

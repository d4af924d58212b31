package io.pgsearch.connect.sink.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class IndexNamesTest {

  @Test
  void theTopicIsTheDefaultLowerCasedAndMadeValid() {
    IndexNames names = new IndexNames("${topic}", "", "", Map.of());
    assertThat(names.indexFor("Shop.Public.Orders", null, null)).isEqualTo("shop.public.orders");
    assertThat(names.indexFor("_weird:topic#1", null, null)).isEqualTo("weird_topic_1");
  }

  @Test
  void schemaAndTableComeFromHeadersOrTheTopicName() {
    IndexNames names = new IndexNames("${schema}-${table}", "pg-", "-v1", Map.of());
    assertThat(names.indexFor("shop.public.orders", null, null)).isEqualTo("pg-public-orders-v1");
    assertThat(names.indexFor("renamed", "sales", "Items")).isEqualTo("pg-sales-items-v1");
    assertThat(names.indexFor("plain", null, null)).isEqualTo("pg--plain-v1");
  }

  @Test
  void aPerTopicOverrideWins() {
    IndexNames names =
        new IndexNames("${topic}", "x-", "", Map.of("shop.public.orders", "orders-v2"));
    assertThat(names.indexFor("shop.public.orders", null, null)).isEqualTo("orders-v2");
  }

  @Test
  void longNamesAreCutAndEmptyOnesRejected() {
    assertThat(IndexNames.sanitize("a".repeat(300), "t")).hasSize(255);
    assertThatThrownBy(() -> IndexNames.sanitize("___", "t")).hasMessageContaining("topic 't'");
    assertThatThrownBy(() -> IndexNames.sanitize("..", "t")).isInstanceOf(DocumentException.class);
  }

  @Test
  void templatesMayUseOnlyKnownVariables() {
    assertThat(IndexNames.isValidTemplate("${topic}-${schema}.${table}")).isTrue();
    assertThat(IndexNames.isValidTemplate("${database}")).isFalse();
  }
}

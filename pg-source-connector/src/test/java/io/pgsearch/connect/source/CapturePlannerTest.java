package io.pgsearch.connect.source;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CapturePlannerTest {
  @Test
  void pgsearchConnectorStateIsNotData() {
    assertThat(CapturePlanner.isConnectorState(new TableName("public", "pgsearch_shop_signal")))
        .isTrue();
    assertThat(CapturePlanner.isConnectorState(new TableName("public", "pgsearch_shop_tables")))
        .isTrue();
    assertThat(CapturePlanner.isConnectorState(new TableName("public", "tables"))).isFalse();
    assertThat(CapturePlanner.isConnectorState(new TableName("public", "pgsearch_results")))
        .isFalse();
    assertThat(CapturePlanner.isConnectorState(new TableName("public", "signal"))).isFalse();
  }
}

package io.pgsearch.connect.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgsearch.connect.source.CapturePlan.CapturedTable;
import io.pgsearch.connect.source.PostgresCatalog.TableInfo;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class IncrementalLoadTest {
  private static CapturedTable table(String name, String filter) {
    return new CapturedTable(
        new TableInfo(
            new TableName("public", name), List.of("id"), List.of("id"), 'd', List.of(), true),
        filter,
        false);
  }

  @Test
  void eachAttemptSignalsEveryTableInOrderWithIdsOfItsOwn() {
    Map<String, String> config = new HashMap<>();
    IncrementalLoad.writeTo(config, List.of(table("orders", "total > 0"), table("items", null)));
    List<NewTableSnapshots.Entry> first =
        IncrementalLoad.signals(config::get, Instant.parse("2026-11-26T14:05:06.789Z"));
    assertThat(first)
        .containsExactly(
            new NewTableSnapshots.Entry(
                "public.orders", "pgsearch-load-20261126140506789-0", "total > 0"),
            new NewTableSnapshots.Entry("public.items", "pgsearch-load-20261126140506789-1", null));
    assertThat(first).allSatisfy(e -> assertThat(e.signalId()).hasSizeLessThanOrEqualTo(64));
    assertThat(IncrementalLoad.signals(config::get, Instant.parse("2026-11-26T14:07:00Z")))
        .extracting(NewTableSnapshots.Entry::signalId)
        .as("a later attempt (nothing was committed) does not collide with the first")
        .containsExactly("pgsearch-load-20261126140700000-0", "pgsearch-load-20261126140700000-1");
  }

  @Test
  void theSignalIsAnIncrementalSnapshotWithTheRowFilterAsItsCondition() {
    assertThat(
            NewTableSnapshots.data(
                new NewTableSnapshots.Entry("public.orders", "pgsearch-load-1-0", "total > 0")))
        .isEqualTo(
            "{\"type\":\"incremental\",\"data-collections\":[\"public.orders\"],"
                + "\"additional-conditions\":[{\"data-collection\":\"public.orders\","
                + "\"filter\":\"total > 0\"}]}");
  }

  @Test
  void aTaskConfigWithoutTheLoadIsNotConfigured() {
    assertThat(IncrementalLoad.configured(key -> null)).isFalse();
    Map<String, String> config = new HashMap<>();
    IncrementalLoad.writeTo(config, List.of());
    assertThat(IncrementalLoad.configured(config::get)).as("no table: nothing to load").isTrue();
    assertThat(IncrementalLoad.signals(config::get, Instant.EPOCH)).isEmpty();
  }

  @Test
  void theOptionParsesItsValuesWhateverTheCaseAndNamesTheValidOnes() {
    assertThat(InitialLoad.parse("initial.load", " Incremental "))
        .isEqualTo(InitialLoad.INCREMENTAL);
    assertThat(InitialLoad.parse("initial.load", "blocking")).isEqualTo(InitialLoad.BLOCKING);
    assertThat(InitialLoad.INCREMENTAL).hasToString("incremental");
    assertThatThrownBy(() -> InitialLoad.parse("initial.load", "chunked"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("initial.load")
        .hasMessageContaining("blocking, incremental");
    assertThat(new PostgresSourceConfig(SourceConfigValidationTest.validBase()).initialLoad())
        .as("the default")
        .isEqualTo(InitialLoad.BLOCKING);
  }
}

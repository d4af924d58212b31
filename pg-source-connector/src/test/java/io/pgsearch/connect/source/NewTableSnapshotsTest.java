package io.pgsearch.connect.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NewTableSnapshotsTest {
  @Test
  void requestsTravelThroughTheTaskConfigInOrder() {
    Map<TableName, NewTableSnapshots.Request> requests = new LinkedHashMap<>();
    requests.put(
        new TableName("public", "reviews"),
        new NewTableSnapshots.Request("pgsearch-new-table-7", null));
    requests.put(
        new TableName("crm", "a,b;c=d"),
        new NewTableSnapshots.Request("pgsearch-new-table-9", "stars > 3"));
    Map<String, String> config = new HashMap<>();
    NewTableSnapshots.writeTo(config, requests);

    assertThat(NewTableSnapshots.readFrom(config::get))
        .containsExactly(
            new NewTableSnapshots.Entry("public.reviews", "pgsearch-new-table-7", null),
            new NewTableSnapshots.Entry("crm.a,b;c=d", "pgsearch-new-table-9", "stars > 3"));
  }

  @Test
  void noRequestsNoSignals() {
    Map<String, String> config = new HashMap<>();
    NewTableSnapshots.writeTo(config, Map.of());
    assertThat(NewTableSnapshots.readFrom(config::get)).isEmpty();
    assertThat(NewTableSnapshots.readFrom(key -> null)).as("a task config of before").isEmpty();
  }

  @Test
  void theSignalIsAnIncrementalSnapshotOfTheTableWithItsRowFilter() {
    assertThat(NewTableSnapshots.data(new NewTableSnapshots.Entry("public.reviews", "s", null)))
        .isEqualTo(
            "{\"type\":\"incremental\",\"data-collections\":[\"public.reviews\"],"
                + "\"additional-conditions\":[]}");
    assertThat(
            NewTableSnapshots.data(
                new NewTableSnapshots.Entry("public.reviews", "s", "body <> 'x\"y'")))
        .isEqualTo(
            "{\"type\":\"incremental\",\"data-collections\":[\"public.reviews\"],"
                + "\"additional-conditions\":[{\"data-collection\":\"public.reviews\","
                + "\"filter\":\"body <> 'x\\\"y'\"}]}");
  }
}

package io.pgsearch.connect.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RowFilterChangesTest {
  private static final TableName PRODUCTS = new TableName("public", "products");
  private static final TableName ORDERS = new TableName("public", "orders");
  private static final TableName REVIEWS = new TableName("public", "reviews");

  @Test
  void onlyTablesInBothPublicationsWhoseFilterChangedAreChanges() {
    Map<TableName, String> before = new HashMap<>();
    before.put(PRODUCTS, "(in_stock = true)");
    before.put(ORDERS, null);
    Map<TableName, String> after = new HashMap<>();
    after.put(PRODUCTS, "(in_stock = true)");
    after.put(ORDERS, "(id > 10)");
    after.put(REVIEWS, "(stars > 3)"); // new: snapshotted as a new table, not here

    assertThat(RowFilterChanges.between(before, after))
        .containsExactly(new RowFilterChanges.Change(ORDERS, null, "(id > 10)"));
  }

  @Test
  void everyRowOutsideTheNewFilterLeavesAndOnlyRowsNewlyInsideEnter() {
    RowFilterChanges.Change changed = new RowFilterChanges.Change(PRODUCTS, "(a)", "(b)");
    assertThat(changed.exitCondition())
        .isEqualTo(RowFilterChanges.EXIT_MARKER + " (((b)) IS NOT TRUE)");
    assertThat(changed.enterCondition()).isEqualTo("(((b)) IS TRUE AND ((a)) IS NOT TRUE)");

    RowFilterChanges.Change added = new RowFilterChanges.Change(PRODUCTS, null, "(b)");
    assertThat(added.exitCondition()).isNotNull();
    assertThat(added.enterCondition()).as("every row was in").isNull();

    RowFilterChanges.Change removed = new RowFilterChanges.Change(PRODUCTS, "(a)", null);
    assertThat(removed.exitCondition()).as("every row is in").isNull();
    assertThat(removed.enterCondition()).isEqualTo("(((a)) IS NOT TRUE)");
  }

  @Test
  void leavingRowsAreSignalledBeforeEnteringOnesAsIncrementalSnapshotsOfTheTable() {
    List<String[]> signals =
        RowFilterChanges.signals(new RowFilterChanges.Change(PRODUCTS, "(a)", "(b)"));

    assertThat(signals).hasSize(2);
    assertThat(signals.get(0)[0]).startsWith("pgsearch-filter-").isNotEqualTo(signals.get(1)[0]);
    assertThat(signals.get(0)[1])
        .contains("\"type\":\"incremental\"")
        .contains("\"data-collections\":[\"public.products\"]")
        .contains("pgsearch:filter-exit");
    assertThat(signals.get(1)[1]).doesNotContain("pgsearch:filter-exit");
  }
}

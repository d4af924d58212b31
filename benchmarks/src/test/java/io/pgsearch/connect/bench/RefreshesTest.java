package io.pgsearch.connect.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RefreshesTest {
  @Test
  void readsTheSearchableRefreshesOfThePrimaries() {
    Refreshes refreshes =
        Refreshes.parse(
            "{\"_all\":{\"primaries\":{\"refresh\":"
                + "{\"external_total\":62,\"external_total_time_in_millis\":1891}}}}");

    assertEquals(new Refreshes(62, 1891), refreshes);
  }

  @Test
  void meanIsTheTimeOfTheRefreshesBetweenTwoReadings() {
    Refreshes during = new Refreshes(72, 2431).since(new Refreshes(12, 31));

    assertEquals(new Refreshes(60, 2400), during);
    assertEquals(40.0, during.meanMs());
    assertTrue(Double.isNaN(new Refreshes(5, 9).since(new Refreshes(5, 9)).meanMs()));
  }

  @Test
  void statsWithoutRefreshesAreAnError() {
    assertThrows(IllegalStateException.class, () -> Refreshes.parse("{\"_all\":{}}"));
  }
}

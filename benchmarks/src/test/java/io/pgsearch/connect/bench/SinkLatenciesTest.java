package io.pgsearch.connect.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SinkLatenciesTest {
  private static final long[] BOUNDS = {50, 100, 150};

  @Test
  void percentilesAreTheBoundsOfTheBucketsThatHoldThemBetweenTwoReadings() {
    SinkLatencies.Reading before = new SinkLatencies.Reading(BOUNDS, new long[] {5, 0, 0, 0});
    SinkLatencies.Reading after = new SinkLatencies.Reading(BOUNDS, new long[] {55, 40, 9, 1});
    SinkLatencies.Reading between = after.since(before);

    assertEquals(100, between.total());
    assertEquals(50, between.percentileBoundMs(50));
    assertEquals(100, between.percentileBoundMs(90));
    assertEquals(150, between.percentileBoundMs(99));
    assertEquals(Double.NaN, between.percentileBoundMs(100), "above every bound");
    assertEquals(Double.NaN, before.since(before).percentileBoundMs(50), "no latencies");
  }
}

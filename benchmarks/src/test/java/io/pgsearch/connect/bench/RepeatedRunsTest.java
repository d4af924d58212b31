package io.pgsearch.connect.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RepeatedRunsTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void rateCountsOnlyTheDocumentsAppliedBetweenTheFirstAndTheLastPoll() {
    AppliedClock.Run run =
        new AppliedClock.Run(
            10 * SECOND, 2_000, 12 * SECOND, 22_000, new AppliedClock.Applied(22_100, 11, 0));
    assertEquals(10_000, run.rate(), 1e-9);
    RepeatedRuns row = new RepeatedRuns();
    row.add(run, Double.NaN, sample(0, Map.of()), sample(0, Map.of()));
    assertEquals(22_100 / 11.0, row.documentsPerBulk(), 1e-9); // indexed twice counts twice
  }

  @Test
  void parsesThePrimariesStats() {
    String stats =
        "{\"_all\":{\"primaries\":{\"indexing\":{\"index_total\":500},"
            + "\"bulk\":{\"total_operations\":3,\"total_size_in_bytes\":3072}}}}";
    assertEquals(new AppliedClock.Applied(500, 3, 3072), AppliedClock.parse(stats));
    assertEquals(AppliedClock.Applied.NONE, AppliedClock.parse("{}"));
  }

  @Test
  void medianRateBulksAndCpuOverAllRuns() {
    RepeatedRuns row = new RepeatedRuns();
    row.add(run(1_000, 2), 1.5, sample(0, 100), sample(1_000, 150));
    row.add(run(3_000, 2), 0.5, sample(5_000, 150), sample(5_500, 200)); // not the time between
    row.add(run(2_000, 6), 1.0, sample(6_000, 200), sample(6_500, 300));

    assertEquals(2_000, row.medianRate(), 1e-9);
    assertEquals(1.0, row.medianStartupSeconds(), 1e-9);
    assertEquals("1,000 / 3,000 / 2,000", row.rates());
    assertEquals(3_000.0 / 10, row.documentsPerBulk(), 1e-9); // 3,000 documents in 10 bulks
    assertEquals(200.0 * 1_000 / 3_000, row.cpuPerThousand().get("worker"), 1e-9);
    assertEquals(200.0 / 2_000, row.coresBusy().get("worker"), 1e-9); // 200 ms in 2 s of runs
  }

  @Test
  void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
    assertEquals(2.5, RepeatedRuns.median(List.of(4.0, 1.0, 3.0, 2.0)), 1e-9);
    assertEquals(Double.NaN, RepeatedRuns.median(List.of(Double.NaN)));
  }

  private static ProcessCpu.Sample sample(double wallMillis, Map<String, Double> cpuMillis) {
    return new ProcessCpu.Sample(wallMillis, cpuMillis);
  }

  private static ProcessCpu.Sample sample(double wallMillis, double workerMillis) {
    return sample(wallMillis, Map.of("worker", workerMillis));
  }

  /** 1,000 documents applied at {@code rate} documents per second, in {@code bulks} bulks. */
  private static AppliedClock.Run run(double rate, long bulks) {
    long nanos = Math.round(1_000 / rate * SECOND);
    return new AppliedClock.Run(0, 0, nanos, 1_000, new AppliedClock.Applied(1_000, bulks, 0));
  }
}

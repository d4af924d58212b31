package io.pgsearch.connect.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One row of the benchmark measured several times, alternating with the other rows so that a slow
 * spell of the machine hits every row alike: the median rate, and the CPU and bulks of all runs.
 */
final class RepeatedRuns {
  private final List<AppliedClock.Run> runs = new ArrayList<>();
  private final List<Double> startups = new ArrayList<>();
  private final Map<String, Double> cpuMillis = new LinkedHashMap<>();
  private double wallMillis;
  private long documents;

  /**
   * Adds a run with the CPU samples taken around it.
   *
   * @param startupSeconds the time before its first document was applied, or NaN if not timed
   */
  void add(
      AppliedClock.Run run,
      double startupSeconds,
      ProcessCpu.Sample cpuBefore,
      ProcessCpu.Sample cpuAfter) {
    runs.add(run);
    startups.add(startupSeconds);
    documents += run.documents();
    wallMillis += cpuAfter.wallMillis() - cpuBefore.wallMillis();
    cpuAfter
        .cpuMillis()
        .forEach(
            (component, millis) ->
                cpuMillis.merge(
                    component,
                    millis - cpuBefore.cpuMillis().getOrDefault(component, 0.0),
                    Double::sum));
  }

  double medianRate() {
    return median(runs.stream().map(AppliedClock.Run::rate).toList());
  }

  double medianStartupSeconds() {
    return median(startups);
  }

  /** The rates of the runs in the order they ran, e.g. {@code 19,811 / 20,120 / 19,540}. */
  String rates() {
    return runs.stream()
        .map(run -> String.format(Locale.ROOT, "%,.0f", run.rate()))
        .collect(Collectors.joining(" / "));
  }

  /** Documents per bulk request over all runs (a document indexed twice counts twice). */
  double documentsPerBulk() {
    return perBulk(runs.stream().mapToLong(run -> run.end().documents()).sum());
  }

  /** Kilobytes per bulk request over all runs. */
  double kilobytesPerBulk() {
    return perBulk(runs.stream().mapToLong(run -> run.end().bulkBytes()).sum()) / 1024.0;
  }

  private double perBulk(long total) {
    long bulks = runs.stream().mapToLong(run -> run.end().bulks()).sum();
    return bulks == 0 ? Double.NaN : (double) total / bulks;
  }

  /** CPU milliseconds per 1,000 documents of each component over all runs. */
  Map<String, Double> cpuPerThousand() {
    return ProcessCpu.perThousand(Map.of(), cpuMillis, documents); // the totals are differences
  }

  /** The cores each component kept busy over all runs (from the samples around each run). */
  Map<String, Double> coresBusy() {
    return ProcessCpu.coresBusy(Map.of(), cpuMillis, wallMillis);
  }

  static double median(List<Double> values) {
    List<Double> sorted = values.stream().filter(v -> !Double.isNaN(v)).sorted().toList();
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    int middle = sorted.size() / 2;
    return sorted.size() % 2 == 1
        ? sorted.get(middle)
        : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
  }
}

package io.pgsearch.connect.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * CPU time of each component of a run, read from {@code /proc}: a process's user and system time,
 * with its live descendants' and the time of the children it reaped (PostgreSQL's backends come and
 * go). The figure that stays steady on a noisy machine: milliseconds of CPU per 1,000 documents,
 * per component, shows which one is the limit.
 */
final class ProcessCpu {
  /** Linux's clock ticks per second for {@code /proc/<pid>/stat} times (USER_HZ). */
  private static final double TICKS_PER_SECOND = 100;

  private final Map<String, Supplier<Double>> components = new LinkedHashMap<>();

  /** Adds a component: the processes it is made of (their descendants count too). */
  ProcessCpu add(String name, Supplier<List<ProcessHandle>> roots) {
    return addMillis(name, () -> millis(roots.get()));
  }

  /**
   * Adds a component that is one process alone: neither its descendants (components of their own,
   * such as the servers the benchmark's JVM starts) nor its reaped children count.
   */
  ProcessCpu addAlone(String name, ProcessHandle process) {
    return addMillis(name, () -> ticks(process.pid(), false) * 1_000 / TICKS_PER_SECOND);
  }

  /**
   * Adds a component by its CPU milliseconds so far, read from {@code /proc} or elsewhere: a part
   * of another component's time, such as the worker's collector's.
   */
  ProcessCpu addMillis(String name, Supplier<Double> millis) {
    components.put(name, millis);
    return this;
  }

  /**
   * CPU milliseconds used so far by each component, and when they were read.
   *
   * @param wallMillis a monotonic clock in milliseconds, for the time between two samples
   * @param cpuMillis each component's CPU milliseconds so far
   */
  record Sample(double wallMillis, Map<String, Double> cpuMillis) {}

  /** The CPU milliseconds used so far by each component, with the time they were read. */
  Sample sample() {
    Map<String, Double> sample = new LinkedHashMap<>();
    components.forEach((name, millis) -> sample.put(name, millis.get()));
    return new Sample(System.nanoTime() / 1e6, sample);
  }

  /** CPU milliseconds per 1,000 documents of each component between two samples. */
  static Map<String, Double> perThousand(Sample before, Sample after, long documents) {
    return perThousand(before.cpuMillis(), after.cpuMillis(), documents);
  }

  /** CPU milliseconds per 1,000 documents of each component between two readings. */
  static Map<String, Double> perThousand(
      Map<String, Double> before, Map<String, Double> after, long documents) {
    return between(before, after, 1_000.0 / documents);
  }

  /**
   * The cores each component kept busy between two samples: its CPU time over the time between
   * them. Elasticsearch has a core of its own, so its 1.0 is its limit; the other components share
   * the rest.
   */
  static Map<String, Double> coresBusy(Sample before, Sample after) {
    return coresBusy(
        before.cpuMillis(), after.cpuMillis(), after.wallMillis() - before.wallMillis());
  }

  /** The cores each component kept busy in {@code wallMillis}. */
  static Map<String, Double> coresBusy(
      Map<String, Double> before, Map<String, Double> after, double wallMillis) {
    return between(before, after, 1.0 / wallMillis);
  }

  private static Map<String, Double> between(
      Map<String, Double> before, Map<String, Double> after, double scale) {
    Map<String, Double> per = new LinkedHashMap<>();
    after.forEach(
        (name, millis) -> per.put(name, (millis - before.getOrDefault(name, 0.0)) * scale));
    return per;
  }

  /** The main PostgreSQL processes of this machine (postmasters), for a run with one server. */
  static List<ProcessHandle> postmasters() {
    List<ProcessHandle> found = new ArrayList<>();
    ProcessHandle.allProcesses()
        .filter(ProcessCpu::isPostgres)
        .filter(p -> p.parent().map(parent -> !isPostgres(parent)).orElse(true))
        .forEach(found::add);
    return found;
  }

  private static boolean isPostgres(ProcessHandle process) {
    return process.info().command().map(c -> c.endsWith("/bin/postgres")).orElse(false);
  }

  private static double millis(List<ProcessHandle> roots) {
    double ticks = 0;
    for (ProcessHandle root : roots) {
      ticks += ticks(root.pid(), true);
      for (ProcessHandle descendant : root.descendants().toList()) {
        ticks += ticks(descendant.pid(), false);
      }
    }
    return ticks * 1_000 / TICKS_PER_SECOND;
  }

  /** utime + stime, and for a root cutime + cstime (its reaped children); 0 once gone. */
  static double ticks(long pid, boolean withReaped) {
    try {
      return ticks(Files.readString(Path.of("/proc", Long.toString(pid), "stat")), withReaped);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** The fields after the command (which may hold spaces and parentheses): from state on. */
  static double ticks(String stat, boolean withReaped) {
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // fields[0] is field 3 (state): utime is field 14, stime 15, cutime 16, cstime 17
    double ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    if (withReaped) {
      ticks += Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
    }
    return ticks;
  }
}

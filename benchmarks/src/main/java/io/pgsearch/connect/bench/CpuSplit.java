package io.pgsearch.connect.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Gives Elasticsearch cores of its own, as it has in production (its own nodes), so that the
 * baseline and the pipeline are measured against the same Elasticsearch: cores {@code 0..n-1} for
 * Elasticsearch, the others for everything else (this JVM with the Kafka broker and the writers,
 * PostgreSQL, the Connect worker). Without it the ratios measure mostly how much CPU the pipeline
 * takes away from Elasticsearch on a small machine, which the baseline's client never does.
 *
 * <p>Uses {@code taskset} (util-linux). A process started after {@link #pinThisJvm} inherits its
 * cores; Elasticsearch is moved to its own afterwards, every thread of it.
 *
 * @param elasticsearchCores cores reserved for Elasticsearch; 0 shares every core with everything
 * @param cores the machine's cores
 */
record CpuSplit(int elasticsearchCores, int cores) {

  static CpuSplit of(int elasticsearchCores) {
    return new CpuSplit(elasticsearchCores, MachineInfo.CORES);
  }

  boolean enabled() {
    return elasticsearchCores > 0;
  }

  String elasticsearchCpus() {
    return elasticsearchCores == 1 ? "0" : "0-" + (elasticsearchCores - 1);
  }

  String otherCpus() {
    return elasticsearchCores == cores - 1
        ? String.valueOf(cores - 1)
        : elasticsearchCores + "-" + (cores - 1);
  }

  /** Moves this JVM (and so everything it starts from now on) off Elasticsearch's cores. */
  void pinThisJvm() {
    if (enabled()) {
      pin(ProcessHandle.current().pid(), otherCpus());
    }
  }

  /** Moves a running Elasticsearch process, every thread, to its cores. */
  void pinElasticsearch(long pid) {
    if (enabled()) {
      pin(pid, elasticsearchCpus());
    }
  }

  /** How the run split the cores, for the report. */
  String describe() {
    if (!enabled()) {
      return "shared: every component on all " + cores + " cores (--es-cores 0)";
    }
    return "Elasticsearch on core(s) "
        + elasticsearchCpus()
        + " (taskset, node.processors "
        + elasticsearchCores
        + "); PostgreSQL, Kafka, the Connect worker and the benchmark's clients, writers and"
        + " pollers on core(s) "
        + otherCpus();
  }

  private static void pin(long pid, String cpus) {
    try {
      Process taskset =
          new ProcessBuilder("taskset", "--all-tasks", "--cpu-list", "--pid", cpus, "" + pid)
              .redirectErrorStream(true)
              .start();
      String output = new String(taskset.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!taskset.waitFor(30, TimeUnit.SECONDS) || taskset.exitValue() != 0) {
        throw new IllegalStateException(
            "taskset could not move process " + pid + " to cores " + cpus + ": " + output.strip());
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          "taskset (util-linux) is needed to give Elasticsearch its own cores; install it or run"
              + " with --es-cores 0",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while running taskset", e);
    }
  }
}

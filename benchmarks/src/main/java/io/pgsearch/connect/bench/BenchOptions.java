package io.pgsearch.connect.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The settings of one benchmark run, from the command line of {@code ./bench.sh}.
 *
 * @param events change events pre-filled into the topic for the sink benchmark (and the baseline)
 * @param rows rows of the table the snapshot benchmark captures
 * @param seconds how long the streaming writer and the freshness writer each run
 * @param rate rows per second the freshness writer commits
 * @param orders orders of the shop the document measurements build documents from
 * @param elasticsearchMajor 8 or 9
 * @param elasticsearchHeapMb the heap of the Elasticsearch node
 * @param workerHeapMb the heap limit (-Xmx) of the Connect worker JVM
 * @param elasticsearchCores cores given to Elasticsearch alone (0: every core shared)
 * @param root the repository root
 * @param workDir where the components keep their files
 * @param output where the JSON and Markdown reports go (docs/benchmarks.md is the default run's)
 * @param stages the measurements to run: sink (with the baseline), snapshot, streaming, freshness,
 *     documents
 * @param sourceOverrides settings put into every pg-source connector config, for experiments
 * @param sinkOverrides settings put into every es-sink connector config, for experiments
 */
public record BenchOptions(
    int events,
    int rows,
    int seconds,
    int rate,
    int orders,
    int elasticsearchMajor,
    int elasticsearchHeapMb,
    int workerHeapMb,
    int elasticsearchCores,
    Path root,
    Path workDir,
    Path output,
    Set<String> stages,
    Map<String, String> sourceOverrides,
    Map<String, String> sinkOverrides,
    boolean exporter) {

  static final List<String> STAGES =
      List.of("sink", "snapshot", "streaming", "freshness", "documents");

  static final int DEFAULT_EVENTS = 200_000;
  static final int LARGE = 1_000_000;
  static final int HUGE = 10_000_000;

  /** The source's topic setting that lets a topic's old segments go. */
  static final String TOPIC_RETENTION_BYTES = "topic.creation.default.retention.bytes";

  /**
   * What {@code --huge} puts into the source's topic config (a {@code --source} wins): a 10M-row
   * table's topic of Debezium envelopes with their schemas is about 3.4 GB with the shipped LZ4 and
   * 48 GB without (a {@code --source} that turns compression off); the sink reads it as it is
   * written, so segments older than 4 GiB per partition can go.
   */
  static final Map<String, String> HUGE_TOPIC =
      Map.of(
          TOPIC_RETENTION_BYTES, "4294967296", "topic.creation.default.segment.bytes", "268435456");

  static final int DEFAULT_ORDERS = 100_000;

  static final String USAGE =
      String.join(
          "\n",
          "Usage: ./bench.sh [--large|--huge] [--events N] [--rows N] [--seconds N] [--rate N]"
              + " [--orders N]",
          "                  [--es 8|9] [--es-heap MB] [--worker-heap MB] [--es-cores N]",
          "                  [--workdir DIR]",
          "                  [--output FILE]",
          "                  [--only LIST] [--source K=V]... [--sink K=V]... [--no-build]",
          "",
          "  --large          1,000,000 events and rows (default 200,000 each)",
          "  --huge           the snapshot alone of 10,000,000 rows, without the exporter; the"
              + " topic keeps 4 GiB per partition; report docs/benchmarks-huge.md",
          "  --events N       change events in the topic for the sink benchmark",
          "  --rows N         rows of the table for the snapshot benchmark",
          "  --seconds N      duration of the streaming, freshness and child-change writers"
              + " (default 60)",
          "  --rate N         rows per second of the freshness writer (default 1000)",
          "  --orders N       orders (with about 3 items each) of the document measurements"
              + " (default 100,000; --large leaves it)",
          "  --es 8|9         Elasticsearch major version (default 8; 9 needs a JDK 21 or newer)",
          "  --es-heap MB     Elasticsearch heap (default 1024)",
          "  --worker-heap MB Connect worker heap limit, -Xmx (default 512)",
          "  --es-cores N     cores for Elasticsearch alone, the rest for everything else"
              + " (default half of them; 0 shares every core)",
          "  --workdir DIR    component files and logs (default target/bench-run; emptied)",
          "  --output FILE    the Markdown report (default docs/benchmarks.md; JSON beside it)",
          "  --only LIST      run only these of sink,snapshot,streaming,freshness,documents (the"
              + " baseline runs with sink)",
          "  --source K=V     put K=V into every pg-source config (repeatable; for tuning)",
          "  --sink K=V       put K=V into every es-sink config (repeatable; for tuning)",
          "  --no-build       skip ./mvnw install -DskipTests");

  /** Thrown for a command line that cannot be run; its message says why. */
  static final class UsageException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message + "\n" + USAGE);
    }
  }

  static BenchOptions parse(String... args) {
    int events = DEFAULT_EVENTS;
    int rows = DEFAULT_EVENTS;
    int seconds = 60;
    int rate = 1_000;
    int orders = DEFAULT_ORDERS;
    int es = 8;
    int esHeap = 1024;
    int workerHeap = 512;
    int cores = MachineInfo.CORES;
    int esCores = cores / 2;
    Path root = Path.of(".");
    Path workDir = null;
    Path output = null;
    Set<String> stages = new LinkedHashSet<>(STAGES);
    Map<String, String> source = new LinkedHashMap<>();
    Map<String, String> sink = new LinkedHashMap<>();
    boolean huge = false;
    List<String> rest = new ArrayList<>(List.of(args));
    while (!rest.isEmpty()) {
      String flag = rest.remove(0);
      switch (flag) {
        case "--large" -> {
          events = LARGE;
          rows = LARGE;
        }
        case "--huge" -> {
          huge = true;
          rows = HUGE;
          stages = new LinkedHashSet<>(List.of("snapshot"));
        }
        case "--events" -> events = number(flag, rest, 1_000);
        case "--rows" -> rows = number(flag, rest, 1_000);
        case "--seconds" -> seconds = number(flag, rest, 5);
        case "--rate" -> rate = number(flag, rest, 10);
        case "--orders" -> orders = number(flag, rest, 1_000);
        case "--es-heap" -> esHeap = number(flag, rest, 256);
        case "--worker-heap" -> workerHeap = number(flag, rest, 128);
        case "--es-cores" -> {
          esCores = number(flag, rest, 0);
          if (esCores >= cores) {
            throw new UsageException(
                "--es-cores must leave a core for the rest: at most "
                    + (cores - 1)
                    + " on this machine of "
                    + cores
                    + " cores, not "
                    + esCores);
          }
        }
        case "--es" -> {
          es = number(flag, rest, 1);
          if (es != 8 && es != 9) {
            throw new UsageException("--es must be 8 or 9, not " + es);
          }
        }
        case "--root" -> root = Path.of(value(flag, rest));
        case "--workdir" -> workDir = Path.of(value(flag, rest));
        case "--output" -> output = Path.of(value(flag, rest));
        case "--only" -> stages = stages(value(flag, rest));
        case "--source" -> setting(flag, value(flag, rest), source);
        case "--sink" -> setting(flag, value(flag, rest), sink);
        default -> throw new UsageException("Unknown option " + flag);
      }
    }
    root = root.toAbsolutePath().normalize();
    if (huge) {
      HUGE_TOPIC.forEach(source::putIfAbsent);
      if (output == null) {
        output = root.resolve("docs/benchmarks-huge.md");
      }
    }
    return new BenchOptions(
        events,
        rows,
        seconds,
        rate,
        orders,
        es,
        esHeap,
        workerHeap,
        esCores,
        root,
        workDir == null ? root.resolve("target/bench-run") : workDir.toAbsolutePath(),
        output == null ? root.resolve("docs/benchmarks.md") : output.toAbsolutePath(),
        Set.copyOf(stages),
        Map.copyOf(source),
        Map.copyOf(sink),
        !huge);
  }

  boolean runs(String stage) {
    return stages.contains(stage);
  }

  private static Set<String> stages(String list) {
    Set<String> stages = new LinkedHashSet<>();
    for (String stage : list.split(",")) {
      String name = stage.strip().toLowerCase(Locale.ROOT);
      if (!STAGES.contains(name)) {
        throw new UsageException("--only takes " + String.join(",", STAGES) + ", not " + name);
      }
      stages.add(name);
    }
    return stages;
  }

  private static void setting(String flag, String pair, Map<String, String> settings) {
    int equals = pair.indexOf('=');
    if (equals <= 0) {
      throw new UsageException(flag + " needs key=value, not '" + pair + "'");
    }
    settings.put(pair.substring(0, equals).strip(), pair.substring(equals + 1).strip());
  }

  private static String value(String flag, List<String> rest) {
    if (rest.isEmpty() || rest.get(0).startsWith("--")) {
      throw new UsageException(flag + " needs a value");
    }
    return rest.remove(0);
  }

  private static int number(String flag, List<String> rest, int minimum) {
    String text = value(flag, rest).replace("_", "").replace(",", "");
    int value;
    try {
      value = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new UsageException(flag + " needs a whole number, not '" + text + "'");
    }
    if (value < minimum) {
      throw new UsageException(
          String.format(Locale.ROOT, "%s must be at least %,d, not %,d", flag, minimum, value));
    }
    return value;
  }
}

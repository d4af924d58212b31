package io.pgsearch.connect.bench;

import io.pgsearch.connect.devstack.FileLogging;
import io.pgsearch.connect.devstack.Jdks;
import io.pgsearch.connect.devstack.Versions;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The benchmark command behind {@code ./bench.sh}: starts the dev stack's components, runs the
 * measurements against one Elasticsearch node (those of issue #7, then the documents of issue #15),
 * prints a table and writes JSON and Markdown.
 */
public final class BenchmarkRunner {
  private static final String MARKER = ".bench-run";

  private final BenchOptions options;
  private final PrintStream out;
  private ProcessCpu cpu = new ProcessCpu();

  private BenchmarkRunner(BenchOptions options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  public static void main(String[] args) {
    PrintStream out = System.out;
    if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
      out.println(BenchOptions.USAGE);
      return;
    }
    try {
      BenchOptions options = BenchOptions.parse(args);
      if ("root".equals(System.getProperty("user.name"))) {
        throw new IllegalStateException(
            "PostgreSQL and Elasticsearch refuse to run as root: run this as an ordinary user.");
      }
      new BenchmarkRunner(options, out).run();
      System.exit(0);
    } catch (BenchOptions.UsageException e) {
      System.err.println("bench: " + e.getMessage());
      System.exit(2);
    } catch (Exception | Error e) {
      System.err.println("bench: " + e);
      e.printStackTrace();
      System.exit(1);
    }
  }

  private void run() throws Exception {
    String esVersion =
        options.elasticsearchMajor() == 9 ? Versions.elasticsearch9() : Versions.elasticsearch8();
    if (options.elasticsearchMajor() == 9 && Jdks.find(21).isEmpty()) {
      throw new IllegalStateException(
          "Elasticsearch 9 needs a JDK 21 or newer: set ES_JAVA_HOME to one, or use --es 8.");
    }
    Path log = prepareWorkDir(options.workDir());
    out.println("Benchmark work directory " + options.workDir() + " (log: " + log + ")");
    String date = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    long started = System.nanoTime();
    List<Measurement> results = new ArrayList<>();
    try (BenchStack stack = BenchStack.start(options, esVersion, out);
        HeapSampler heap = new HeapSampler(stack.worker.processTree().get(0).pid())) {
      // Ctrl-C or SIGTERM must not leave Elasticsearch and the worker running without an owner.
      Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "bench-shutdown"));
      heap.reset();
      double baseline = options.runs("sink") ? sinkStage(stack, results) : Double.NaN;
      PipelineBenchmark pipeline = new PipelineBenchmark(stack, options, out);
      if (options.runs("snapshot")) {
        double snapshot = pipeline.snapshot();
        out.printf("  snapshot: %,.0f rows/s%n", snapshot);
        results.add(
            Measurement.rate(
                "snapshot",
                "3. snapshot",
                snapshot,
                "rows/s",
                baseline,
                Target.ratioAtLeast(0.7),
                "source connector creation until _count = rows"));
      }
      if (options.runs("streaming")) {
        streamingStage(pipeline, baseline, results);
      }
      if (options.runs("sink") || options.runs("snapshot") || options.runs("streaming")) {
        results.add(heapMeasurement(heap));
      }
      if (options.runs("freshness")) {
        freshnessStage(pipeline, results);
      }
      if (options.runs(DocumentsBenchmark.STAGE)) {
        documentsStage(new DocumentsBenchmark(stack, options, out).run(heap), results);
      }
      Report report =
          new Report(
              date,
              MachineInfo.describe(),
              versions(stack, esVersion),
              settings(Math.round((System.nanoTime() - started) / 1e9)),
              results);
      out.println();
      out.print(report.consoleTable());
      write(report);
    }
  }

  /**
   * Rows of CPU milliseconds per 1,000 documents of each component since {@code before}, keyed
   * {@code <key>.cpu.<component>}.
   */
  private void cpuRows(
      List<Measurement> results,
      String key,
      Map<String, Double> before,
      Map<String, Double> after,
      long documents) {
    ProcessCpu.perThousand(before, after, documents)
        .forEach(
            (component, millis) -> {
              out.printf("    CPU %s: %.1f ms per 1,000 documents%n", component, millis);
              results.add(
                  new Measurement(
                      key
                          + ".cpu."
                          + component.toLowerCase(Locale.ROOT).split(" ")[0].replace(";", ""),
                      "   CPU of " + component,
                      millis,
                      "CPU ms/1k docs",
                      null,
                      null,
                      "user + system time from /proc over the measurement"));
            });
  }

  /** The components whose CPU each measurement reports. */
  private static ProcessCpu cpu(BenchStack stack) {
    return new ProcessCpu()
        .add("Elasticsearch", () -> stack.elasticsearch.processTree().stream().limit(1).toList())
        .add("Connect worker", () -> stack.worker.processTree().stream().limit(1).toList())
        .add("PostgreSQL", ProcessCpu::postmasters)
        .add(
            "benchmark JVM (Kafka broker; the baseline's client)",
            () -> List.of(ProcessHandle.current()));
  }

  /** Measurements 1 and 2; returns the best baseline rate. */
  private double sinkStage(BenchStack stack, List<Measurement> results) throws Exception {
    cpu = cpu(stack);
    SinkBenchmark sink = new SinkBenchmark(stack, options, out);
    sink.fillTopic();
    out.println("Rendering the topic's records as the sink does, for the baseline");
    List<List<BaselineBulk.Doc>> bulks =
        BaselineBulk.bulks(sink.documents(), SinkBenchmark.BULK_DOCS, SinkBenchmark.BULK_BYTES);
    // Elasticsearch's own JIT makes whatever runs first look slow: every document once by each
    // client before anything is measured, then the two clients alternate.
    out.println("Warming Elasticsearch up (every document once by each client, not measured)");
    for (BaselineBulk.Wire wire : BaselineBulk.Wire.values()) {
      sink.baseline(bulks, 2, wire, "bench-warmup");
    }
    double best = 0;
    for (int threads : new int[] {1, 2}) {
      for (BaselineBulk.Wire wire : BaselineBulk.Wire.values()) {
        boolean chunked = wire == BaselineBulk.Wire.CHUNKED;
        boolean versioned = wire == BaselineBulk.Wire.VERSIONED;
        String suffix =
            (chunked ? ".chunked" : versioned ? ".versioned" : "") + ".threads" + threads;
        Map<String, Double> before = cpu.sample();
        double rate =
            sink.baseline(bulks, threads, wire, "bench-baseline" + suffix.replace('.', '-'));
        Map<String, Double> after = cpu.sample();
        out.printf(
            "  baseline, %s, %d client thread(s): %,.0f docs/s%n",
            wire.description(), threads, rate);
        results.add(
            new Measurement(
                "baseline" + suffix,
                "1. baseline bulk"
                    + (chunked ? " (chunked)" : versioned ? " (versioned)" : "")
                    + ", "
                    + threads
                    + " thread"
                    + (threads > 1 ? "s" : ""),
                rate,
                "docs/s",
                null,
                null,
                wire.description()
                    + ", "
                    + SinkBenchmark.BULK_DOCS
                    + "-doc bulks, one in flight per thread"));
        cpuRows(results, "baseline" + suffix, before, after, sink.documents().size());
        if (wire == BaselineBulk.Wire.CONTENT_LENGTH) {
          best = Math.max(best, rate);
        }
      }
    }
    results.add(
        new Measurement(
            "baseline",
            "1. baseline (best, Content-Length)",
            best,
            "docs/s",
            null,
            null,
            "the ratios' base: the best client there is"));
    out.println("Warming the worker up on the sink (a fifth of the events, not measured)");
    sink.warmUpSink();
    for (int tasks : new int[] {1, 2}) {
      Map<String, Double> before = cpu.sample();
      double rate = sink.sink(tasks);
      Map<String, Double> after = cpu.sample();
      out.printf("  sink, tasks.max %d: %,.0f docs/s%n", tasks, rate);
      results.add(
          Measurement.rate(
              "sink.tasks" + tasks,
              "2. sink, tasks.max " + tasks,
              rate,
              "docs/s",
              best,
              Target.ratioAtLeast(0.9),
              "connector creation until _count = events; topic of "
                  + SinkBenchmark.PARTITIONS
                  + " partitions"));
      cpuRows(results, "sink.tasks" + tasks, before, after, options.events());
    }
    return best;
  }

  private void streamingStage(
      PipelineBenchmark pipeline, double baseline, List<Measurement> results) throws Exception {
    PipelineBenchmark.Streaming streaming = pipeline.streaming();
    out.printf(
        "  streaming: %,.0f changes/s written, %,.0f/s searchable%n",
        streaming.writerRate(), streaming.searchableRate());
    results.add(
        new Measurement(
            "streaming.writer",
            "4. streaming writer",
            streaming.writerRate(),
            "changes/s",
            null,
            null,
            String.format(
                Locale.ROOT,
                "%,d changes (inserts and updates) in %d s into PostgreSQL",
                streaming.changes(),
                options.seconds())));
    results.add(
        Measurement.rate(
            "streaming",
            "4. streaming searchable",
            streaming.searchableRate(),
            "docs/s",
            baseline,
            Target.ratioAtLeast(0.6),
            String.format(
                Locale.ROOT,
                "changes applied / time from writer start until caught up (%.1f s after the"
                    + " writer stopped)",
                streaming.catchUpSeconds())));
  }

  private Measurement heapMeasurement(HeapSampler heap) {
    return new Measurement(
        "worker.heap",
        "6. worker peak heap used (2-4)",
        heap.peakUsed() / (1024.0 * 1024.0),
        "MB",
        null,
        Target.valueBelow(512, "MB"),
        String.format(
            Locale.ROOT,
            "%d samples, one per second over JMX; -Xmx%dm; largest heap after a collection %.0f MB",
            heap.samples(),
            options.workerHeapMb(),
            heap.peakAfterGc() / (1024.0 * 1024.0)));
  }

  private void freshnessStage(PipelineBenchmark pipeline, List<Measurement> results)
      throws Exception {
    PipelineBenchmark.Freshness freshness = pipeline.freshness();
    Percentiles latency = freshness.latencyMs();
    out.printf(
        "  freshness: p50 %d ms, p95 %d ms, p99 %d ms, max %d ms%n",
        latency.p50(), latency.p95(), latency.p99(), latency.max());
    String how =
        String.format(
            Locale.ROOT,
            "%,d rows at %,.0f rows/s; %d not seen",
            freshness.rows(),
            freshness.achievedRate(),
            freshness.unseen());
    results.add(
        new Measurement("freshness.p50", "5. freshness p50", latency.p50(), "ms", null, null, how));
    results.add(
        new Measurement("freshness.p95", "5. freshness p95", latency.p95(), "ms", null, null, how));
    results.add(
        new Measurement(
            "freshness.p99",
            "5. freshness p99",
            latency.p99(),
            "ms",
            null,
            Target.valueAtMost(1500, "ms"),
            how));
    results.add(
        new Measurement("freshness.max", "5. freshness max", latency.max(), "ms", null, null, how));
  }

  /** Measurements 7 to 9: documents from related tables. */
  private void documentsStage(DocumentsBenchmark.Results documents, List<Measurement> results) {
    DocumentsBenchmark.Snapshot snapshot = documents.snapshot();
    ShopTables shop = documents.shop();
    for (int threads = 1; threads <= snapshot.rawRates().length; threads++) {
      results.add(
          new Measurement(
              "documents.raw.threads" + threads,
              "7. documents raw bulk, " + threads + " thread" + (threads > 1 ? "s" : ""),
              snapshot.rawRates()[threads - 1],
              "docs/s",
              null,
              null,
              "the snapshot's documents read back from the pipeline's index, bulk-indexed like the"
                  + " baseline into an index with its mappings, once the pipeline and its index"
                  + " are gone"));
    }
    results.add(
        new Measurement(
            "documents.raw",
            "7. documents raw bulk (best)",
            snapshot.rawBest(),
            "docs/s",
            null,
            null,
            "the document snapshot's base"));
    results.add(
        Measurement.rate(
            "documents.snapshot",
            "7. document snapshot",
            snapshot.pipelineRate(),
            "docs/s",
            snapshot.rawBest(),
            null,
            String.format(
                Locale.ROOT,
                "%,d orders with %,d items, %,d customers, %,d products: source connector creation"
                    + " until _count = orders (the first counted after %.1f s); the source also"
                    + " wrote %,d rows to its tables' topics, which the sink (on the document topic"
                    + " only) does not index",
                shop.orders(),
                shop.items(),
                shop.customers(),
                shop.products(),
                snapshot.firstSeconds(),
                snapshot.tableRecords())));
    changeRows(
        results,
        "items",
        "order item",
        documents.propagation().items(),
        String.format(
            Locale.ROOT,
            "%,d updates of an item's quantity at %d/s, each in 1 order: commit until searchable"
                + " with the new quantity",
            documents.propagation().items().changes(),
            DocumentsBenchmark.ITEM_CHANGES_PER_SECOND));
    DocumentsBenchmark.Changes customers = documents.propagation().customers();
    changeRows(
        results,
        "customers",
        "customer",
        customers,
        String.format(
            Locale.ROOT,
            "%,d customer renames at %d/s, each in %,.0f orders: commit until all of them are"
                + " searchable with the new name",
            customers.changes(),
            DocumentsBenchmark.CUSTOMER_CHANGES_PER_SECOND,
            customers.documents() / (double) Math.max(1, customers.changes())));
    DocumentsBenchmark.Rename rename = documents.rename();
    results.add(
        new Measurement(
            "documents.rename",
            "9. product rename, last order searchable",
            rename.seconds(),
            "s",
            null,
            null,
            String.format(
                Locale.ROOT,
                "a product in %,d orders renamed: commit until all %,d are searchable with the new"
                    + " name (the first after %.1f s)",
                rename.orders(),
                rename.orders(),
                rename.firstSeconds())));
    results.add(
        new Measurement(
            "documents.rename.heap",
            "9. worker peak heap used (rename)",
            rename.peakHeap() / (1024.0 * 1024.0),
            "MB",
            null,
            null,
            String.format(
                Locale.ROOT,
                "%d samples over JMX (one per search, every %d ms, and one per second) from the"
                    + " commit until the last order searchable; -Xmx%dm; largest heap after a"
                    + " collection %.0f MB",
                rename.samples(),
                DocumentsBenchmark.POLL_MS,
                options.workerHeapMb(),
                rename.peakAfterGc() / (1024.0 * 1024.0))));
  }

  private static void changeRows(
      List<Measurement> results,
      String key,
      String kind,
      DocumentsBenchmark.Changes changes,
      String how) {
    String note =
        how + (changes.unseen() == 0 ? "" : "; " + changes.unseen() + " not seen in every order");
    Percentiles latency = changes.latencyMs();
    results.add(
        new Measurement(
            "documents.change." + key + ".p50",
            "8. child change p50 (" + kind + ")",
            latency == null ? Double.NaN : latency.p50(),
            "ms",
            null,
            null,
            note));
    results.add(
        new Measurement(
            "documents.change." + key + ".p99",
            "8. child change p99 (" + kind + ")",
            latency == null ? Double.NaN : latency.p99(),
            "ms",
            null,
            null,
            note));
  }

  private Map<String, String> versions(BenchStack stack, String esVersion) throws IOException {
    Properties built = new Properties();
    try (InputStream in = BenchmarkRunner.class.getResourceAsStream("versions.properties")) {
      built.load(in);
    }
    Map<String, String> versions = new LinkedHashMap<>();
    versions.put("pgsearch-connect", Versions.pgsearch());
    versions.put("Elasticsearch", esVersion + " (integ-test-zip, single node)");
    versions.put("PostgreSQL", Versions.postgres(stack.postgres.majorVersion()));
    versions.put("Kafka / Kafka Connect", built.getProperty("kafka"));
    versions.put("Debezium", built.getProperty("debezium"));
    versions.put("elasticsearch-java", built.getProperty("elasticsearch-java"));
    versions.put("PostgreSQL JDBC", built.getProperty("postgresql-jdbc"));
    return versions;
  }

  private Map<String, String> settings(long seconds) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("events (sink, baseline)", String.format(Locale.ROOT, "%,d", options.events()));
    settings.put("rows (snapshot)", String.format(Locale.ROOT, "%,d", options.rows()));
    settings.put(
        "streaming writer",
        options.seconds()
            + " s, transactions of "
            + PipelineBenchmark.INSERTS_PER_TX
            + " inserts + "
            + PipelineBenchmark.UPDATES_PER_TX
            + " updates, after "
            + PipelineBenchmark.SEED_ROWS
            + " seed rows");
    settings.put(
        "freshness writer",
        String.format(
            Locale.ROOT,
            "%,d rows/s for %d s, a commit every %d ms; search every %d ms; refresh_interval 1s",
            options.rate(),
            options.seconds(),
            PipelineBenchmark.WRITE_TICK_MS,
            PipelineBenchmark.POLL_MS));
    if (options.runs(DocumentsBenchmark.STAGE)) {
      ShopTables shop = ShopTables.of(options.orders());
      settings.put(
          "documents",
          String.format(
              Locale.ROOT,
              "connect-configs/examples/pg-source-documents.json (document.%s) and es-sink.json"
                  + " (topics.regex: the document topic only); %,d orders, 2-4 items each (%,d),"
                  + " %,d customers, %,d products; child changes %d item quantities/s + %d"
                  + " customer names/s for %d s, search every %d ms, refresh_interval 1s; product"
                  + " %d renamed in %,d orders",
              DocumentsBenchmark.DOCUMENT,
              shop.orders(),
              shop.items(),
              shop.customers(),
              shop.products(),
              DocumentsBenchmark.ITEM_CHANGES_PER_SECOND,
              DocumentsBenchmark.CUSTOMER_CHANGES_PER_SECOND,
              options.seconds(),
              DocumentsBenchmark.POLL_MS,
              ShopTables.RENAMED_PRODUCT,
              shop.ordersWithRenamedProduct()));
    }
    settings.put("CPU", CpuSplit.of(options.elasticsearchCores()).describe());
    settings.put("Elasticsearch heap", options.elasticsearchHeapMb() + " MB");
    settings.put("Connect worker heap", "-Xms256m -Xmx" + options.workerHeapMb() + "m");
    settings.put(
        "warm-up",
        "Elasticsearch: bulk of the first 20% of the documents; worker: a sink run until 20% are"
            + " indexed; neither measured");
    settings.put("baseline bulks", SinkBenchmark.BULK_DOCS + " docs / 5 MB");
    settings.put(
        "sink topic",
        SinkBenchmark.PARTITIONS
            + " partitions, filled by pg-source with"
            + " the transforms in its config");
    settings.put(
        "connector configs",
        "connect-configs/pg-source.json and es-sink.json, filled by"
            + " ConnectConfigs; name, topic.prefix, topics.regex and index.name.prefix made unique");
    settings.put(
        "progress polling", "POST _refresh + GET _count every " + Search.POLL.toMillis() + " ms");
    settings.put(
        "measurements run",
        String.join(", ", BenchOptions.STAGES.stream().filter(options::runs).toList()));
    settings.put(
        "pg-source overrides",
        options.sourceOverrides().isEmpty() ? "none" : options.sourceOverrides().toString());
    settings.put(
        "es-sink overrides",
        options.sinkOverrides().isEmpty() ? "none" : options.sinkOverrides().toString());
    settings.put("total run time", seconds + " s");
    return settings;
  }

  private void write(Report report) throws IOException {
    Path markdown = options.output();
    Path json =
        markdown.resolveSibling(
            markdown.getFileName().toString().replaceFirst("\\.md$", "") + ".json");
    Files.createDirectories(markdown.toAbsolutePath().getParent());
    String existing = Files.exists(markdown) ? Files.readString(markdown) : "# Benchmarks\n\n";
    Files.writeString(markdown, report.mergeInto(existing));
    Files.writeString(json, report.json());
    out.println();
    out.println("Written: " + markdown + " and " + json);
  }

  /** Empties the work directory (one made by a previous run only) and logs this JVM there. */
  private static Path prepareWorkDir(Path workDir) throws IOException {
    Files.createDirectories(workDir);
    Path marker = workDir.resolve(MARKER);
    try (Stream<Path> entries = Files.list(workDir)) {
      if (!Files.exists(marker) && entries.findAny().isPresent()) {
        throw new IllegalStateException(
            workDir + " is not empty and was not made by bench: give --workdir a new directory.");
      }
    }
    try (Stream<Path> tree = Files.walk(workDir)) {
      for (Path entry : tree.sorted(Comparator.reverseOrder()).toList()) {
        if (!entry.equals(workDir)) {
          Files.delete(entry);
        }
      }
    }
    Files.createFile(marker);
    return FileLogging.redirect(workDir, "bench.log");
  }
}

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
import java.util.stream.Collectors;
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
      cpu = cpu(stack, heap);
      double baseline = options.runs("sink") ? sinkStage(stack, results) : Double.NaN;
      PipelineBenchmark pipeline = new PipelineBenchmark(stack, options, out);
      double exporter = Double.NaN;
      if (options.runs("snapshot")) {
        exporter = snapshotStage(stack, pipeline, results);
      }
      if (options.runs("streaming")) {
        streamingStage(pipeline, exporter, results);
      }
      if (options.runs("sink") || options.runs("snapshot") || options.runs("streaming")) {
        results.add(heapMeasurement(heap));
      }
      if (options.runs("freshness")) {
        freshnessStage(pipeline, heap, results);
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
   * Rows of CPU milliseconds per 1,000 documents of each component, keyed {@code
   * <key>.cpu.<component>}, each noting the cores the component kept busy meanwhile (which shows
   * the limit: Elasticsearch's own core near 1.0, or the other core's components adding up to it);
   * {@code workerCpu} is the Connect worker's row's target, or null.
   */
  private void cpuRows(
      List<Measurement> results,
      String key,
      Map<String, Double> perThousand,
      Map<String, Double> coresBusy,
      Target workerCpu) {
    perThousand.forEach(
        (component, millis) -> {
          double cores = coresBusy.getOrDefault(component, Double.NaN);
          out.printf(
              "    CPU %s: %.1f ms per 1,000 documents, %.2f of a core%n",
              component, millis, cores);
          results.add(
              new Measurement(
                  key + ".cpu." + component.toLowerCase(Locale.ROOT).split(" ")[0].replace(";", ""),
                  "   CPU of " + component,
                  millis,
                  "CPU ms/1k docs",
                  null,
                  component.equals(WORKER) ? workerCpu : null,
                  String.format(
                      Locale.ROOT,
                      component.equals(COLLECTOR)
                          ? "the worker's collections' time over the measurement, from its"
                              + " GarbageCollectorMXBeans over JMX; part of the worker's row; %.2f"
                              + " of a core"
                          : "user + system time from /proc over the measurement; %.2f of a core"
                              + " busy",
                      cores)));
        });
  }

  private static final String WORKER = "Connect worker";

  /**
   * The worker's collector: the part of the worker's CPU that its heap's layout decides (the young
   * generation's size, what the tasks buffer), so that a change to either is measured.
   */
  private static final String COLLECTOR = "collector of the Connect worker";

  /** The components whose CPU each measurement reports. */
  private static ProcessCpu cpu(BenchStack stack, HeapSampler heap) {
    return new ProcessCpu()
        .add("Elasticsearch", () -> stack.elasticsearch.processTree().stream().limit(1).toList())
        .add(WORKER, () -> stack.worker.processTree().stream().limit(1).toList())
        .addMillis(COLLECTOR, heap::collectionMillis)
        .add("PostgreSQL", ProcessCpu::postmasters)
        // Alone: Elasticsearch, the worker and PostgreSQL are its descendants, counted above.
        .addAlone(
            "benchmark JVM (Kafka broker; the baseline's and exporter's client)",
            ProcessHandle.current());
  }

  /** How often each row of the sink stage is measured, the rows alternating. */
  static final int REPEATS = 3;

  /** Measurements 1 and 2; returns the best baseline rate. */
  private double sinkStage(BenchStack stack, List<Measurement> results) throws Exception {
    SinkBenchmark sink = new SinkBenchmark(stack, options, out);
    sink.fillTopic();
    out.println("Rendering the topic's records as the sink does, for the baseline");
    List<BaselineBulk.Doc> docs = sink.documents();
    sink.fillPlainTopic(docs);
    List<List<BaselineBulk.Doc>> bulks =
        BaselineBulk.bulks(docs, SinkBenchmark.BULK_DOCS, SinkBenchmark.BULK_BYTES);
    // Elasticsearch's own JIT makes whatever runs first look slow: every document once by each
    // client before anything is measured, then the clients and the sink alternate.
    out.println("Warming Elasticsearch up (every document once by each client, not measured)");
    for (BaselineBulk.Wire wire : BaselineBulk.Wire.values()) {
      sink.baseline(bulks, 2, wire, "bench-warmup");
    }
    out.println("Warming the worker up on the sink (a fifth of the events, not measured)");
    sink.warmUpSink();
    Map<String, RepeatedRuns> rows = new LinkedHashMap<>();
    for (int round = 1; round <= REPEATS; round++) {
      out.printf("Round %d of %d%n", round, REPEATS);
      for (int threads : new int[] {1, 2}) {
        for (BaselineBulk.Wire wire : BaselineBulk.Wire.values()) {
          String key = baselineKey(wire, threads);
          ProcessCpu.Sample before = cpu.sample();
          AppliedClock.Run run =
              sink.baseline(bulks, threads, wire, "bench-" + key.replace('.', '-'));
          rows.computeIfAbsent(key, k -> new RepeatedRuns())
              .add(run, Double.NaN, before, cpu.sample());
          out.printf(
              "  baseline, %s, %d client thread(s): %,.0f docs/s%n",
              wire.description(), threads, run.rate());
        }
      }
      for (SinkBenchmark.Format format : SinkBenchmark.Format.values()) {
        for (int tasks : new int[] {1, 2}) {
          ProcessCpu.Sample before = cpu.sample();
          SinkBenchmark.SinkRun run = sink.sink(format, tasks, round);
          rows.computeIfAbsent(sinkKey(format, tasks), k -> new RepeatedRuns())
              .add(run.run(), run.startupSeconds(), before, cpu.sample());
          out.printf(
              "  sink, %s, tasks.max %d: %,.0f docs/s%n", format.topic, tasks, run.run().rate());
        }
      }
    }
    return sinkRows(rows, results);
  }

  private static String baselineKey(BaselineBulk.Wire wire, int threads) {
    return "baseline"
        + switch (wire) {
          case CONTENT_LENGTH -> "";
          case CHUNKED -> ".chunked";
          case VERSIONED -> ".versioned";
        }
        + ".threads"
        + threads;
  }

  /** The sink stage's rows, in order; returns the best baseline's median rate. */
  private double sinkRows(Map<String, RepeatedRuns> rows, List<Measurement> results) {
    double best = 0;
    for (int threads : new int[] {1, 2}) {
      for (BaselineBulk.Wire wire : BaselineBulk.Wire.values()) {
        String key = baselineKey(wire, threads);
        RepeatedRuns row = rows.get(key);
        String label =
            switch (wire) {
              case CONTENT_LENGTH -> "";
              case CHUNKED -> " (chunked)";
              case VERSIONED -> " (versioned)";
            };
        results.add(
            new Measurement(
                key,
                "1. baseline bulk" + label + ", " + threads + " thread" + (threads > 1 ? "s" : ""),
                row.medianRate(),
                "docs/s",
                null,
                null,
                wire.description()
                    + ", "
                    + SinkBenchmark.BULK_DOCS
                    + "-doc bulks, one in flight per thread; "
                    + runsNote(row)));
        bulkAndCpuRows(results, key, row, null);
        if (wire == BaselineBulk.Wire.CONTENT_LENGTH) {
          best = Math.max(best, row.medianRate());
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
    for (SinkBenchmark.Format format : SinkBenchmark.Format.values()) {
      for (int tasks : new int[] {1, 2}) {
        sinkRows(results, format, tasks, rows.get(sinkKey(format, tasks)), best);
      }
    }
    return best;
  }

  private static String sinkKey(SinkBenchmark.Format format, int tasks) {
    return "sink" + format.keySuffix + ".tasks" + tasks;
  }

  private void sinkRows(
      List<Measurement> results,
      SinkBenchmark.Format format,
      int tasks,
      RepeatedRuns row,
      double best) {
    String key = sinkKey(format, tasks);
    boolean shipped = format == SinkBenchmark.Format.SHIPPED;
    results.add(
        Measurement.rate(
            key,
            "2. sink"
                + switch (format) {
                  case SHIPPED -> "";
                  case SIMPLE_HEADERS -> " (Connect's default header converter)";
                  case SCHEMALESS -> " (schemaless JSON)";
                  case KAFKA_JSON -> " (Kafka's JsonConverter)";
                  case KAFKA_JSON_SCHEMALESS -> " (schemaless JSON, Kafka's JsonConverter)";
                }
                + ", tasks.max "
                + tasks,
            row.medianRate(),
            "docs/s",
            best,
            shipped ? Target.ratioAtLeast(0.95) : null,
            switch (format) {
                  case SHIPPED ->
                      "es-sink.json as shipped, on JSON with schemas and pgsearch headers";
                  case SIMPLE_HEADERS ->
                      "as shipped but header.converter=SimpleHeaderConverter (Connect's default)";
                  case SCHEMALESS ->
                      "es-sink.json with schemas.enable=false, on the same documents as plain JSON"
                          + " without headers";
                  case KAFKA_JSON ->
                      "as shipped but key.converter and value.converter Kafka's JsonConverter"
                          + " (the same wire format)";
                  case KAFKA_JSON_SCHEMALESS ->
                      "as the schemaless row but with Kafka's JsonConverter";
                }
                + "; topic of "
                + SinkBenchmark.PARTITIONS
                + " partitions; "
                + runsNote(row)));
    results.add(
        new Measurement(
            key + ".startup",
            "   start-up (connector created until its first document is applied)",
            row.medianStartupSeconds(),
            "s",
            null,
            null,
            "median; not in the rate"));
    bulkAndCpuRows(
        results, key, row, format == SinkBenchmark.Format.SCHEMALESS ? WORKER_CPU_TARGET : null);
  }

  /** The worker's CPU per 1,000 documents on schemaless JSON: below Confluent's tuned sink's. */
  static final Target WORKER_CPU_TARGET = Target.valueAtMost(25, "CPU ms/1k docs");

  private static String runsNote(RepeatedRuns row) {
    return "median of "
        + REPEATS
        + " alternating runs ("
        + row.rates()
        + "), timed from the first to the last document applied";
  }

  private void bulkAndCpuRows(
      List<Measurement> results, String key, RepeatedRuns row, Target workerCpu) {
    results.add(
        new Measurement(
            key + ".bulk",
            "   documents per bulk request",
            row.documentsPerBulk(),
            "docs",
            null,
            null,
            String.format(
                Locale.ROOT,
                "%.0f KB per request, from the index's bulk stats",
                row.kilobytesPerBulk())));
    cpuRows(results, key, row.cpuPerThousand(), row.coresBusy(), workerCpu);
  }

  /**
   * Measurement 3: the pipeline's snapshot against the exporter a user would write instead, which
   * then reads the same table; returns the exporter's best rate, the base of the snapshot's and the
   * streaming's ratios.
   */
  private double snapshotStage(
      BenchStack stack, PipelineBenchmark pipeline, List<Measurement> results) throws Exception {
    if (options.exporter()) { // --huge is long enough to be its own warm-up
      pipeline.warmUpSnapshot();
    }
    PipelineBenchmark.Snapshot snapshot = pipeline.snapshot(cpu);
    out.printf("  snapshot: %,.0f rows/s%n", snapshot.rate());
    double exporter = options.exporter() ? 0 : Double.NaN;
    for (int threads : options.exporter() ? new int[] {1, 2} : new int[0]) {
      ProcessCpu.Sample exportBefore = cpu.sample();
      long started = System.nanoTime();
      AppliedClock.Run run =
          new Exporter(stack)
              .export(
                  snapshot.database(),
                  ItemsTable.NAME,
                  options.rows(),
                  "bench-exporter-" + threads,
                  snapshot.indexBody(),
                  threads);
      ProcessCpu.Sample exportAfter = cpu.sample();
      double rate = options.rows() / SinkBenchmark.seconds(started, run.lastNanos());
      out.printf("  exporter, %d bulk thread(s): %,.0f rows/s%n", threads, rate);
      exporter = Math.max(exporter, rate);
      results.add(
          new Measurement(
              "exporter.threads" + threads,
              "3. exporter (SELECT, render, bulk), "
                  + threads
                  + " bulk thread"
                  + (threads > 1 ? "s" : ""),
              rate,
              "rows/s",
              null,
              null,
              "one SELECT with fetch size "
                  + Exporter.FETCH_SIZE
                  + ", rows rendered by the sink's DocumentRenderer, "
                  + SinkBenchmark.BULK_DOCS
                  + "-doc Content-Length bulks; from its start until the last row is applied"));
      cpuRows(
          results,
          "exporter.threads" + threads,
          ProcessCpu.perThousand(exportBefore, exportAfter, options.rows()),
          ProcessCpu.coresBusy(exportBefore, exportAfter),
          null);
    }
    if (options.exporter()) {
      results.add(
          new Measurement(
              "exporter",
              "3. exporter (best)",
              exporter,
              "rows/s",
              null,
              null,
              "the snapshot's and the streaming's base: what a user would write instead"));
    }
    results.add(
        Measurement.rate(
            "snapshot",
            "3. snapshot",
            snapshot.rate(),
            "rows/s",
            exporter,
            options.exporter() ? Target.ratioAtLeast(0.8) : null,
            String.format(
                Locale.ROOT,
                "source connector creation until the last row is applied: %,.0f s (the first"
                    + " after %.1f s)%s",
                options.rows() / snapshot.rate(),
                snapshot.startupSeconds(),
                options.exporter() ? "" : "; no exporter in this run")));
    results.add(
        new Measurement(
            "snapshot.bulk",
            "   documents per bulk request",
            snapshot.documentsPerBulk(),
            "docs",
            null,
            null,
            "from the index's bulk stats"));
    results.add(
        new Measurement(
            "snapshot.topic",
            "   topic bytes per row",
            snapshot.topicBytesPerRow(),
            "bytes",
            null,
            null,
            "the table's topic in the broker's log directories (Debezium's envelope with its"
                + " schema, as the source's converter and producer write it), per row"
                + (options.sourceOverrides().containsKey(BenchOptions.TOPIC_RETENTION_BYTES)
                    ? ", after "
                        + BenchOptions.TOPIC_RETENTION_BYTES
                        + " let old segments go: not the whole topic"
                    : "")));
    cpuRows(results, "snapshot", snapshot.cpuPerThousand(), snapshot.coresBusy(), null);
    return exporter;
  }

  private void streamingStage(
      PipelineBenchmark pipeline, double exporter, List<Measurement> results) throws Exception {
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
        new Measurement(
            "streaming",
            "4. streaming searchable, writer running",
            streaming.searchableRate(),
            "docs/s",
            null,
            null,
            String.format(
                Locale.ROOT,
                "changes applied / time from writer start until caught up (%.1f s after the"
                    + " writer stopped); the writer shares the pipeline's core, so this is at most"
                    + " what it writes",
                streaming.catchUpSeconds())));
    PipelineBenchmark.Backlog backlog = pipeline.backlog(cpu);
    out.printf("  streaming backlog: %,.0f changes/s%n", backlog.rate());
    results.add(
        Measurement.rate(
            "streaming.backlog",
            "4. streaming at saturation (backlog)",
            backlog.rate(),
            "changes/s",
            exporter,
            Target.ratioAtLeast(0.6),
            String.format(
                Locale.ROOT,
                "%,d changes (inserts and updates, the writer's transactions) written while"
                    + " pg-source was stopped, then drained: from the first applied (%.1f s after"
                    + " the resume) until all are searchable",
                backlog.changes(),
                backlog.startupSeconds())));
    cpuRows(results, "streaming.backlog", backlog.cpuPerThousand(), backlog.coresBusy(), null);
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

  /**
   * Measurement 5 at the writer's rate and at five times it: freshness (commit until a search finds
   * the row, refresh included) and the pipeline's own latency (commit until the bulk that wrote it
   * is acknowledged, from the sink's histogram).
   */
  private void freshnessStage(
      PipelineBenchmark pipeline, HeapSampler heap, List<Measurement> results) throws Exception {
    if (!options.runs("sink") && !options.runs("snapshot") && !options.runs("streaming")) {
      // Cold, the worker's JIT compiling on its one core put Debezium seconds behind the writer.
      pipeline.warmUpSnapshot();
    }
    SinkLatencies latencies = new SinkLatencies(heap.server());
    for (int rate : new int[] {options.rate(), options.rate() * 5}) {
      freshnessRows(pipeline.freshness(rate, latencies), results);
    }
  }

  private void freshnessRows(PipelineBenchmark.Freshness freshness, List<Measurement> results) {
    Percentiles latency = freshness.latencyMs();
    SinkLatencies.Reading pipeline = freshness.pipeline();
    out.printf(
        "  freshness at %,d rows/s: p50 %d ms, p95 %d ms, p99 %d ms, max %d ms; pipeline p50 ≤ %.0f"
            + " ms, p99 ≤ %.0f ms%n",
        freshness.rate(),
        latency.p50(),
        latency.p95(),
        latency.p99(),
        latency.max(),
        pipeline.percentileBoundMs(50),
        pipeline.percentileBoundMs(99));
    HopLatencies.Reading hops = freshness.hops();
    if (hops != null) {
      out.printf(
          "  hops (p50 / p99 ms): commit to event %d / %d, event to topic (%s) %d / %d, topic to a"
              + " consumer %d / %d%n",
          hops.commitToEvent().p50(),
          hops.commitToEvent().p99(),
          hops.timestampType(),
          hops.eventToTopic().p50(),
          hops.eventToTopic().p99(),
          hops.topicToConsumer().p50(),
          hops.topicToConsumer().p99());
    }
    String key =
        freshness.rate() == options.rate() ? "freshness" : "freshness.rate" + freshness.rate();
    String name =
        "5. freshness at " + String.format(Locale.ROOT, "%,d", freshness.rate()) + " rows/s";
    String how =
        String.format(
            Locale.ROOT,
            "%,d rows at %,.0f rows/s; %d not seen; commit until a search (refresh_interval 1 s)"
                + " finds the row",
            freshness.rows(),
            freshness.achievedRate(),
            freshness.unseen());
    boolean base = freshness.rate() == 1_000;
    results.add(
        new Measurement(key + ".p50", name + ", p50", latency.p50(), "ms", null, null, how));
    results.add(
        new Measurement(key + ".p95", name + ", p95", latency.p95(), "ms", null, null, how));
    results.add(
        new Measurement(
            key + ".p99",
            name + ", p99",
            latency.p99(),
            "ms",
            null,
            base ? Target.valueAtMost(1_150, "ms (refresh + 150)") : null,
            how));
    results.add(
        new Measurement(key + ".max", name + ", max", latency.max(), "ms", null, null, how));
    String pipelineHow =
        String.format(
            Locale.ROOT,
            "%,d changes timed by the sink: PostgreSQL's commit until the bulk that wrote the row"
                + " was acknowledged (no refresh); the upper bound of the sink's histogram bucket",
            pipeline.total());
    Target pipelineTarget =
        freshness.rate() == 1_000
            ? Target.valueAtMost(150, "ms")
            : freshness.rate() == 5_000 ? Target.valueAtMost(500, "ms") : null;
    results.add(
        new Measurement(
            key + ".pipeline.p50",
            "   pipeline latency p50",
            pipeline.percentileBoundMs(50),
            "ms",
            null,
            null,
            pipelineHow));
    results.add(
        new Measurement(
            key + ".pipeline.p99",
            "   pipeline latency p99",
            pipeline.percentileBoundMs(99),
            "ms",
            null,
            pipelineTarget,
            pipelineHow));
    hopRows(key, freshness.hops(), results);
    Refreshes refreshes = freshness.refreshes();
    out.printf(
        "  Elasticsearch's refreshes: %d, mean %.1f ms%n", refreshes.count(), refreshes.meanMs());
    results.add(
        new Measurement(
            key + ".refresh.mean",
            "   Elasticsearch's refresh, mean",
            refreshes.meanMs(),
            "ms",
            null,
            null,
            String.format(
                Locale.ROOT,
                "the index's stats over the measurement: %d refreshes that made documents"
                    + " searchable, %,d ms in all; a document is found once the first refresh"
                    + " after its bulk has ended",
                refreshes.count(),
                refreshes.millis())));
  }

  /** Where a change's time goes before the sink reads it: p50 and p99 of each hop. */
  private static void hopRows(String key, HopLatencies.Reading hops, List<Measurement> results) {
    if (hops == null) {
      return;
    }
    String how =
        "from the change events on the topic (a consumer of the benchmark's own): "
            + "source.ts_ms (commit), ts_ms (Debezium built the event), the record's timestamp ("
            + hops.timestampType()
            + "), the time the consumer read it";
    hopRow(
        key + ".hop.commit_event",
        "   hop: commit to Debezium's event",
        hops.commitToEvent(),
        how,
        results);
    hopRow(
        key + ".hop.event_topic", "   hop: event to the topic", hops.eventToTopic(), how, results);
    hopRow(
        key + ".hop.topic_consumer",
        "   hop: topic to a consumer",
        hops.topicToConsumer(),
        how,
        results);
  }

  private static void hopRow(
      String key, String name, Percentiles hop, String how, List<Measurement> results) {
    results.add(new Measurement(key + ".p50", name + ", p50", hop.p50(), "ms", null, null, how));
    results.add(new Measurement(key + ".p99", name + ", p99", hop.p99(), "ms", null, null, how));
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
            + " seed rows; the backlog: "
            + String.format(Locale.ROOT, "%,d", options.rows())
            + " changes of the same transactions, written while pg-source is stopped");
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
    settings.put(
        "Kafka broker",
        "one node (KRaft) in the benchmark's JVM; "
            + BenchStack.BROKER_SETTINGS.entrySet().stream()
                .map(setting -> setting.getKey() + " " + setting.getValue())
                .sorted()
                .collect(Collectors.joining(", "))
            + " (Kafka's default)");
    settings.put(
        "Connect worker JVM", "-Xms256m " + String.join(" ", BenchStack.workerJvmOptions(options)));
    settings.put(
        "warm-up",
        "Elasticsearch: bulk of the first 20% of the documents; worker: a sink run until 20% are"
            + " indexed, and a snapshot of 20% of the rows before the snapshot (not with --huge)"
            + " or before freshness when it runs alone; none measured");
    settings.put("baseline bulks", SinkBenchmark.BULK_DOCS + " docs / 5 MB");
    settings.put(
        "sink topic",
        SinkBenchmark.PARTITIONS
            + " partitions, filled by pg-source with"
            + " the transforms in its config");
    settings.put(
        "connector configs",
        "connect-configs/pg-source.json and es-sink.json, filled by ConnectConfigs; name,"
            + " topic.prefix, topics.regex and index.name.prefix made unique");
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

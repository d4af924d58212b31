package io.pgsearch.connect.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * Measurements 3 to 5: the whole pipeline as connect-configs/pg-source.json and es-sink.json set it
 * up (placeholders filled, names, topic prefix and index prefix made unique per measurement).
 */
final class PipelineBenchmark {
  static final Duration STALL = Duration.ofSeconds(90);

  /**
   * Streaming writer: rows inserted and rows updated per transaction, each row its own statement in
   * a JDBC batch (as an application writes), not one set-based statement.
   */
  static final int INSERTS_PER_TX = 100;

  static final int UPDATES_PER_TX = 100;
  static final int SEED_ROWS = 1_000;

  /** Freshness: how often the writer commits and how often the poller searches. */
  static final long WRITE_TICK_MS = 20;

  /**
   * Between two searches of the freshness poller. The poll's own interval adds 0 to this much to
   * every latency it measures, so it is kept well below the 150 ms the target leaves the pipeline;
   * a search that finds nothing new (all of them between two refreshes) costs Elasticsearch little.
   */
  static final long POLL_MS = 20;

  /** Results of the streaming measurement. */
  record Streaming(long changes, double writerRate, double searchableRate, double catchUpSeconds) {}

  /**
   * Results of the backlog measurement.
   *
   * @param changes the changes written while the source connector was stopped
   * @param rate changes per second from the first change applied until every one was
   * @param startupSeconds from the connector's resume until the first change was applied
   * @param cpuPerThousand each component's CPU ms per 1,000 changes, resume until caught up
   * @param coresBusy the cores each component kept busy over the same time
   */
  record Backlog(
      long changes,
      double rate,
      double startupSeconds,
      Map<String, Double> cpuPerThousand,
      Map<String, Double> coresBusy) {}

  /**
   * Results of the freshness measurement.
   *
   * @param latencyMs from each row's commit until a search found it
   * @param pipeline the sink's commit-to-indexed latencies of the same rows (no refresh)
   */
  record Freshness(
      int rate,
      long rows,
      double achievedRate,
      Percentiles latencyMs,
      long unseen,
      SinkLatencies.Reading pipeline,
      HopLatencies.Reading hops,
      Refreshes refreshes) {}

  private final BenchStack stack;
  private final BenchOptions options;
  private final PrintStream out;

  PipelineBenchmark(BenchStack stack, BenchOptions options, PrintStream out) {
    this.stack = stack;
    this.options = options;
    this.out = out;
  }

  /** A running pipeline for one database: its connectors and its index. */
  private record Pipeline(
      String stage, String database, String source, String sink, String index, long start) {
    /** The topic of the items table's changes. */
    String topic() {
      return stage + ".public." + ItemsTable.NAME;
    }
  }

  private Pipeline start(String stage, String database) {
    ObjectNode source =
        stack.config(
            "pg-source.json",
            database,
            body -> {
              body.put("name", "bench-" + stage + "-source");
              ((ObjectNode) body.path("config")).put("topic.prefix", stage);
            });
    ObjectNode sink =
        stack.config(
            "es-sink.json",
            database,
            body -> {
              body.put("name", "bench-" + stage + "-sink");
              ObjectNode config = (ObjectNode) body.path("config");
              config.put("topics.regex", stage + "\\.public\\.(?!pgsearch_).*");
              config.put("index.name.prefix", stage + "-");
            });
    long start = stack.create(source);
    stack.create(sink);
    return new Pipeline(
        stage,
        database,
        source.path("name").asText(),
        sink.path("name").asText(),
        stage + "-" + ItemsTable.NAME,
        start);
  }

  private void stop(Pipeline pipeline) throws Exception {
    stack.delete(pipeline.source());
    stack.delete(pipeline.sink());
    stack.dropSlots(pipeline.database());
    stack.search.deleteIndex(pipeline.index());
  }

  private void checkRunning(Pipeline pipeline) {
    stack.awaitRunning(pipeline.source());
    stack.awaitRunning(pipeline.sink());
  }

  /**
   * Results of the snapshot.
   *
   * @param rate rows per second from connector creation until the last row is applied
   * @param startupSeconds from connector creation until the first row is applied
   * @param database the database, whose table the exporter then reads
   * @param indexBody the mappings the sink gave the index, for the exporter's index
   * @param documentsPerBulk documents per bulk request, from the index's bulk statistics
   * @param topicBytesPerRow the bytes the table's topic takes on the broker, per row
   * @param cpuPerThousand each component's CPU milliseconds per 1,000 rows, from connector creation
   *     until the last row is applied (the table's load before it is not the snapshot's work)
   * @param coresBusy the cores each component kept busy over the same time
   */
  record Snapshot(
      double rate,
      double startupSeconds,
      String database,
      String indexBody,
      double documentsPerBulk,
      double topicBytesPerRow,
      Map<String, Double> cpuPerThousand,
      Map<String, Double> coresBusy) {}

  /**
   * A snapshot of a fifth of the rows through the same configs, not measured: without it the
   * measured snapshot pays for the worker's JIT compiling Debezium's reader, the source's converter
   * and the transforms (the sink's path is warmed by measurement 2, the exporter's rendering by the
   * baseline). A 10,000,000-row snapshot measured 90 ms of worker CPU per 1,000 rows where cold
   * 200,000-row ones measured 184 to 220.
   */
  void warmUpSnapshot() throws Exception {
    int rows = Math.max(1_000, options.rows() / 5);
    out.printf("Warming the worker up on a snapshot (%,d rows, not measured)%n", rows);
    String database = stack.postgres.createDatabase("snapshotwarmup");
    try (Connection connection = stack.postgres.connect(database)) {
      ItemsTable.create(connection, rows);
    }
    Pipeline pipeline = start("snapshotwarmup", database);
    try {
      stack.clock.await(pipeline.index(), rows, STALL, () -> checkRunning(pipeline));
    } finally {
      stop(pipeline);
    }
  }

  /**
   * Measurement 3: the snapshot, from connector creation until every row is applied. Its CPU is
   * read over that time too, not over the table's load before it: loading and vacuuming the table
   * cost PostgreSQL about four times what the snapshot's read does.
   */
  Snapshot snapshot(ProcessCpu cpu) throws Exception {
    String database = stack.postgres.createDatabase("snapshot");
    out.printf("Snapshot: %,d rows through pg-source and es-sink%n", options.rows());
    try (Connection connection = stack.postgres.connect(database)) {
      ItemsTable.create(connection, options.rows());
    }
    ProcessCpu.Sample before = cpu.sample();
    Pipeline pipeline = start("snapshot", database);
    try {
      AppliedClock.Run run =
          stack.clock.await(pipeline.index(), options.rows(), STALL, () -> checkRunning(pipeline));
      ProcessCpu.Sample after = cpu.sample();
      SinkBenchmark.expectCount(stack, pipeline.index(), options.rows());
      return new Snapshot(
          options.rows() / SinkBenchmark.seconds(pipeline.start(), run.lastNanos()),
          SinkBenchmark.seconds(pipeline.start(), run.firstNanos()),
          database,
          stack.search.indexBody(pipeline.index()),
          run.end().documents() / (double) Math.max(1, run.end().bulks()),
          stack.topicBytes(pipeline.topic()) / (double) options.rows(),
          ProcessCpu.perThousand(before, after, options.rows()),
          ProcessCpu.coresBusy(before, after));
    } finally {
      stop(pipeline);
    }
  }

  /** A pipeline over a table of {@code seed} rows, started and with those rows indexed. */
  private Pipeline seeded(String stage, int seed) throws Exception {
    String database = stack.postgres.createDatabase(stage);
    try (Connection connection = stack.postgres.connect(database)) {
      ItemsTable.create(connection, seed);
    }
    Pipeline pipeline = start(stage, database);
    long[] seen = {0};
    stack.search.awaitNanos(
        () -> {
          checkRunning(pipeline);
          return (seen[0] = stack.search.count(pipeline.index())) >= seed;
        },
        () -> seen[0],
        STALL);
    return pipeline;
  }

  private Connection writer(String database) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", stack.postgres.user());
    props.setProperty("password", stack.postgres.password());
    return java.sql.DriverManager.getConnection(stack.postgres.jdbcUrl(database), props);
  }

  /**
   * Measurement 4: a writer inserts and updates as fast as it can for the configured time, in
   * transactions of {@value #INSERTS_PER_TX} inserts and {@value #UPDATES_PER_TX} updates; the rate
   * is the changes applied in Elasticsearch over the time from the writer's start until the index
   * has caught up (every row present, the sum of the rev counters equal to the changes).
   */
  Streaming streaming() throws Exception {
    out.printf("Streaming: writing for %d s, then waiting until caught up%n", options.seconds());
    Pipeline pipeline = seeded("streaming", SEED_ROWS);
    try (Connection connection = writer(pipeline.database());
        PreparedStatement insert = connection.prepareStatement(ItemsTable.INSERT_SELECT);
        PreparedStatement update = connection.prepareStatement(ItemsTable.UPDATE)) {
      connection.setAutoCommit(false);
      long start = System.nanoTime();
      long stop = start + Duration.ofSeconds(options.seconds()).toNanos();
      Written written = write(connection, insert, update, () -> System.nanoTime() >= stop, 0);
      double writeSeconds = SinkBenchmark.seconds(start, System.nanoTime());
      long changes = written.changes();
      long end = awaitCaughtUp(pipeline, written);
      double total = SinkBenchmark.seconds(start, end);
      return new Streaming(changes, changes / writeSeconds, changes / total, total - writeSeconds);
    } finally {
      stop(pipeline);
    }
  }

  /** What a writer left: the table's rows and the changes it wrote. */
  private record Written(long rows, long changes) {
    /** The sum of the rev counters once every change is applied: 1 a row, +1 an update. */
    long revs() {
      long inserts = rows - SEED_ROWS;
      return rows + (changes - inserts);
    }
  }

  /**
   * Writes transactions of {@value #INSERTS_PER_TX} inserts and {@value #UPDATES_PER_TX} updates of
   * random existing rows until {@code done} or, when {@code maxChanges} is above 0, until that many
   * changes are written.
   */
  private static Written write(
      Connection connection,
      PreparedStatement insert,
      PreparedStatement update,
      java.util.function.BooleanSupplier done,
      long maxChanges)
      throws SQLException {
    long nextId = SEED_ROWS + 1;
    long changes = 0;
    ThreadLocalRandom random = ThreadLocalRandom.current();
    while (!done.getAsBoolean() && (maxChanges <= 0 || changes < maxChanges)) {
      for (int i = 0; i < INSERTS_PER_TX; i++) {
        insert.setLong(1, nextId);
        insert.setLong(2, nextId);
        insert.addBatch();
        nextId++;
      }
      insert.executeBatch();
      for (int i = 0; i < UPDATES_PER_TX; i++) {
        update.setLong(1, 1 + random.nextLong(nextId - 1));
        update.addBatch();
      }
      update.executeBatch();
      connection.commit();
      changes += INSERTS_PER_TX + UPDATES_PER_TX;
    }
    return new Written(nextId - 1, changes);
  }

  /**
   * Polls until the index holds every row written, with rev counters that add up to every change
   * applied; returns the nanoTime of the poll that saw it.
   */
  private long awaitCaughtUp(Pipeline pipeline, Written written) throws InterruptedException {
    long rows = written.rows();
    long revs = written.revs();
    long[] applied = {0};
    return stack.search.awaitNanos(
        () -> {
          checkRunning(pipeline);
          applied[0] = stack.search.sum(pipeline.index(), "rev");
          return applied[0] >= revs && stack.search.count(pipeline.index()) >= rows;
        },
        () -> applied[0],
        STALL);
  }

  /**
   * The nanoTime of the first poll (every {@link AppliedClock#POLL}) that sees the index apply a
   * document beyond {@code base}, so the backlog's rate leaves out the task's start.
   */
  private long firstApplied(Pipeline pipeline, long base, long resumed)
      throws InterruptedException {
    long lastCheck = resumed;
    while (true) {
      long now = System.nanoTime();
      if (stack.clock.applied(pipeline.index()).documents() > base) {
        return now;
      }
      if (now - resumed > STALL.toNanos()) {
        throw new IllegalStateException(
            "Nothing applied to " + pipeline.index() + " " + STALL.toSeconds() + " s after resume");
      }
      if (now - lastCheck > 1_000_000_000L) {
        checkRunning(pipeline);
        lastCheck = now;
      }
      Thread.sleep(AppliedClock.POLL.toMillis());
    }
  }

  /**
   * Measurement 4, at saturation: the same writer writes {@code options.rows()} changes while the
   * source connector is stopped (its slot keeps them), then the connector resumes and the pipeline
   * drains the backlog with nothing else running on its core. The rate is the changes over the time
   * from the first one applied until the index has caught up; the writer's own CPU is not in it,
   * which in {@link #streaming()} shares the pipeline's core.
   */
  Backlog backlog(ProcessCpu cpu) throws Exception {
    out.printf(
        "Streaming backlog: %,d changes written while pg-source is stopped%n", options.rows());
    Pipeline pipeline = seeded("backlog", SEED_ROWS);
    try {
      stack.stopConnector(pipeline.source());
      Written written;
      try (Connection connection = writer(pipeline.database());
          PreparedStatement insert = connection.prepareStatement(ItemsTable.INSERT_SELECT);
          PreparedStatement update = connection.prepareStatement(ItemsTable.UPDATE)) {
        connection.setAutoCommit(false);
        written = write(connection, insert, update, () -> false, options.rows());
      }
      long changes = written.changes();
      long base = stack.clock.applied(pipeline.index()).documents();
      ProcessCpu.Sample before = cpu.sample();
      long resumed = System.nanoTime();
      stack.resumeConnector(pipeline.source());
      long first = firstApplied(pipeline, base, resumed);
      long end = awaitCaughtUp(pipeline, written);
      ProcessCpu.Sample after = cpu.sample();
      return new Backlog(
          changes,
          changes / SinkBenchmark.seconds(first, end),
          SinkBenchmark.seconds(resumed, first),
          ProcessCpu.perThousand(before, after, changes),
          ProcessCpu.coresBusy(before, after));
    } finally {
      stop(pipeline);
    }
  }

  /**
   * Measurement 5: rows committed at a fixed rate; each row's commit time (the wall clock when its
   * transaction's commit returned) against the first time a search without refresh returned it,
   * with the index's refresh_interval at 1 s.
   */
  Freshness freshness(int rate, SinkLatencies sinkLatencies) throws Exception {
    out.printf(
        "Freshness: %,d rows/s for %d s, searched every %d ms%n", rate, options.seconds(), POLL_MS);
    int seed = 100;
    Pipeline pipeline = seeded("freshness" + rate, seed);
    try {
      stack.search.putSettings(pipeline.index(), "{\"index\":{\"refresh_interval\":\"1s\"}}");
      SinkLatencies.Reading before = sinkLatencies.read(pipeline.sink());
      Refreshes refreshesBefore = Refreshes.read(stack.search.node(), pipeline.index());
      int total = (int) Math.min(Integer.MAX_VALUE - 1, (long) rate * options.seconds());
      long[] committed = new long[total];
      long[] seen = new long[total];
      FreshnessPoller poller =
          new FreshnessPoller(
              FreshnessPoller.index(stack.search, pipeline.index()),
              seed,
              seen,
              System::currentTimeMillis);
      Thread polling = new Thread(poller, "freshness-poller");
      polling.start();
      HopLatencies hops = new HopLatencies(stack.kafka.bootstrapServers(), pipeline.topic());
      Thread hopping = new Thread(hops, "freshness-hops");
      hopping.setDaemon(true); // a failed run must not leave it reading
      hopping.start();
      double achieved;
      try (Connection connection = writer(pipeline.database());
          PreparedStatement insert = connection.prepareStatement(ItemsTable.INSERT_SELECT)) {
        connection.setAutoCommit(true);
        int written = 0;
        long start = System.nanoTime();
        while (written < total) {
          long due = Math.min(total, (long) Math.floor(rate * ((System.nanoTime() - start) / 1e9)));
          if (due > written) {
            insert.setLong(1, seed + written + 1L);
            insert.setLong(2, seed + due);
            insert.executeUpdate(); // autocommit: committed when this returns
            long now = System.currentTimeMillis();
            Arrays.fill(committed, written, (int) due, now);
            written = (int) due;
          }
          Thread.sleep(WRITE_TICK_MS);
        }
        achieved = total / SinkBenchmark.seconds(start, System.nanoTime());
      }
      long deadline = System.nanoTime() + STALL.toNanos();
      while (poller.watermark() < seed + total && System.nanoTime() < deadline) {
        checkRunning(pipeline);
        Thread.sleep(500);
      }
      poller.stop();
      polling.join();
      Refreshes refreshes =
          Refreshes.read(stack.search.node(), pipeline.index()).since(refreshesBefore);
      HopLatencies.Reading hopReading = hops.stop(hopping);
      long[] latencies = new long[total];
      int n = 0;
      for (int i = 0; i < total; i++) {
        if (seen[i] > 0) {
          latencies[n++] = seen[i] - committed[i];
        }
      }
      return new Freshness(
          rate,
          total,
          achieved,
          Percentiles.of(Arrays.copyOf(latencies, n)),
          total - (long) n,
          sinkLatencies.read(pipeline.sink()).since(before),
          hopReading,
          refreshes);
    } finally {
      stop(pipeline);
    }
  }

  /**
   * Searches for new ids every {@value #POLL_MS} ms, without refreshing (so only what a user could
   * find is found), and notes the wall clock when each id was first returned.
   *
   * <p>Each tick first counts the documents above the watermark (the lowest id not yet seen), and
   * fetches their ids only when the count changed since the last fetch: between two of
   * Elasticsearch's refreshes nothing new can be found, and the ids above a gap (a row the other
   * sink task has not indexed yet) would otherwise come back at every tick. The count answers at
   * the same moment a search would, so the figures keep the tick's resolution; Elasticsearch and
   * the benchmark JVM, which shares the pipeline's core, are spared most of the hits. Ids the fetch
   * returns are dated by the count's answer when the fetch found exactly what was counted: a search
   * found them then, and the fetch's own time is the instrument's, not the pipeline's.
   */
  static final class FreshnessPoller extends Poller {
    /** Most ids one fetch returns. */
    static final int FETCH_MAX = 10_000;

    /** What the poller asks the index: documents a search finds now (no refresh) above an id. */
    interface Index {
      long countAbove(long id);

      /** At most {@code FETCH_MAX} of their ids. */
      long[] idsAbove(long id);
    }

    private final Index index;
    private final LongSupplier clock;
    private final long base;
    private final long[] seen;
    private volatile long watermark;

    /** Documents above the watermark at the last fetch; -2 before it (a count is never -2). */
    private long foundAbove = -2;

    FreshnessPoller(Index index, long base, long[] seen, LongSupplier clock) {
      super(POLL_MS);
      this.index = index;
      this.clock = clock;
      this.base = base;
      this.seen = seen;
      this.watermark = base;
    }

    /** The pipeline's index as Elasticsearch answers for it. */
    static Index index(Search search, String index) {
      return new Index() {
        @Override
        public long countAbove(long id) {
          return search.countNow(index, "{\"query\":" + above(id) + "}");
        }

        @Override
        public long[] idsAbove(long id) {
          String body =
              "{\"size\":"
                  + FETCH_MAX
                  + ",\"_source\":false,\"track_total_hits\":false,\"query\":"
                  + above(id)
                  + "}";
          JsonNode hits = search.search(index, body).path("hits").path("hits");
          long[] ids = new long[hits.size()];
          int n = 0;
          for (JsonNode hit : hits) {
            ids[n++] = Long.parseLong(hit.path("_id").asText());
          }
          return ids;
        }
      };
    }

    private static String above(long id) {
      return "{\"range\":{\"id\":{\"gt\":" + id + "}}}";
    }

    long watermark() {
      return watermark;
    }

    @Override
    void tick() {
      long from = watermark;
      long count = index.countAbove(from);
      long counted = clock.getAsLong();
      if (count == foundAbove) {
        return; // nothing became searchable since the last fetch
      }
      long[] ids = index.idsAbove(from);
      // Exactly the counted ids (documents never leave this index): searchable at the count's
      // answer. More (a refresh in between) or fewer (a fetch cut at FETCH_MAX): the fetch's time.
      long now = ids.length == count && count < FETCH_MAX ? counted : clock.getAsLong();
      for (long id : ids) {
        int slot = (int) (id - base - 1);
        if (slot >= 0 && slot < seen.length && seen[slot] == 0) {
          seen[slot] = now;
        }
      }
      long w = from;
      while (w - base < seen.length && seen[(int) (w - base)] != 0) {
        w++;
      }
      long to = w;
      // What the next count finds when nothing new became searchable (FETCH_MAX at most were
      // fetched: beyond that the count differs and the next tick fetches again).
      foundAbove = Arrays.stream(ids).filter(id -> id > to).count();
      watermark = to;
    }
  }
}

package io.pgsearch.connect.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgsearch.connect.convergence.ConvergenceChecker;
import io.pgsearch.connect.convergence.ConvergenceReport;
import io.pgsearch.connect.convergence.DocumentCheck;
import io.pgsearch.connect.convergence.TableCheck;
import io.pgsearch.connect.devstack.ConnectConfigs;
import io.pgsearch.connect.devstack.DevStackExtension;
import io.pgsearch.connect.devstack.KafkaBrokerProcess;
import io.pgsearch.connect.devstack.PostgresNode;
import io.pgsearch.connect.devstack.SearchNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The index always converges to the database: a mixed workload on the sample shop runs through the
 * archives on a cluster of two Connect workers (connect-configs: every table, and the in-stock row
 * filter), while faults are injected at random moments: a worker killed with SIGKILL, Elasticsearch
 * restarted, Elasticsearch rejecting writes with 429s, PostgreSQL restarted, the Kafka broker
 * restarted, connectors restarted, paused and resumed. When the workload stops and the sinks'
 * consumer lag is zero, the convergence checker must find no missing, extra or stale document in
 * any index.
 *
 * <p>Connectors and tasks are watched while it runs: one seen FAILED fails the test, even if a
 * later restart revives it. The default run takes 1.5 minutes of workload or more, until every one
 * of the 7 kinds of fault has been injected. {@code -Dpgsearch.faults.minutes=20} runs the same
 * test for 20 minutes of workload; {@code -Dpgsearch.faults.seed=N} replays a seed (printed at the
 * start).
 */
@ExtendWith(DevStackExtension.class)
class FaultToleranceIT {
  private static final Duration WAIT = Duration.ofMinutes(4);

  /** Every kind at least once: each round of the fault bag holds every kind once. */
  private static final int MIN_FAULTS = Faults.Kind.values().length;

  /**
   * The shop's connectors, the source with the example document of orders (customer and nested
   * items with their product) beside every table.
   */
  static final List<String> CONFIGS =
      PackagingIT.SHOP_CONFIGS.stream()
          .map(file -> file.equals("pg-source.json") ? DocumentsIT.CONFIG : file)
          .toList();

  private static final Map<String, Integer> TASKS =
      Map.of("pg-source", 1, "es-sink", 2, "pg-source-in-stock", 1, "es-sink-in-stock", 1);

  private PostgresNode postgres;

  @AfterEach
  void stopPostgres() {
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void indexConvergesToTheDatabaseThroughFaults() throws Exception {
    long seed = Long.getLong("pgsearch.faults.seed", System.nanoTime());
    double minutes = Double.parseDouble(System.getProperty("pgsearch.faults.minutes", "1.5"));
    Duration workloadTime = Duration.ofMillis((long) (minutes * 60_000));
    System.out.println("FaultToleranceIT seed " + seed + ", workload " + workloadTime);
    Instant testStart = Instant.now();

    Path work = DevStackExtension.workDir().resolve("faults-" + seed);
    Path plugins = Archives.unpackBoth(work);
    String classpath = Archives.workerClasspath();
    // Its own PostgreSQL: the test restarts it, and replication slots are per cluster, so another
    // test's leftover slot of a connector named pg-source would make slot creation fail here.
    postgres = PostgresNode.start(17, work);
    String database = postgres.createDatabase("faults");
    Random random = new Random(seed);
    try (Connection connection = postgres.connect(database);
        Statement sql = connection.createStatement()) {
      sql.execute(Files.readString(PackagingIT.ROOT.resolve("samples/shop.sql")));
      sql.execute(ShopWorkload.SCHEMA_ADDITIONS);
      // Large descriptions before the snapshot: stored out of line (TOAST).
      try (PreparedStatement update =
          connection.prepareStatement("UPDATE products SET description = ? WHERE id = ?")) {
        for (int id = 1; id <= 300; id += 3) {
          update.setString(1, ShopWorkload.randomText(random, 8_000 + random.nextInt(30_000)));
          update.setLong(2, id);
          update.executeUpdate();
        }
      }
    }

    try (SearchNode elasticsearch =
            SearchNode.builder()
                .workDir(DevStackExtension.workDir())
                .heapMb(512)
                // One write thread and a queue of one: parallel writers get 429s.
                .setting("thread_pool.write.size", "1")
                .setting("thread_pool.write.queue_size", "1")
                .start();
        KafkaBrokerProcess kafka = KafkaBrokerProcess.start(work, classpath);
        WorkerGroup workers =
            new WorkerGroup(
                work, kafka.bootstrapServers(), classpath, List.of(plugins), "faults-" + seed)) {
      workers.start(2);
      Map<String, String> values = ConnectConfigs.placeholders(postgres, database, elasticsearch);
      Map<String, String> documentSource = null;
      for (String file : CONFIGS) {
        String config =
            ConnectConfigs.fill(PackagingIT.ROOT.resolve("connect-configs").resolve(file), values);
        workers.call("POST", "/connectors", config, WAIT);
        if (file.equals(DocumentsIT.CONFIG)) {
          documentSource = DocumentsIT.settings(config);
        }
      }
      awaitAllRunning(workers);
      PackagingIT.Search es = new PackagingIT.Search(elasticsearch);
      es.awaitCount("products", 2000);
      es.awaitCount("order_items", 4500);
      es.awaitCount("instock-products", 2000 - 2000 / 7);
      es.awaitCount(DocumentsIT.DOCUMENT, 1500);
      Duration setUp = Duration.between(testStart, Instant.now());

      ShopWorkload workload = new ShopWorkload(() -> postgres.connect(database), seed);
      Instant workloadStart = Instant.now();
      Faults faults =
          new Faults(
              seed,
              workloadStart,
              workers,
              elasticsearch,
              postgres,
              kafka,
              PackagingIT.SHOP_CONNECTORS);
      var executor = Executors.newSingleThreadExecutor();
      TaskStateWatch watch =
          new TaskStateWatch(workers, PackagingIT.SHOP_CONNECTORS, workloadStart);
      Future<?> writing = executor.submit(workload);
      try {
        while (Duration.between(workloadStart, Instant.now()).compareTo(workloadTime) < 0
            || faults.injected().size() < MIN_FAULTS) {
          faults.injectNext();
        }
      } finally {
        workload.stop();
        writing.get();
        executor.shutdown();
      }
      Instant workloadEnd = Instant.now();

      assertThat(workload.createdNewTable())
          .as("the workload got as far as creating its new table")
          .isTrue();
      assertThat(workload.truncatedOrderItems())
          .as("the workload got as far as truncating order_items")
          .isTrue();
      // Every connector and task must be RUNNING again by itself: none may stay FAILED.
      awaitAllRunning(workers);
      writeMarkers(postgres, database, seed);
      awaitMarkers(es, seed);
      awaitZeroLag(kafka);
      watch.close();
      List<ConvergenceReport> reports = check(postgres, database, elasticsearch, documentSource);
      Duration converged = Duration.between(workloadEnd, Instant.now());

      List<Faults.Injected> injected = faults.injected();
      System.out.println(
          "FaultToleranceIT summary: seed "
              + seed
              + "\n  set-up (stack, connectors, snapshot): "
              + setUp.toSeconds()
              + " s"
              + "\n  workload: "
              + Duration.between(workloadStart, workloadEnd).toSeconds()
              + " s, "
              + workload.transactions()
              + " transactions, "
              + workload.rowsWritten()
              + " rows written, "
              + workload.failedTransactions()
              + " transactions failed (PostgreSQL down) and were not counted"
              + "\n  faults ("
              + injected.size()
              + ", "
              + injected.stream().map(Faults.Injected::kind).distinct().count()
              + " kinds):\n    "
              + injected.stream().map(Object::toString).collect(Collectors.joining("\n    "))
              + "\n  time to converge after the workload stopped: "
              + converged.toMillis() / 1000.0
              + " s\n  "
              + reports.stream().map(ConvergenceReport::format).collect(Collectors.joining("  "))
              + "  test duration: "
              + Duration.between(testStart, Instant.now()).toSeconds()
              + " s");

      assertThat(injected).hasSizeGreaterThanOrEqualTo(MIN_FAULTS);
      assertThat(injected.stream().map(Faults.Injected::kind).distinct().count())
          .as("every kind of fault")
          .isEqualTo(Faults.Kind.values().length);
      assertThat(watch.failures())
          .as(
              "connectors and tasks seen FAILED while the faults ran (none may fail, even if a"
                  + " later restart revives it)")
          .isEmpty();
      for (ConvergenceReport report : reports) {
        assertThat(report.converged()).as(report.format()).isTrue();
      }
    }
  }

  private static void awaitAllRunning(WorkerGroup workers) {
    for (String connector : PackagingIT.SHOP_CONNECTORS) {
      workers.rest().awaitRunning(connector, TASKS.get(connector), WAIT);
    }
  }

  /** One change per table in one transaction: once all are indexed, the source has caught up. */
  private static void writeMarkers(PostgresNode postgres, String database, long seed)
      throws Exception {
    try (Connection connection = postgres.connect(database);
        Statement sql = connection.createStatement()) {
      connection.setAutoCommit(false);
      sql.executeUpdate("UPDATE customers SET full_name = 'marker " + seed + "' WHERE id = 1");
      sql.executeUpdate(
          "UPDATE products SET name = 'marker " + seed + "', in_stock = true WHERE id = 2");
      sql.executeUpdate("UPDATE orders SET status = 'marker " + seed + "' WHERE id = 1");
      sql.executeUpdate(
          "UPDATE order_items SET quantity = 7777 WHERE order_id = 1 AND line_no = 1");
      sql.executeUpdate("UPDATE reviews SET body = 'marker " + seed + "' WHERE id = 1");
      connection.commit();
    }
  }

  private static void awaitMarkers(PackagingIT.Search es, long seed) {
    String marker = "marker " + seed;
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              // A document may be absent for a while (a product out of stock is not in
              // instock-products until the marker puts it back): an assertion, retried, not an
              // exception.
              assertThat(field(es, "customers", "1", "full_name")).isEqualTo(marker);
              assertThat(field(es, "products", "2", "name")).isEqualTo(marker);
              assertThat(field(es, "instock-products", "2", "name")).isEqualTo(marker);
              assertThat(field(es, "orders", "1", "status")).isEqualTo(marker);
              assertThat(field(es, "order_items", "1|1", "quantity")).isEqualTo("7777");
              assertThat(field(es, "reviews", "1", "body")).isEqualTo(marker);
              assertThat(field(es, DocumentsIT.DOCUMENT, "1", "status")).isEqualTo(marker);
            });
  }

  /** A field of a document as text, or null when the document (or its index) is absent. */
  private static String field(PackagingIT.Search es, String index, String id, String name) {
    JsonNode document = es.source(index, id);
    return document == null ? null : document.path(name).asText();
  }

  /** Waits until both sinks have committed the end offset of every partition they read. */
  private static void awaitZeroLag(KafkaBrokerProcess kafka) {
    List<String> lagging = new ArrayList<>();
    try (Admin admin =
        Admin.create(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()))) {
      await()
          .atMost(WAIT)
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () -> {
                lagging.clear();
                for (String group : Set.of("connect-es-sink", "connect-es-sink-in-stock")) {
                  Map<TopicPartition, OffsetAndMetadata> committed =
                      admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
                  Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
                  committed.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
                  var ends = admin.listOffsets(latest).all().get();
                  for (var entry : committed.entrySet()) {
                    long end = ends.get(entry.getKey()).offset();
                    if (entry.getValue().offset() < end) {
                      lagging.add(
                          group
                              + " "
                              + entry.getKey()
                              + " "
                              + entry.getValue().offset()
                              + "/"
                              + end);
                    }
                  }
                  if (committed.isEmpty()) {
                    lagging.add(group + " has committed nothing");
                  }
                }
                return lagging.isEmpty();
              });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      // Which partitions lag, committed/end: the evidence for the failure report.
      System.out.println("Lagging: " + lagging);
      throw e;
    }
  }

  private static List<ConvergenceReport> check(
      PostgresNode postgres,
      String database,
      SearchNode elasticsearch,
      Map<String, String> documentSource)
      throws Exception {
    List<ConvergenceReport> reports = new ArrayList<>();
    try (ConvergenceChecker checker =
        new ConvergenceChecker(
            postgres.connect(database),
            ConvergenceChecker.elasticsearchClient(elasticsearch.url(), null, null, null),
            true)) {
      for (String table : List.of("customers", "products", "orders", "order_items", "reviews")) {
        reports.add(checker.check(TableCheck.of("public." + table, table)));
      }
      reports.add(
          checker.check(
              TableCheck.of("public.products", "instock-products").where("in_stock = true")));
      reports.add(checker.check(DocumentCheck.of(DocumentsIT.DOCUMENT, documentSource)));
    }
    return reports;
  }
}

package io.pgsearch.connect.e2e;

import static io.pgsearch.connect.e2e.ShippedPair.sql;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.pgsearch.connect.convergence.ConvergenceChecker;
import io.pgsearch.connect.convergence.ConvergenceReport;
import io.pgsearch.connect.convergence.TableCheck;
import io.pgsearch.connect.devstack.ConnectConfigs;
import io.pgsearch.connect.devstack.DevStackExtension;
import io.pgsearch.connect.devstack.KafkaBroker;
import io.pgsearch.connect.devstack.PostgresNode;
import io.pgsearch.connect.devstack.SearchNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code initial.load=incremental} on the shipped archives: the Connect worker (its own JVM) is
 * killed with SIGKILL in the middle of loading a 200,000-row table, while rows change; a new worker
 * resumes the load at the last committed chunk instead of starting over, and the index converges to
 * the table.
 *
 * <p>How many rows may be read twice: Connect commits the source offsets of the records Kafka
 * acknowledged, every second here ({@code offset.flush.interval.ms}); Debezium's offset holds the
 * position of the chunk being read, and a restart reads that chunk again from its start. So the
 * rows emitted twice are at most those emitted after the last committed offset (E - C: emitted
 * before the kill minus those the committed offset counts), plus one chunk: {@code chunk size x
 * chunks in flight}, with {@code ceil((E - C) / chunk) + 1} chunks in flight. A load that started
 * over would emit at least C rows twice.
 */
@ExtendWith(DevStackExtension.class)
class ResumableLoadIT {
  private static final int ROWS = 200_000;
  private static final int CHUNK = 2048;
  private static final String TABLE = "load_items";
  private static final String TOPIC = "shop.public." + TABLE;
  private static final Duration WAIT = Duration.ofMinutes(4);

  /** Kill once the committed offsets count this many rows read: a part, not all. */
  private static final long KILL_AT = ROWS / 4;

  @Test
  void aKilledWorkerResumesTheLoadAtItsLastChunk(SearchNode elasticsearch) throws Exception {
    Instant start = Instant.now();
    Path work = DevStackExtension.workDir().resolve("resumable-load-" + System.nanoTime());
    Path plugins = Archives.unpackBoth(work);
    try (PostgresNode postgres = PostgresNode.start(17, work);
        KafkaBroker kafka = KafkaBroker.start();
        WorkerGroup workers =
            new WorkerGroup(
                work,
                kafka.bootstrapServers(),
                Archives.workerClasspath(),
                List.of(plugins),
                "resumable-load")) {
      String database = postgres.createDatabase("shop");
      sql(
          postgres,
          database,
          "CREATE TABLE "
              + TABLE
              + " (id bigint PRIMARY KEY, name text NOT NULL, price numeric(10, 2),"
              + " tags text[])",
          "INSERT INTO "
              + TABLE
              + " SELECT g, 'item ' || g, g % 1000 + 0.5, ARRAY['t' || g % 7]"
              + " FROM generate_series(1, "
              + ROWS
              + ") g",
          "ANALYZE " + TABLE);
      workers.start(1);
      Map<String, String> values = ConnectConfigs.placeholders(postgres, database, elasticsearch);
      Map<String, String> source = config("pg-source.json", values);
      source.put("initial.load", "incremental");
      source.put("incremental.snapshot.chunk.size", String.valueOf(CHUNK));
      workers.rest().createConnector("pg-source", source);
      workers.rest().createConnector("es-sink", config("es-sink.json", values));

      // Changes while the load runs: rows it read already, rows ahead of it, new and deleted rows.
      long committedBefore = awaitCommittedRows(workers, CHUNK);
      assertThat(committedBefore).as("the load is under way, not done").isLessThan(ROWS);
      sql(
          postgres,
          database,
          "UPDATE " + TABLE + " SET name = 'changed early ' || id WHERE id <= 100",
          "UPDATE " + TABLE + " SET price = 1.25 WHERE id BETWEEN 150001 AND 150100",
          "DELETE FROM " + TABLE + " WHERE id BETWEEN 120001 AND 120050",
          "INSERT INTO "
              + TABLE
              + " SELECT g, 'new ' || g, 2.5, NULL FROM generate_series(200001, 200050) g");

      long committed = awaitCommittedRows(workers, KILL_AT);
      workers.killOne(new Random(0));
      long emitted = reads(kafka).total();
      assertThat(committed).as("killed in the middle of the load").isLessThan(ROWS);
      System.out.printf(
          "ResumableLoadIT: killed with %d rows committed, %d emitted%n", committed, emitted);

      workers.addOne();
      sql(
          postgres,
          database,
          "UPDATE "
              + TABLE
              + " SET name = 'changed late ' || id WHERE id BETWEEN 199901 AND 200000",
          "DELETE FROM " + TABLE + " WHERE id BETWEEN 100001 AND 100050");
      workers.rest().awaitRunning("pg-source", 1, WAIT);
      workers.rest().awaitRunning("es-sink", 2, WAIT);
      List<ConvergenceReport> reports = awaitConverged(postgres, database, elasticsearch);

      Reads reads = reads(kafka);
      long twice = reads.total() - reads.distinct();
      long inFlight = (emitted - committed + CHUNK - 1) / CHUNK + 1;
      System.out.printf(
          "ResumableLoadIT: %d rows read, %d distinct, %d twice (bound %d = %d chunks of %d in"
              + " flight), %d s%n",
          reads.total(),
          reads.distinct(),
          twice,
          inFlight * CHUNK,
          inFlight,
          CHUNK,
          Duration.between(start, Instant.now()).toSeconds());
      assertThat(reads.distinct())
          .as("every row of the table read once at least")
          .isGreaterThanOrEqualTo(ROWS - 100);
      assertThat(twice)
          .as("rows read again: those after the committed chunk, not the committed part")
          .isLessThanOrEqualTo(inFlight * CHUNK)
          .isLessThan(committed)
          .isLessThan(ROWS / 10);
      for (ConvergenceReport report : reports) {
        assertThat(report.converged()).as(report.format()).isTrue();
      }
      PackagingIT.Search es = new PackagingIT.Search(elasticsearch);
      assertThat(es.source(TABLE, "1").path("name").asText()).isEqualTo("changed early 1");
      // A change after the load: the task sees the snapshot is over and says so.
      sql(postgres, database, "UPDATE " + TABLE + " SET name = 'after the load' WHERE id = 2");
      Awaitility.await()
          .atMost(WAIT)
          .until(() -> "after the load".equals(es.source(TABLE, "2").path("name").asText()));
      String log = Files.readString(workers.logs().get(0), StandardCharsets.UTF_8);
      assertThat(log)
          .as("the new worker's progress lines")
          .containsPattern("Snapshot pgsearch-load-\\S+ of public\\." + TABLE + " resumed at \\d+")
          .containsPattern("Snapshot pgsearch-load-\\S+ of public\\." + TABLE + " done: \\d+ rows")
          .doesNotContain("item 1")
          .doesNotContain("changed late");
    }
  }

  private static Map<String, String> config(String file, Map<String, String> values) {
    JsonNode json =
        PackagingIT.Search.json(
            ConnectConfigs.fill(PackagingIT.ROOT.resolve("connect-configs").resolve(file), values));
    return PackagingIT.JSON.convertValue(
        json.path("config"), new TypeReference<Map<String, String>>() {});
  }

  /**
   * Waits until the source's committed offset counts at least {@code rows} rows read by the load
   * (the count the connector keeps beside Debezium's chunk position); returns that count.
   */
  private static long awaitCommittedRows(WorkerGroup workers, long rows) {
    AtomicLong committed = new AtomicLong();
    Awaitility.await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(
            () -> {
              JsonNode offsets = workers.rest().get("/connectors/pg-source/offsets").body();
              for (JsonNode offset : offsets.path("offsets")) {
                JsonNode count = offset.path("offset").path("pgsearch_snapshot_rows");
                if (count.isNumber()) {
                  committed.set(count.asLong());
                }
              }
              return committed.get() >= rows;
            });
    return committed.get();
  }

  private record Reads(long total, long distinct) {}

  /** The snapshot reads in the table's topic, up to its end now. */
  private static Reads reads(KafkaBroker kafka) {
    Map<String, Object> props =
        Map.of(
            "bootstrap.servers",
            kafka.bootstrapServers(),
            "key.deserializer",
            StringDeserializer.class.getName(),
            "value.deserializer",
            StringDeserializer.class.getName(),
            "max.poll.records",
            "5000");
    long total = 0;
    Set<Long> ids = new HashSet<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(TOPIC).stream()
              .map(p -> new TopicPartition(TOPIC, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofSeconds(1))) {
          if (record.offset() >= ends.get(new TopicPartition(TOPIC, record.partition()))
              || record.value() == null) {
            continue;
          }
          JsonNode payload = PackagingIT.Search.json(record.value()).path("payload");
          if ("r".equals(payload.path("op").asText())) {
            total++;
            ids.add(payload.path("after").path("id").asLong());
          }
        }
      }
    }
    return new Reads(total, ids.size());
  }

  private static List<ConvergenceReport> awaitConverged(
      PostgresNode postgres, String database, SearchNode elasticsearch) throws Exception {
    ConvergenceReport[] last = new ConvergenceReport[1];
    try (ConvergenceChecker checker =
        new ConvergenceChecker(
            postgres.connect(database),
            ConvergenceChecker.elasticsearchClient(elasticsearch.url(), null, null, null),
            true)) {
      Awaitility.await()
          .atMost(WAIT)
          .pollInterval(Duration.ofSeconds(2))
          .untilAsserted(
              () -> {
                last[0] = checker.check(TableCheck.of("public." + TABLE, TABLE));
                assertThat(last[0].converged()).as(last[0].format()).isTrue();
              });
    }
    return List.of(last[0]);
  }
}

package io.pgsearch.connect.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgsearch.connect.devstack.DevStackExtension;
import io.pgsearch.connect.devstack.MetricsAgent;
import io.pgsearch.connect.devstack.SearchNode;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a user graphs: a worker in its own JVM runs the Prometheus JMX exporter's agent with the
 * repository's {@code monitoring/jmx-exporter.yml}, the shipped pair of connectors moves a table's
 * snapshot, an insert, an update and a delete into Elasticsearch, and one scrape of {@code
 * /metrics} over HTTP then says exactly that: the sink's counters, Debezium's streaming and
 * snapshot, the sink's consumer lag at 0, every task running; and it holds every metric the Grafana
 * dashboard and the alerts use, so neither can name a metric that does not exist.
 */
@ExtendWith(DevStackExtension.class)
class MetricsScrapeIT {
  private static final String TABLE = "metered_items";
  private static final Map<String, String> SINK = Map.of("connector", "es-sink");
  private static final Map<String, String> SOURCE = Map.of("connector", "pg-source");
  private static final Map<String, String> SERVER = Map.of("server", "shop");

  @Test
  void aScrapeShowsWhatThePipelineDid(SearchNode elasticsearch) throws Exception {
    MetricsAgent agent = MetricsAgent.withRules(MonitoringFiles.RULES);
    try (ShippedPair pair = ShippedPair.start("metrics", agent.jvmOptions())) {
      String database = pair.postgres().createDatabase("shop");
      ShippedPair.sql(
          pair.postgres(),
          database,
          "CREATE TABLE " + TABLE + " (id int PRIMARY KEY, name text NOT NULL)",
          "INSERT INTO " + TABLE + " VALUES (1, 'one'), (2, 'two'), (3, 'three')");
      pair.createConnectors(database, elasticsearch);
      pair.worker().rest().awaitRunning("pg-source", 1, PackagingIT.WAIT);
      pair.worker().rest().awaitRunning("es-sink", 2, PackagingIT.WAIT);
      PackagingIT.Search es = new PackagingIT.Search(elasticsearch);
      es.awaitCount(TABLE, 3);

      // One change at a time, each searchable before the next: none is merged with another in
      // the sink's buffer, so each is one write and one timed change.
      ShippedPair.sql(pair.postgres(), database, "INSERT INTO " + TABLE + " VALUES (4, 'four')");
      es.awaitCount(TABLE, 4);
      ShippedPair.sql(
          pair.postgres(), database, "UPDATE " + TABLE + " SET name = 'deux' WHERE id = 2");
      await()
          .atMost(PackagingIT.WAIT)
          .until(() -> "deux".equals(es.source(TABLE, "2").path("name").asText()));
      ShippedPair.sql(pair.postgres(), database, "DELETE FROM " + TABLE + " WHERE id = 3");
      es.awaitMissing(TABLE, "3");

      AtomicReference<PrometheusScrape> last = new AtomicReference<>();
      try {
        await()
            .atMost(PackagingIT.WAIT)
            .pollInterval(Duration.ofSeconds(2))
            .untilAsserted(
                () -> {
                  PrometheusScrape scrape = PrometheusScrape.of(agent.url());
                  last.set(scrape);
                  assertPipeline(scrape);
                });
      } finally {
        if (last.get() != null) {
          Files.writeString(
              DevStackExtension.workDir().resolve("metrics").resolve("last-scrape.txt"),
              last.get().text());
        }
      }
      assertThat(last.get().names())
          .as("every metric the dashboard and the alerts use is in the scrape")
          .containsAll(MonitoringFiles.metricsUsed());
    }
  }

  private static void assertPipeline(PrometheusScrape scrape) {
    // The sink: 3 snapshot rows + the insert + the update indexed, the delete deleted.
    assertThat(scrape.sum("pgsearch_sink_documents_indexed_total", SINK)).isEqualTo(5);
    assertThat(scrape.sum("pgsearch_sink_documents_deleted_total", SINK)).isEqualTo(1);
    assertThat(scrape.sum("pgsearch_sink_documents_failed_total", SINK)).isZero();
    assertThat(scrape.sum("pgsearch_sink_bulk_requests_total", SINK)).isGreaterThanOrEqualTo(4);
    assertThat(scrape.sum("pgsearch_sink_changes_timed_total", SINK))
        .as("the insert, the update and the delete are timed; snapshot rows are not")
        .isEqualTo(3);
    assertThat(scrape.sum("pgsearch_sink_change_latency_seconds_total", SINK))
        .isBetween(0.0, 3 * (double) PackagingIT.WAIT.toSeconds());
    assertThat(scrape.sum("pgsearch_sink_buffered_records", SINK)).isZero();
    assertThat(scrape.sum("pgsearch_sink_oldest_buffered_record_age_seconds", SINK)).isZero();
    assertThat(scrape.of("pgsearch_sink_documents_indexed_total", SINK))
        .as("a series per sink task")
        .hasSize(2);

    // Debezium: connected, the three changes streamed, the snapshot done with the table's rows.
    assertThat(scrape.sum("debezium_postgres_streaming_connected", SERVER)).isEqualTo(1);
    for (String op : List.of("create", "update", "delete")) {
      assertThat(scrape.sum("debezium_postgres_streaming_change_events_total", op(op)))
          .as(op)
          .isGreaterThanOrEqualTo(1);
    }
    assertThat(scrape.sum("debezium_postgres_snapshot_completed", SERVER)).isEqualTo(1);
    assertThat(scrape.sum("debezium_postgres_snapshot_running", SERVER)).isZero();
    // Debezium counts the source's signal table among the snapshot's tables but never reads it.
    assertThat(
            scrape.sum("debezium_postgres_snapshot_tables", SERVER)
                - scrape.sum("debezium_postgres_snapshot_remaining_tables", SERVER))
        .as("tables the snapshot read")
        .isEqualTo(1);
    assertThat(
            scrape.of("debezium_postgres_snapshot_rows_scanned", SERVER).stream()
                .filter(sample -> sample.labels().get("table").endsWith(TABLE))
                .map(PrometheusScrape.Sample::value)
                .toList())
        .as("the snapshot's rows of " + TABLE)
        .containsExactly(3.0);
    assertThat(scrape.sum("kafka_connect_source_task_records_written_total", SOURCE))
        .isGreaterThanOrEqualTo(6);

    // The sink's consumers: a lag per partition of the table's topic (two), all of it consumed.
    assertThat(scrape.of("kafka_connect_sink_consumer_records_lag", SINK))
        .extracting(sample -> sample.labels().get("topic") + "-" + sample.labels().get("partition"))
        .containsExactlyInAnyOrder("shop.public." + TABLE + "-0", "shop.public." + TABLE + "-1");
    assertThat(scrape.sum("kafka_connect_sink_consumer_records_lag", SINK)).isZero();

    // Every connector and task running.
    assertThat(scrape.of("kafka_connect_task_status", running(SINK))).hasSize(2);
    assertThat(scrape.of("kafka_connect_task_status", running(SOURCE))).hasSize(1);
    assertThat(scrape.sum("kafka_connect_connector_status", running(SINK))).isEqualTo(1);
    assertThat(scrape.sum("kafka_connect_connector_status", running(SOURCE))).isEqualTo(1);
    assertThat(
            scrape.sum(
                "kafka_connect_worker_connector_tasks",
                Map.of("connector", "es-sink", "state", "running")))
        .isEqualTo(2);
    assertThat(
            scrape.sum(
                "kafka_connect_worker_connector_tasks",
                Map.of("connector", "es-sink", "state", "failed")))
        .isZero();
  }

  private static Map<String, String> op(String op) {
    return Map.of("server", "shop", "op", op);
  }

  private static Map<String, String> running(Map<String, String> connector) {
    return Map.of("connector", connector.get("connector"), "status", "running");
  }
}

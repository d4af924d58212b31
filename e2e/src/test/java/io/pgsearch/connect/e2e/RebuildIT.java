package io.pgsearch.connect.e2e;

import static io.pgsearch.connect.e2e.ShippedPair.sql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.pgsearch.connect.convergence.ConvergenceChecker;
import io.pgsearch.connect.convergence.ConvergenceReport;
import io.pgsearch.connect.convergence.TableCheck;
import io.pgsearch.connect.devstack.ConnectRest;
import io.pgsearch.connect.devstack.DevStackExtension;
import io.pgsearch.connect.devstack.PostgresNode;
import io.pgsearch.connect.devstack.SearchNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Zero-downtime rebuild, as a user runs it: the index's definition changes (a field that was text
 * becomes a keyword, and the index gets two shards: neither can change in place), the user calls
 * the source connector's {@code pgsearch_<connector>_rebuild} SQL function, and the sink builds a
 * new generation from the database while the old one keeps serving, then swaps the alias. A search
 * client counts the documents through the alias all along while a writer keeps updating rows: every
 * answer has every document, the new mapping is live after the swap, and the index converges with
 * the table.
 */
@ExtendWith(DevStackExtension.class)
class RebuildIT {
  private static final String TABLE = "rebuild_items";
  private static final int ROWS = 3_000;
  private static final String NEW_DEFINITION =
      "{\"settings\": {\"number_of_shards\": 2},"
          + " \"mappings\": {\"properties\": {\"code\": {\"type\": \"keyword\"}}}}";

  @Test
  void aRebuildSwapsInTheNewDefinitionWhileEverySearchSeesEveryDocument(SearchNode elasticsearch)
      throws Exception {
    try (ShippedPair pair = ShippedPair.start("rebuild")) {
      PostgresNode postgres = pair.postgres();
      String database = postgres.createDatabase("shop");
      sql(
          postgres,
          database,
          "CREATE TABLE "
              + TABLE
              + " (id int PRIMARY KEY, name text NOT NULL, code text NOT NULL, price"
              + " numeric(10, 2))",
          "INSERT INTO "
              + TABLE
              + " SELECT g, 'item ' || g, 'C-' || g, g FROM generate_series(1, "
              + ROWS
              + ") g");
      pair.createConnectors(database, elasticsearch);
      PackagingIT.Search es = new PackagingIT.Search(elasticsearch);
      es.awaitCount(TABLE, ROWS);
      assertThat(concreteIndexes(elasticsearch)).containsExactly(TABLE + "-000001");
      assertThat(PackagingIT.Search.json(es.mappings(TABLE)).path("code").path("type").asText())
          .as("inferred at creation")
          .isEqualTo("text");
      assertThat(termHits(elasticsearch, "C-17")).as("code is analysed text").isZero();

      ConnectRest rest = pair.worker().rest();
      Map<String, String> sink =
          PackagingIT.JSON.convertValue(
              rest.get("/connectors/es-sink/config").ok().body(),
              new TypeReference<Map<String, String>>() {});
      sink.put("index.definition", NEW_DEFINITION);
      // As the rebuild procedure says: the sink's tasks run the new definition before the rebuild.
      rest.reconfigure("es-sink", sink, 2, PackagingIT.WAIT);

      List<Long> counts = Collections.synchronizedList(new ArrayList<>());
      List<String> errors = Collections.synchronizedList(new ArrayList<>());
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong updates = new AtomicLong();
      Thread searcher =
          new Thread(() -> search(elasticsearch, stop, counts, errors), "rebuild-searcher");
      Thread writer =
          new Thread(() -> write(postgres, database, stop, updates, errors), "rebuild-writer");
      searcher.start();
      writer.start();
      try {
        String id;
        try (Connection connection = postgres.connect(database);
            Statement statement = connection.createStatement();
            ResultSet result =
                statement.executeQuery(
                    "SELECT pgsearch_pg_source_rebuild('public." + TABLE + "')")) {
          result.next();
          id = result.getString(1);
        }
        assertThat(id).startsWith("rebuild-");
        await()
            .atMost(PackagingIT.WAIT)
            .pollInterval(Duration.ofMillis(500))
            .until(() -> concreteIndexes(elasticsearch).equals(List.of(TABLE + "-000002")));
        int countsAtSwap = counts.size();
        // Searches go on until the previous generation is deleted, and a while after.
        await()
            .atMost(PackagingIT.WAIT)
            .pollInterval(Duration.ofMillis(500))
            .until(
                () -> elasticsearch.request("GET", "/" + TABLE + "-000001", null).status() == 404);
        int countsAtDelete = counts.size();
        assertThat(countsAtDelete).as("searches after the swap").isGreaterThan(countsAtSwap);
        await().atMost(PackagingIT.WAIT).until(() -> counts.size() > countsAtDelete + 20);
      } finally {
        stop.set(true);
        writer.join();
        searcher.join();
      }

      assertThat(errors).as("search and write errors").isEmpty();
      assertThat(updates.get()).as("rows updated during the rebuild").isPositive();
      assertThat(counts).as("searches during the rebuild").hasSizeGreaterThan(20);
      assertThat(counts).as("every search's document count").containsOnly((long) ROWS);

      JsonNode properties = PackagingIT.Search.json(es.mappings(TABLE));
      assertThat(properties.path("code").path("type").asText()).isEqualTo("keyword");
      assertThat(
              PackagingIT.Search.json(
                      elasticsearch.request("GET", "/" + TABLE + "/_settings", null).body())
                  .path(TABLE + "-000002")
                  .path("settings")
                  .path("index")
                  .path("number_of_shards")
                  .asText())
          .isEqualTo("2");
      assertThat(termHits(elasticsearch, "C-17")).as("code is a keyword now").isEqualTo(1);

      try (ConvergenceChecker checker =
          new ConvergenceChecker(
              postgres.connect(database),
              ConvergenceChecker.elasticsearchClient(elasticsearch.url(), null, null, null),
              true)) {
        await()
            .atMost(PackagingIT.WAIT)
            .pollInterval(Duration.ofSeconds(2))
            .untilAsserted(
                () -> {
                  ConvergenceReport report = checker.check(TableCheck.of("public." + TABLE, TABLE));
                  assertThat(report.converged()).as(report.format()).isTrue();
                });
      }
      JsonNode item = es.source(TABLE, "17");
      assertThat(item.path("code").asText()).isEqualTo("C-17");
      assertThat(item.path("id").asInt()).isEqualTo(17);
      assertThat(rest.get("/connectors/pg-source/status").body().toString())
          .doesNotContain("FAILED");
      assertThat(rest.get("/connectors/es-sink/status").body().toString()).doesNotContain("FAILED");
    }
  }

  /** The concrete indexes behind the alias, in name order. */
  private static List<String> concreteIndexes(SearchNode elasticsearch) {
    SearchNode.Response response = elasticsearch.request("GET", "/_alias/" + TABLE, null);
    if (response.status() != 200) {
      return List.of();
    }
    List<String> names = new ArrayList<>();
    PackagingIT.Search.json(response.body()).fieldNames().forEachRemaining(names::add);
    Collections.sort(names);
    return names;
  }

  private static long termHits(SearchNode elasticsearch, String code) {
    SearchNode.Response response =
        elasticsearch.request(
            "POST",
            "/" + TABLE + "/_search",
            "{\"size\": 0, \"query\": {\"term\": {\"code\": \"" + code + "\"}}}");
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return PackagingIT.Search.json(response.body())
        .path("hits")
        .path("total")
        .path("value")
        .asLong();
  }

  /** Counts through the alias, as a search client would, without forcing a refresh. */
  private static void search(
      SearchNode elasticsearch, AtomicBoolean stop, List<Long> counts, List<String> errors) {
    while (!stop.get()) {
      try {
        SearchNode.Response response = elasticsearch.request("GET", "/" + TABLE + "/_count", null);
        if (response.status() == 200) {
          counts.add(PackagingIT.Search.json(response.body()).path("count").asLong());
        } else {
          errors.add("_count answered " + response.status() + ": " + response.body());
        }
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        errors.add("_count failed: " + e);
      }
    }
  }

  /** Updates random rows, about a hundred a second, until stopped. */
  private static void write(
      PostgresNode postgres,
      String database,
      AtomicBoolean stop,
      AtomicLong updates,
      List<String> errors) {
    SplittableRandom random = new SplittableRandom(ROWS);
    try (Connection connection = postgres.connect(database);
        PreparedStatement update =
            connection.prepareStatement(
                "UPDATE " + TABLE + " SET name = ?, price = price + 1 WHERE id = ?")) {
      while (!stop.get()) {
        long n = updates.incrementAndGet();
        update.setString(1, "updated " + n);
        update.setInt(2, 1 + random.nextInt(ROWS));
        update.executeUpdate();
        Thread.sleep(10);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      errors.add("update failed: " + e);
    }
  }
}

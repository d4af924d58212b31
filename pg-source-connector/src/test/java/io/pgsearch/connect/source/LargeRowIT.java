package io.pgsearch.connect.source;

import static io.pgsearch.connect.source.SourceFixture.TIMEOUT;
import static io.pgsearch.connect.source.SourceFixture.changes;
import static io.pgsearch.connect.source.SourceFixture.config;
import static io.pgsearch.connect.source.SourceFixture.sql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgsearch.connect.devstack.ConnectCluster;
import io.pgsearch.connect.devstack.DevStackExtension;
import io.pgsearch.connect.devstack.LogCapture;
import io.pgsearch.connect.devstack.PostgresNode;
import io.pgsearch.connect.source.SourceFixture.Event;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A row larger than Kafka takes does not stop capture: with Kafka's default limits (1 MiB) a 3 MB
 * description is left out of its change, the header names it, the task stays RUNNING and the
 * changes after it, of every table, arrive.
 */
@ExtendWith(DevStackExtension.class)
class LargeRowIT {

  @Test
  void aRowOverTheLimitHasItsLargestValueLeftOutAndCaptureGoesOn(
      PostgresNode postgres, ConnectCluster connect) throws Exception {
    String db = postgres.createDatabase("large");
    sql(
        postgres,
        db,
        "CREATE TABLE products (id int PRIMARY KEY, name text NOT NULL, description text)",
        "CREATE TABLE customers (id int PRIMARY KEY, name text)");
    String secret = "LARGEVALUE" + System.nanoTime();
    try (LogCapture log = LogCapture.all()) {
      SourceFixture.start(connect, "large", config(postgres, db, "large"));
      sql(
          postgres,
          db,
          "INSERT INTO products VALUES (1, 'Red hat', '"
              + secret
              + SourceFixture.randomText(3_000_000)
              + "')",
          "INSERT INTO products VALUES (2, 'Blue hat', 'small')",
          "INSERT INTO customers VALUES (1, 'after the large row')");

      await()
          .atMost(TIMEOUT)
          .untilAsserted(
              () -> {
                assertThat(changes(connect, "large.public.products")).hasSize(2);
                assertThat(changes(connect, "large.public.customers")).hasSize(1);
              });
      List<Event> products = changes(connect, "large.public.products");
      assertThat(products.get(0).after().path("name").asText()).isEqualTo("Red hat");
      assertThat(products.get(0).after().path("description").isNull()).isTrue();
      assertThat(products.get(1).after().path("description").asText()).isEqualTo("small");
      ConsumerRecord<byte[], byte[]> large =
          connect
              .embedded()
              .kafka()
              .consumeAll(TIMEOUT.toMillis(), "large.public.products")
              .iterator()
              .next();
      Header omitted = large.headers().lastHeader("pgsearch.omitted");
      assertThat(omitted).isNotNull();
      assertThat(new String(omitted.value(), StandardCharsets.UTF_8)).contains("description");
      assertThat(connect.rest().get("/connectors/large/status").body().toString())
          .doesNotContain("FAILED");
      assertThat(log.warnings())
          .anySatisfy(
              line ->
                  assertThat(line)
                      .contains("public.products", "row.max.bytes", "[description]")
                      .doesNotContain(secret));
      assertThat(log.lines()).noneMatch(line -> line.contains(secret));
    }
    SourceFixture.stop(connect, "large");
  }
}

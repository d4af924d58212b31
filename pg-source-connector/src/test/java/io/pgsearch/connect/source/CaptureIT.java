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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Snapshot then streaming of whole tables, and what happens to tables without a primary key. */
@ExtendWith(DevStackExtension.class)
class CaptureIT {

  @Test
  void everyTableOfTheSchemaIsSnapshottedThenStreamedToItsOwnTopic(
      PostgresNode postgres, ConnectCluster connect) throws Exception {
    String db = postgres.createDatabase("capture");
    sql(
        postgres,
        db,
        "CREATE TABLE authors (id int PRIMARY KEY, name text)",
        "CREATE TABLE books (isbn text PRIMARY KEY, title text)",
        "CREATE TABLE reviews (book text, reviewer int, stars int, PRIMARY KEY (book, reviewer))",
        "CREATE TABLE notes (body text)",
        "INSERT INTO authors VALUES (1, 'Le Guin'), (2, 'Lem')",
        "INSERT INTO books VALUES ('isbn-1', 'The Dispossessed')",
        "INSERT INTO reviews VALUES ('isbn-1', 7, 5)",
        "INSERT INTO notes VALUES ('no key')");

    try (LogCapture log = LogCapture.of(PostgresSourceConnector.class)) {
      SourceFixture.start(connect, "capture-all", config(postgres, db, "cap"));
      assertThat(log.warnings())
          .anySatisfy(line -> assertThat(line).contains("without a primary key", "public.notes"));
    }

    sql(
        postgres,
        db,
        "INSERT INTO authors VALUES (3, 'Butler')",
        "UPDATE authors SET name = 'Ursula K. Le Guin' WHERE id = 1",
        "DELETE FROM authors WHERE id = 2",
        "INSERT INTO books VALUES ('isbn-2', 'Solaris')",
        "UPDATE books SET title = 'The Dispossessed (1974)' WHERE isbn = 'isbn-1'",
        "DELETE FROM books WHERE isbn = 'isbn-2'",
        "INSERT INTO reviews VALUES ('isbn-1', 8, 3)",
        "UPDATE reviews SET stars = 4 WHERE book = 'isbn-1' AND reviewer = 7",
        "DELETE FROM reviews WHERE book = 'isbn-1' AND reviewer = 8",
        "INSERT INTO notes VALUES ('still no key')");

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              List<Event> authors = changes(connect, "cap.public.authors");
              assertThat(authors).extracting(Event::op).containsExactly("r", "r", "c", "u", "d");
              assertThat(authors)
                  .extracting(e -> e.key().toString())
                  .containsExactly(
                      "{\"id\":1}", "{\"id\":2}", "{\"id\":3}", "{\"id\":1}", "{\"id\":2}");
              assertThat(authors.get(3).after().path("name").asText())
                  .isEqualTo("Ursula K. Le Guin");

              List<Event> books = changes(connect, "cap.public.books");
              assertThat(books).extracting(Event::op).containsExactly("r", "c", "u", "d");
              assertThat(books)
                  .extracting(e -> e.key().toString())
                  .containsExactly(
                      "{\"isbn\":\"isbn-1\"}",
                      "{\"isbn\":\"isbn-2\"}",
                      "{\"isbn\":\"isbn-1\"}",
                      "{\"isbn\":\"isbn-2\"}");

              List<Event> reviews = changes(connect, "cap.public.reviews");
              assertThat(reviews).extracting(Event::op).containsExactly("r", "c", "u", "d");
              assertThat(reviews.get(2).key().toString())
                  .isEqualTo("{\"book\":\"isbn-1\",\"reviewer\":7}");
              assertThat(reviews.get(2).after().path("stars").asInt()).isEqualTo(4);
            });
    // A delete is followed by a tombstone with the same key.
    List<Event> all = SourceFixture.events(connect, "cap.public.authors");
    assertThat(all.get(all.size() - 1).op()).isNull();
    assertThat(all.get(all.size() - 1).key().toString()).isEqualTo("{\"id\":2}");
    assertThat(SourceFixture.topics(connect))
        .contains("cap.public.authors", "cap.public.books", "cap.public.reviews")
        .doesNotContain("cap.public.notes");
    SourceFixture.stop(connect, "capture-all");
  }

  @Test
  void aTableWithoutPrimaryKeyIsCapturedByConfiguredKeyColumns(
      PostgresNode postgres, ConnectCluster connect) throws Exception {
    String db = postgres.createDatabase("keycols");
    sql(
        postgres,
        db,
        "CREATE TABLE stock (sku text NOT NULL, warehouse text NOT NULL, qty int)",
        "INSERT INTO stock VALUES ('a', 'north', 1), ('b', 'south', 2)");
    Map<String, String> config = config(postgres, db, "keyed");
    config.put("message.key.columns", "public.stock:sku,warehouse");
    config.put("replica.identity.autoset", "true");
    SourceFixture.start(connect, "capture-keyed", config);

    sql(
        postgres,
        db,
        "UPDATE stock SET qty = 10 WHERE sku = 'a'",
        "DELETE FROM stock WHERE sku = 'b'");

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              List<Event> stock = changes(connect, "keyed.public.stock");
              assertThat(stock).extracting(Event::op).containsExactly("r", "r", "u", "d");
              assertThat(stock)
                  .extracting(e -> e.key().toString())
                  .containsExactly(
                      "{\"sku\":\"a\",\"warehouse\":\"north\"}",
                      "{\"sku\":\"b\",\"warehouse\":\"south\"}",
                      "{\"sku\":\"a\",\"warehouse\":\"north\"}",
                      "{\"sku\":\"b\",\"warehouse\":\"south\"}");
              assertThat(stock.get(2).after().path("qty").asInt()).isEqualTo(10);
              assertThat(stock.get(3).before().path("qty").asInt()).isEqualTo(2);
            });
    SourceFixture.stop(connect, "capture-keyed");
  }
}

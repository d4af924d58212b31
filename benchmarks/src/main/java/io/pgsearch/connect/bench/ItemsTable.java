package io.pgsearch.connect.bench;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The table every PostgreSQL benchmark writes: realistic columns (text, numeric, timestamptz,
 * jsonb, bool) and a {@code rev} counter that every change increments, so the sum of {@code rev}
 * over the index counts the changes Elasticsearch has applied.
 */
final class ItemsTable {
  static final String NAME = "items";

  static final String CREATE =
      "CREATE TABLE items ("
          + " id bigint PRIMARY KEY,"
          + " sku text NOT NULL,"
          + " name text NOT NULL,"
          + " description text,"
          + " price numeric(12,2) NOT NULL,"
          + " quantity integer NOT NULL,"
          + " created_at timestamptz NOT NULL,"
          + " updated_at timestamptz NOT NULL,"
          + " attributes jsonb,"
          + " active boolean NOT NULL,"
          + " rev integer NOT NULL)";

  /** One row per id; the values vary with the id the way a product catalogue does. */
  static final String INSERT_SELECT =
      "INSERT INTO items SELECT g, 'SKU-' || g, 'Item ' || g || ' ' || md5(g::text),"
          + " 'A ' || (ARRAY['red','green','blue','black','white'])[g % 5 + 1] || ' item, size '"
          + " || (g % 50) || '. ' || md5((g * 7)::text) || ' ' || md5((g * 13)::text),"
          + " ((g * 37) % 100000) / 100.0, g % 500, now() - make_interval(secs => g), now(),"
          + " jsonb_build_object('color', (ARRAY['red','green','blue','black','white'])[g % 5 + 1],"
          + " 'size', g % 50, 'tags', jsonb_build_array('t' || (g % 10), 't' || (g % 7)),"
          + " 'dimensions', jsonb_build_object('w', g % 100, 'h', g % 30)),"
          + " g % 3 <> 0, 1 FROM generate_series(?, ?) g";

  /** A change to an existing row: a new price and quantity, one more revision. */
  static final String UPDATE =
      "UPDATE items SET price = price + 0.01, quantity = quantity + 1, updated_at = now(),"
          + " rev = rev + 1 WHERE id = ?";

  private ItemsTable() {}

  /** Creates the table and fills ids 1..rows in one statement per 100,000 rows. */
  static void create(Connection connection, long rows) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(CREATE);
    }
    connection.setAutoCommit(false);
    try (var insert = connection.prepareStatement(INSERT_SELECT)) {
      for (long first = 1; first <= rows; first += 100_000) {
        insert.setLong(1, first);
        insert.setLong(2, Math.min(rows, first + 99_999));
        insert.executeUpdate();
        connection.commit();
      }
    } finally {
      connection.setAutoCommit(true);
    }
    try (Statement statement = connection.createStatement()) {
      statement.execute("VACUUM ANALYZE items");
    }
  }
}

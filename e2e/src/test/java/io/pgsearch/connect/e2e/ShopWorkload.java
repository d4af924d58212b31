package io.pgsearch.connect.e2e;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A mixed write load on the sample shop: inserts, updates and deletes on every table (order_items
 * has a composite key), large descriptions rewritten or left unchanged (TOAST), products moving in
 * and out of the in-stock row filter, NULLs written to a column with a DEFAULT, and one product
 * over the row size limit ({@link #OVERSIZED_BYTES}); at fixed points it adds a column to a live
 * table and creates a new table with rows, which then get changes too. Transactions that fail
 * (PostgreSQL restarting) are rolled back and the connection is opened again: only committed
 * changes count.
 */
final class ShopWorkload implements Runnable {
  /** What the workload needs beyond samples/shop.sql: a column with a DEFAULT that gets NULLs. */
  static final String SCHEMA_ADDITIONS =
      "ALTER TABLE customers ADD COLUMN nickname text DEFAULT 'none'";

  /** Rows of the sample data the workload never deletes: the end markers use them. */
  static final int KEPT = 10;

  /**
   * Over the row limit the shipped source configs give (half of their 16 MiB Kafka limit): the
   * connector leaves the description out of this row's changes and flags it, and capture goes on.
   */
  static final int OVERSIZED_BYTES = 9 * 1024 * 1024;

  /** The transaction that inserts the oversized product (later ones may update it). */
  static final long OVERSIZED_AT = 300;

  /** The transaction that adds a column to a live table: orders.note, without a DEFAULT. */
  static final long ADD_COLUMN_AT = 150;

  /** The transaction that creates a table, reviews, with rows, while the connectors run. */
  static final long NEW_TABLE_AT = 450;

  /** Rows the new table is created with (before the connector knows it). */
  static final int REVIEWS = 200;

  /**
   * The transaction that truncates order_items and, in the same transaction after the TRUNCATE,
   * inserts again the lines of the first {@link #ORDERS_KEPT_BY_TRUNCATE} orders (later
   * transactions add and change more).
   */
  static final long TRUNCATE_AT = 2_500;

  static final long ORDERS_KEPT_BY_TRUNCATE = 100;

  private final Callable<Connection> connections;
  private final Random random;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicLong rowsWritten = new AtomicLong();
  private final AtomicLong transactions = new AtomicLong();
  private final AtomicLong failedTransactions = new AtomicLong();
  private long nextId = 100_000;

  /** Milestones committed so far: 0, 1 after ADD COLUMN, 2 after CREATE TABLE, 3 after TRUNCATE. */
  private int stage;

  private int pendingStage;

  ShopWorkload(Callable<Connection> connections, long seed) {
    this.connections = connections;
    this.random = new Random(seed);
  }

  void stop() {
    running.set(false);
  }

  long rowsWritten() {
    return rowsWritten.get();
  }

  long transactions() {
    return transactions.get();
  }

  /** Whether the new table exists (its CREATE committed). */
  boolean createdNewTable() {
    return stage >= 2;
  }

  /** Whether order_items was truncated (that transaction committed). */
  boolean truncatedOrderItems() {
    return stage >= 3;
  }

  long failedTransactions() {
    return failedTransactions.get();
  }

  @Override
  public void run() {
    Connection connection = null;
    while (running.get()) {
      try {
        if (connection == null) {
          connection = connections.call();
          connection.setAutoCommit(false);
        }
        pendingStage = stage;
        long rows = transaction(connection);
        connection.commit();
        stage = pendingStage;
        rowsWritten.addAndGet(rows);
        transactions.incrementAndGet();
        Thread.sleep(15);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        failedTransactions.incrementAndGet();
        connection = closeQuietly(connection);
        pause(500);
      }
    }
    closeQuietly(connection);
  }

  private long transaction(Connection c) throws SQLException {
    long rows = 0;
    if (transactions.get() == OVERSIZED_AT) {
      rows += insertOversizedProduct(c);
    }
    if (transactions.get() == ADD_COLUMN_AT) {
      update(c, "ALTER TABLE orders ADD COLUMN note text");
      pendingStage = 1;
    }
    if (transactions.get() == NEW_TABLE_AT) {
      update(
          c,
          "CREATE TABLE reviews (id bigint PRIMARY KEY, product_id bigint NOT NULL,"
              + " stars int NOT NULL, body text)");
      rows +=
          update(
              c,
              "INSERT INTO reviews SELECT g, 1 + g % 300, 1 + g % 5, 'review ' || g"
                  + " FROM generate_series(1, ?) g",
              (long) REVIEWS);
      pendingStage = 2;
    }
    if (transactions.get() == TRUNCATE_AT && stage == 2) {
      update(
          c,
          "CREATE TEMPORARY TABLE kept_items ON COMMIT DROP AS SELECT * FROM order_items"
              + " WHERE order_id <= ?",
          ORDERS_KEPT_BY_TRUNCATE);
      update(c, "TRUNCATE order_items");
      rows += update(c, "INSERT INTO order_items SELECT * FROM kept_items");
      pendingStage = 3;
    }
    int statements = 1 + random.nextInt(3);
    for (int i = 0; i < statements; i++) {
      rows += change(c);
    }
    return rows;
  }

  private long change(Connection c) throws SQLException {
    long product = 1 + random.nextInt(300);
    long order = 1 + random.nextInt(1500);
    switch (random.nextInt(12)) {
      case 0:
        // Another column changes; a large description stays unchanged (unchanged TOAST).
        return update(
            c,
            "UPDATE products SET price = ?, updated_at = now() WHERE id = ?",
            Math.round(random.nextDouble() * 100_000) / 100.0,
            product);
      case 1:
      case 2:
        // In and out of the row filter in_stock = true.
        return update(
            c,
            "UPDATE products SET in_stock = NOT in_stock, updated_at = now() WHERE id = ?",
            product);
      case 3:
        return update(
            c,
            "UPDATE products SET description = ? WHERE id = ?",
            randomText(random, 4_000 + random.nextInt(30_000)),
            product);
      case 4:
        return insertProduct(c);
      case 5:
        // Only products the workload inserted: no order line refers to them.
        return update(
            c,
            "DELETE FROM products WHERE id = (SELECT max(id) FROM products WHERE"
                + " id > 100000 AND id % 3 = ?)",
            (long) random.nextInt(3));
      case 6:
        {
          String status =
              new String[] {"placed", "paid", "shipped", "delivered", "returned"}
                  [random.nextInt(5)];
          String note = random.nextBoolean() ? null : "note " + random.nextInt(100);
          return stage >= 1
              ? update(
                  c, "UPDATE orders SET status = ?, note = ? WHERE id = ?", status, note, order)
              : update(c, "UPDATE orders SET status = ? WHERE id = ?", status, order);
        }
      case 7:
        return insertOrder(c);
      case 8:
        return order <= KEPT
            ? 0
            : update(c, "DELETE FROM order_items WHERE order_id = ?", order)
                + update(c, "DELETE FROM orders WHERE id = ?", order);
      case 9:
        if (stage >= 2 && random.nextBoolean()) {
          long review = 1 + random.nextInt(REVIEWS + 50);
          return update(
              c,
              "INSERT INTO reviews VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE"
                  + " SET stars = excluded.stars, body = excluded.body",
              review,
              product,
              (long) (1 + random.nextInt(5)),
              random.nextBoolean() ? null : "review " + random.nextInt(1000));
        }
        return update(
            c,
            "UPDATE order_items SET quantity = quantity + 1 WHERE order_id = ?"
                + " AND line_no = ?",
            order,
            (long) (1 + random.nextInt(3)));
      case 10:
        return order <= KEPT
            ? 0
            : update(
                    c,
                    "DELETE FROM order_items WHERE order_id = ? AND line_no = ?",
                    order,
                    (long) (1 + random.nextInt(3)))
                + update(
                    c,
                    "INSERT INTO order_items (order_id, line_no, product_id, quantity,"
                        + " unit_price) SELECT id, coalesce((SELECT max(line_no) FROM order_items"
                        + " WHERE order_id = ?), 0) + 1, ?, 1, 9.99 FROM orders WHERE id = ?",
                    order,
                    product,
                    order);
      default:
        // nickname has a DEFAULT ('none'): a NULL stored in it must stay null in the index.
        return update(
            c,
            "UPDATE customers SET full_name = ?, nickname = ? WHERE id = ?",
            "Customer " + random.nextInt(1_000_000),
            random.nextBoolean() ? null : "nick " + random.nextInt(1000),
            (long) (1 + random.nextInt(1000)));
    }
  }

  private long insertProduct(Connection c) throws SQLException {
    long id = ++nextId;
    String description = "short " + id;
    if (random.nextBoolean()) {
      description = randomText(random, 10_000 + random.nextInt(20_000));
    }
    return update(
        c,
        "INSERT INTO products (id, sku, name, description, price, in_stock, tags,"
            + " attributes) VALUES (?, ?, ?, ?, 12.50, ?, ARRAY['new'], '{\"n\": 1.50}')",
        id,
        "SKU-" + id,
        "Product " + id,
        description,
        random.nextBoolean());
  }

  private long insertOversizedProduct(Connection c) throws SQLException {
    long id = ++nextId;
    return update(
        c,
        "INSERT INTO products (id, sku, name, description, price, in_stock, tags, attributes)"
            + " VALUES (?, ?, 'Oversized', ?, 99.00, true, ARRAY['large'], '{}')",
        id,
        "SKU-" + id,
        randomText(random, OVERSIZED_BYTES));
  }

  private long insertOrder(Connection c) throws SQLException {
    long id = ++nextId;
    long rows =
        update(
            c,
            "INSERT INTO orders (id, customer_id, status, total, placed_at)"
                + " VALUES (?, ?, 'placed', 0, now())",
            id,
            (long) (1 + random.nextInt(1000)));
    int lines = 1 + random.nextInt(3);
    for (int line = 1; line <= lines; line++) {
      rows +=
          update(
              c,
              "INSERT INTO order_items (order_id, line_no, product_id, quantity,"
                  + " unit_price) VALUES (?, ?, ?, ?, 19.90)",
              id,
              (long) line,
              (long) (1 + random.nextInt(2000)),
              (long) (1 + random.nextInt(4)));
    }
    return rows
        + update(
            c,
            "UPDATE orders SET total = (SELECT sum(quantity * unit_price) FROM"
                + " order_items WHERE order_id = ?) WHERE id = ?",
            id,
            id);
  }

  private static long update(Connection c, String sql, Object... parameters) throws SQLException {
    try (PreparedStatement statement = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      return statement.executeUpdate();
    }
  }

  private static Connection closeQuietly(Connection connection) {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        // already broken
      }
    }
    return null;
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Random letters: they do not compress, so PostgreSQL stores a long one out of line (TOAST). */
  static String randomText(Random random, int length) {
    StringBuilder text = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      text.append((char) ('a' + random.nextInt(26)));
    }
    return text.toString();
  }
}

package io.pgsearch.connect.bench;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;

/**
 * The shop the document measurements build {@code order_documents} from: the tables of
 * samples/shop.sql (customers, products, orders, order_items with a composite key), generated in
 * SQL at a given number of orders. Every order has 2 to 4 items (3 on average); every customer has
 * the same number of orders; line 1 of every tenth order holds {@link #RENAMED_PRODUCT}, which no
 * other line holds, so renaming it touches a tenth of the orders (10,000 of the default 100,000).
 *
 * @param orders orders, ids 1..orders
 * @param customers customers, ids 1..customers; order o belongs to customer 1 + o % customers
 * @param products products, ids 1..products
 */
record ShopTables(int orders, int customers, int products) {
  /** The product in line 1 of every tenth order, and in no other line. */
  static final long RENAMED_PRODUCT = 1;

  /** Orders per customer. */
  static final int ORDERS_PER_CUSTOMER = 5;

  /** The shop for a number of orders: a customer per 5 orders, a product per 20 (at least 100). */
  static ShopTables of(int orders) {
    return new ShopTables(
        orders, Math.max(1, orders / ORDERS_PER_CUSTOMER), Math.max(100, orders / 20));
  }

  /** The orders whose line 1 is the renamed product: those whose id is a multiple of 10. */
  int ordersWithRenamedProduct() {
    return orders / 10;
  }

  /** Items of all orders: 2 + o % 3 for order o. */
  long items() {
    long items = 0;
    for (int remainder = 0; remainder < 3; remainder++) {
      // orders o in 1..orders with o % 3 == remainder
      long count = (orders - remainder) / 3 + (remainder == 0 ? 0 : 1);
      items += count * (2 + remainder);
    }
    return items;
  }

  /** The customer of an order. */
  long customerOf(long order) {
    return 1 + order % customers;
  }

  /** The tables, with the indexes a shop has on its foreign key columns. */
  static final List<String> CREATE =
      List.of(
          "CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL UNIQUE,"
              + " full_name text NOT NULL, country char(2) NOT NULL,"
              + " created_at timestamptz NOT NULL DEFAULT now())",
          "CREATE TABLE products (id bigint PRIMARY KEY, sku text NOT NULL UNIQUE,"
              + " name text NOT NULL, description text, price numeric(12, 2) NOT NULL,"
              + " in_stock boolean NOT NULL DEFAULT true, tags text[] NOT NULL DEFAULT '{}',"
              + " attributes jsonb NOT NULL DEFAULT '{}',"
              + " updated_at timestamptz NOT NULL DEFAULT now())",
          "CREATE TABLE orders (id bigint PRIMARY KEY,"
              + " customer_id bigint NOT NULL REFERENCES customers (id), status text NOT NULL,"
              + " total numeric(14, 2) NOT NULL, placed_at timestamptz NOT NULL)",
          "CREATE TABLE order_items (order_id bigint NOT NULL REFERENCES orders (id),"
              + " line_no int NOT NULL, product_id bigint NOT NULL REFERENCES products (id),"
              + " quantity int NOT NULL, unit_price numeric(12, 2) NOT NULL,"
              + " PRIMARY KEY (order_id, line_no))",
          "CREATE INDEX orders_customer_id ON orders (customer_id)",
          "CREATE INDEX order_items_product_id ON order_items (product_id)");

  /** The statements that fill the tables, in order. */
  List<String> fill() {
    return List.of(
        String.format(
            Locale.ROOT,
            "INSERT INTO customers (id, email, full_name, country, created_at)"
                + " SELECT g, 'customer' || g || '@example.com', 'Customer ' || g,"
                + " (ARRAY['DE', 'FR', 'US', 'JP', 'BR'])[1 + g %% 5],"
                + " timestamptz '2024-01-01 00:00:00+00' + g * interval '37 minutes'"
                + " FROM generate_series(1, %d) AS g",
            customers),
        String.format(
            Locale.ROOT,
            "INSERT INTO products (id, sku, name, description, price, in_stock, tags,"
                + " attributes, updated_at)"
                + " SELECT g, 'SKU-' || lpad(g::text, 7, '0'),"
                + " (ARRAY['Red', 'Blue', 'Green', 'Black', 'White'])[1 + g %% 5] || ' '"
                + " || (ARRAY['running shoes', 'rain jacket', 'wool hat', 'backpack',"
                + " 'water bottle'])[1 + (g / 5) %% 5],"
                + " 'A sturdy product number ' || g || ' for everyday use.',"
                + " round((5 + (g * 7919 %% 20000) / 100.0)::numeric, 2), g %% 7 <> 0,"
                + " ARRAY[(ARRAY['outdoor', 'sport', 'winter', 'travel'])[1 + g %% 4], 'all'],"
                + " jsonb_build_object('weight_g', 100 + g %% 900,"
                + " 'origin', (ARRAY['PT', 'VN', 'DE'])[1 + g %% 3]),"
                + " timestamptz '2024-06-01 00:00:00+00' + g * interval '11 minutes'"
                + " FROM generate_series(1, %d) AS g",
            products),
        String.format(
            Locale.ROOT,
            "INSERT INTO orders (id, customer_id, status, total, placed_at)"
                + " SELECT g, 1 + g %% %d,"
                + " (ARRAY['placed', 'paid', 'shipped', 'delivered'])[1 + g %% 4], 0,"
                + " timestamptz '2024-07-01 00:00:00+00' + g * interval '5 minutes'"
                + " FROM generate_series(1, %d) AS g",
            customers,
            orders),
        // Line 1 of every tenth order holds the renamed product; every other line one of the
        // products 2..products.
        String.format(
            Locale.ROOT,
            "INSERT INTO order_items (order_id, line_no, product_id, quantity, unit_price)"
                + " SELECT o, l, i.product_id, 1 + (o + l) %% 3, p.price"
                + " FROM generate_series(1, %d) AS o"
                + " CROSS JOIN LATERAL generate_series(1, 2 + o %% 3) AS l"
                + " CROSS JOIN LATERAL (SELECT CASE WHEN l = 1 AND o %% 10 = 0 THEN %d"
                + " ELSE 2 + (o * 31 + l * 17) %% %d END AS product_id) AS i"
                + " JOIN products p ON p.id = i.product_id",
            orders,
            RENAMED_PRODUCT,
            products - 1),
        "UPDATE orders o SET total = t.total FROM (SELECT order_id,"
            + " sum(quantity * unit_price) AS total FROM order_items GROUP BY order_id) t"
            + " WHERE t.order_id = o.id");
  }

  /** Creates and fills the tables, then vacuums and analyzes them. */
  void create(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      for (String sql : CREATE) {
        statement.execute(sql);
      }
      connection.setAutoCommit(false);
      for (String sql : fill()) {
        statement.execute(sql);
      }
      connection.commit();
      connection.setAutoCommit(true);
      statement.execute("VACUUM ANALYZE");
    }
  }
}

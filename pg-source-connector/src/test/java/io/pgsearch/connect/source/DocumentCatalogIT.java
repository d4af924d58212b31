package io.pgsearch.connect.source;

import static io.pgsearch.connect.source.SourceFixture.sql;
import static org.assertj.core.api.Assertions.assertThat;

import io.debezium.config.Configuration;
import io.debezium.connector.postgresql.PostgresConnectorConfig;
import io.pgsearch.connect.devstack.DevStackExtension;
import io.pgsearch.connect.devstack.PostgresNode;
import io.pgsearch.connect.source.DocumentRelations.Kind;
import io.pgsearch.connect.source.DocumentRelations.Outcome;
import io.pgsearch.connect.source.PostgresCatalog.TableInfo;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Document definitions resolved against a real PostgreSQL catalog: foreign keys (composite ones in
 * key order), unique keys and replica identities as {@link PostgresCatalog} reads them.
 */
@ExtendWith(DevStackExtension.class)
class DocumentCatalogIT {
  private static final String ORDERS =
      """
      {"table": "public.orders",
       "fields": {
         "customer": {"table": "public.customers", "columns": ["id", "full_name"]},
         "items": {"table": "public.order_items", "nested": true,
                   "fields": {"product": {"table": "public.products"},
                              "returns": {"table": "public.item_returns"}}},
         "tags": {"table": "public.tags", "through": "public.order_tags"},
         "shipment": {"table": "public.shipments"}}}
      """;

  @Test
  void theShopsDocumentResolvesAgainstItsCatalog(PostgresNode postgres) throws Exception {
    String db = postgres.createDatabase("documents");
    createShop(postgres, db);

    Outcome outcome;
    try (Connection connection = postgres.connect(db)) {
      outcome = resolve(new PostgresCatalog(connection), ORDERS);
    }

    assertThat(outcome.errors()).isEmpty();
    var root = outcome.root();
    assertThat(root.children().get(0).relation().kind()).isEqualTo(Kind.REFERENCED_BY_PARENT);
    var items = root.children().get(1);
    assertThat(items.relation().many()).isTrue();
    var returns = items.children().get(1);
    assertThat(returns.relation().key().fromColumns()).containsExactly("line", "ord");
    assertThat(returns.relation().key().toColumns()).containsExactly("line_no", "order_id");
    assertThat(root.children().get(2).relation().kind()).isEqualTo(Kind.THROUGH);
    assertThat(root.children().get(3).relation().many())
        .as("shipments.order_id is unique: one object")
        .isFalse();
  }

  private static final String WITH_NOTES =
      "{\"table\": \"public.orders\", \"fields\": {\"notes\": {\"table\": \"public.notes\"}}}";

  /**
   * The statements of {@link DocumentQueries} on the resolved definition: a batch of roots with the
   * filter applied, each related table's rows for a batch of parents (composite and through keys
   * included), and the roots above changed rows of every level.
   */
  @Test
  void theDocumentsQueriesFindRowsAndRoots(PostgresNode postgres) throws Exception {
    String db = postgres.createDatabase("documents_queries");
    createShop(postgres, db);
    insertShop(postgres, db);

    try (Connection connection = postgres.connect(db)) {
      var root = resolve(new PostgresCatalog(connection), filtered()).root();
      var items = root.children().get(1);
      var returns = items.children().get(1);
      var tags = root.children().get(2);
      var customer = root.children().get(0);

      assertThat(column(connection, DocumentQueries.roots(root, 3), "id", 100L, 101L, 102L))
          .as("the draft order is outside the filter")
          .containsExactly("100", "102");
      assertThat(column(connection, DocumentQueries.children(items, 2), "product_id", 100L, 102L))
          .containsExactly("10", "11", "11");
      assertThat(DocumentQueries.parentColumns(returns.relation()))
          .containsExactly("line_no", "order_id");
      assertThat(column(connection, DocumentQueries.children(returns, 1), "id", 2, 100L))
          .as("by the item's key (line_no, order_id), in the foreign key's order")
          .containsExactly("7");
      assertThat(
              column(
                  connection,
                  DocumentQueries.children(tags, 2),
                  DocumentQueries.PARENT_ALIAS + "0",
                  100L,
                  102L))
          .containsExactly("100", "100", "102");
      assertThat(column(connection, DocumentQueries.children(customer, 1), "full_name", 2L))
          .containsExactly("Bob");

      // Changed rows to their roots: a customer (by its id), an item's product, a return.
      assertThat(
              column(
                  connection,
                  DocumentQueries.rootsAbove(List.of(root, customer), List.of("id"), 1, false),
                  "id",
                  1L))
          .containsExactly("100", "101");
      assertThat(
              column(
                  connection,
                  DocumentQueries.rootsAbove(
                      List.of(root, items, items.children().get(0)), List.of("id"), 1, false),
                  "id",
                  11L))
          .containsExactly("100", "102");
      assertThat(
              column(
                  connection,
                  DocumentQueries.rootsAbove(
                      List.of(root, items), List.of("order_id", "line_no"), 1, true),
                  "id",
                  100L,
                  2,
                  99L))
          .as("paged after root 99")
          .containsExactly("100");
      assertThat(
              column(
                  connection,
                  DocumentQueries.rootsAbove(List.of(root, tags), List.of("id"), 1, false),
                  "id",
                  2))
          .as("through the join table")
          .containsExactly("100", "102");
    }
  }

  private static void createShop(PostgresNode postgres, String db) throws Exception {
    sql(
        postgres,
        db,
        "CREATE TABLE customers (id bigint PRIMARY KEY, full_name text, referrer_id bigint"
            + " REFERENCES customers (id))",
        "CREATE TABLE products (id bigint PRIMARY KEY, name text)",
        "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL REFERENCES"
            + " customers (id), status text)",
        "CREATE TABLE order_items (order_id bigint NOT NULL REFERENCES orders (id), line_no int,"
            + " product_id bigint REFERENCES products (id), PRIMARY KEY (order_id, line_no))",
        // A composite foreign key, declared in the other column order than the key.
        "CREATE TABLE item_returns (id bigint PRIMARY KEY, line int NOT NULL, ord bigint NOT"
            + " NULL, FOREIGN KEY (line, ord) REFERENCES order_items (line_no, order_id))",
        "ALTER TABLE item_returns REPLICA IDENTITY FULL",
        "CREATE TABLE tags (id int PRIMARY KEY, label text)",
        "CREATE TABLE order_tags (order_id bigint REFERENCES orders (id), tag_id int REFERENCES"
            + " tags (id), PRIMARY KEY (order_id, tag_id))",
        "CREATE TABLE shipments (id bigint PRIMARY KEY, order_id bigint UNIQUE REFERENCES orders"
            + " (id))",
        "ALTER TABLE shipments REPLICA IDENTITY FULL");
  }

  /**
   * {@link DocumentBuilder} on the same data: each document has the root's columns and, under their
   * fields, its customer (an object), its items with their product and returns (arrays by primary
   * key), its tags through the join table, its shipment or null; the draft order, outside the
   * filter, has no document.
   */
  @Test
  void theBuilderAssemblesEachRootsDocument(PostgresNode postgres) throws Exception {
    String db = postgres.createDatabase("documents_built");
    createShop(postgres, db);
    insertShop(postgres, db);
    PostgresConnectorConfig debezium = debezium(postgres, db);
    JsonConverter json = new JsonConverter();
    json.configure(Map.of("schemas.enable", "false"), false);

    Map<List<Object>, Struct> documents;
    DocumentBuilder builder;
    try (Connection connection = postgres.connect(db);
        DocumentRows rows = new DocumentRows(debezium)) {
      var root = resolve(new PostgresCatalog(connection), filtered()).root();
      builder = new DocumentBuilder("orders", root, rows);
      documents = builder.build(List.of(List.of(100L), List.of(101L), List.of(102L)));
    }

    assertThat(builder.schema().field("items").schema().parameters())
        .as("items are nested, as the definition asks")
        .containsEntry("pgsearch.es.type", "nested");
    assertThat(builder.schema().field("tags").schema().parameters()).isNull();
    assertThat(documents.keySet())
        .containsExactly(
            DocumentBuilder.normalized(List.of(100L)), DocumentBuilder.normalized(List.of(102)));
    assertThat(text(json, builder, documents.get(DocumentBuilder.normalized(List.of(100)))))
        .isEqualTo(
            "{\"id\":100,\"customer_id\":1,\"status\":\"paid\","
                + "\"customer\":{\"id\":1,\"full_name\":\"Ada\"},"
                + "\"items\":["
                + "{\"order_id\":100,\"line_no\":1,\"product_id\":10,"
                + "\"product\":{\"id\":10,\"name\":\"pen\"},\"returns\":[]},"
                + "{\"order_id\":100,\"line_no\":2,\"product_id\":11,"
                + "\"product\":{\"id\":11,\"name\":\"ink\"},"
                + "\"returns\":[{\"id\":7,\"line\":2,\"ord\":100}]}],"
                + "\"tags\":[{\"id\":1,\"label\":\"gift\"},{\"id\":2,\"label\":\"rush\"}],"
                + "\"shipment\":null}");
    assertThat(text(json, builder, documents.get(DocumentBuilder.normalized(List.of(102)))))
        .isEqualTo(
            "{\"id\":102,\"customer_id\":2,\"status\":\"paid\","
                + "\"customer\":{\"id\":2,\"full_name\":\"Bob\"},"
                + "\"items\":[{\"order_id\":102,\"line_no\":1,\"product_id\":11,"
                + "\"product\":{\"id\":11,\"name\":\"ink\"},\"returns\":[]}],"
                + "\"tags\":[{\"id\":2,\"label\":\"rush\"}],"
                + "\"shipment\":{\"id\":5,\"order_id\":102}}");
  }

  /**
   * ALTER TABLE between builds: a column added to the root and a column dropped from a related
   * table are in (and out of) the next documents and their schema, as on the tables' topics.
   */
  @Test
  void aTableChangedBetweenBuildsBuildsWithItsNewColumns(PostgresNode postgres) throws Exception {
    String db = postgres.createDatabase("documents_altered");
    createShop(postgres, db);
    insertShop(postgres, db);
    JsonConverter json = new JsonConverter();
    json.configure(Map.of("schemas.enable", "false"), false);
    try (Connection connection = postgres.connect(db);
        DocumentRows rows = new DocumentRows(debezium(postgres, db))) {
      var root = resolve(new PostgresCatalog(connection), filtered()).root();
      DocumentBuilder builder = new DocumentBuilder("orders", root, rows);
      builder.build(List.of(List.of(102L)));
      sql(
          postgres,
          db,
          "ALTER TABLE orders ADD COLUMN note text DEFAULT 'none'",
          "UPDATE orders SET note = 'fragile' WHERE id = 102",
          "ALTER TABLE products ADD COLUMN colour text",
          "ALTER TABLE products DROP COLUMN name");
      Struct document = builder.build(List.of(List.of(102L))).values().iterator().next();
      assertThat(builder.schema().field("note")).isNotNull();
      assertThat(text(json, builder, document))
          .isEqualTo(
              "{\"id\":102,\"customer_id\":2,\"status\":\"paid\",\"note\":\"fragile\","
                  + "\"customer\":{\"id\":2,\"full_name\":\"Bob\"},"
                  + "\"items\":[{\"order_id\":102,\"line_no\":1,\"product_id\":11,"
                  + "\"product\":{\"id\":11,\"colour\":null},\"returns\":[]}],"
                  + "\"tags\":[{\"id\":2,\"label\":\"rush\"}],"
                  + "\"shipment\":{\"id\":5,\"order_id\":102}}");
    }
  }

  /** Every root inside the filter, in keyset pages of 500, for a rebuild of all or a check. */
  @Test
  void allRootsComeInKeysetPagesInsideTheFilter(PostgresNode postgres) throws Exception {
    String db = postgres.createDatabase("documents_all");
    createShop(postgres, db);
    sql(
        postgres,
        db,
        "INSERT INTO customers VALUES (1, 'Ada', NULL)",
        "INSERT INTO orders SELECT g, 1, CASE WHEN g % 10 = 0 THEN 'draft' ELSE 'paid' END"
            + " FROM generate_series(1, 1200) g");
    try (Connection connection = postgres.connect(db);
        DocumentRows rows = new DocumentRows(debezium(postgres, db))) {
      var root = resolve(new PostgresCatalog(connection), filtered()).root();
      List<Integer> sizes = new java.util.ArrayList<>();
      List<Long> keys = new java.util.ArrayList<>();
      List<List<Object>> page = rows.rootKeys(root, null);
      while (!page.isEmpty()) {
        sizes.add(page.size());
        page.forEach(key -> keys.add(((Number) key.get(0)).longValue()));
        page = rows.rootKeys(root, page.get(page.size() - 1));
      }
      assertThat(sizes).containsExactly(500, 500, 80);
      assertThat(keys)
          .hasSize(1080)
          .isSorted()
          .doesNotHaveDuplicates()
          .allMatch(key -> key % 10 != 0, "no draft order");
    }
  }

  /**
   * {@link DocumentChanges} with change events as Debezium gives them: each changed row leads to
   * the roots whose documents it is (or was) in, through every kind of relation.
   */
  @Test
  void aChangedRowLeadsToItsRoots(PostgresNode postgres) throws Exception {
    String db = postgres.createDatabase("documents_changes");
    createShop(postgres, db);
    insertShop(postgres, db);
    PostgresConnectorConfig debezium = debezium(postgres, db);
    try (Connection connection = postgres.connect(db);
        DocumentRows rows = new DocumentRows(debezium)) {
      var root = resolve(new PostgresCatalog(connection), ORDERS).root();
      DocumentChanges changes = new DocumentChanges(root, rows);
      Changed changed = new Changed(changes, rows);

      assertThat(
              changed.roots(
                  "order_items",
                  row("order_id", 100L, "line_no", 2),
                  row("order_id", 102L, "line_no", 2)))
          .as("an item moved to another order")
          .containsExactlyInAnyOrder(100, 102);
      assertThat(changed.roots("products", null, row("id", 11L)))
          .containsExactlyInAnyOrder(100, 102);
      assertThat(changed.roots("customers", null, row("id", 1L)))
          .containsExactlyInAnyOrder(100, 101);
      assertThat(changed.roots("tags", null, row("id", 2))).containsExactlyInAnyOrder(100, 102);
      assertThat(changed.roots("order_tags", row("order_id", 102L, "tag_id", 2), null))
          .as("a join row deleted")
          .containsExactly(102);
      assertThat(changed.roots("item_returns", null, row("id", 7L, "line", 2, "ord", 100L)))
          .containsExactly(100);
      assertThat(changed.roots("shipments", row("id", 5L, "order_id", 102L), null))
          .containsExactly(102);
      assertThat(changed.roots("orders", null, row("id", 101L))).containsExactly(101);
      assertThat(changes.concerns(new TableName("public", "order_tags"))).isTrue();
    }
  }

  /** A change shared by 1,200 roots comes in pages of at most 500, each root once. */
  @Test
  void aChangeSharedByManyRootsComesInPages(PostgresNode postgres) throws Exception {
    String db = postgres.createDatabase("documents_pages");
    createShop(postgres, db);
    sql(
        postgres,
        db,
        "INSERT INTO customers VALUES (3, 'Cy', NULL)",
        "INSERT INTO orders SELECT g, 3, 'paid' FROM generate_series(1, 1200) g");
    PostgresConnectorConfig debezium = debezium(postgres, db);
    try (Connection connection = postgres.connect(db);
        DocumentRows rows = new DocumentRows(debezium)) {
      var root = resolve(new PostgresCatalog(connection), ORDERS).root();
      DocumentChanges changes = new DocumentChanges(root, rows);
      Struct customer = new Struct(rows.schema(new TableName("public", "customers")).valueSchema());
      customer.put("id", 3L);
      List<Integer> sizes = new java.util.ArrayList<>();
      java.util.Set<Object> roots = new java.util.HashSet<>();
      RootPages pages = changes.roots(new TableName("public", "customers"), null, customer);
      for (List<List<Object>> page = pages.next(); !page.isEmpty(); page = pages.next()) {
        sizes.add(page.size());
        page.forEach(key -> roots.add(key.get(0)));
      }
      assertThat(sizes).containsExactly(500, 500, 200);
      assertThat(roots).hasSize(1200);
    }
  }

  /** Debezium's config of a connector on {@code db}, as its task would get it. */
  private static PostgresConnectorConfig debezium(PostgresNode postgres, String db) {
    Map<String, String> config = SourceFixture.config(postgres, db, "docs");
    config.put("name", "docs");
    return new PostgresConnectorConfig(
        Configuration.from(DebeziumProperties.base(new PostgresSourceConfig(config))));
  }

  /** Column values of a changed row, by name. */
  private static Map<String, Object> row(Object... pairs) {
    Map<String, Object> values = new java.util.LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      values.put((String) pairs[i], pairs[i + 1]);
    }
    return values;
  }

  /** Runs {@link DocumentChanges#roots} with images in the table's Debezium value schema. */
  private record Changed(DocumentChanges changes, DocumentRows rows) {
    java.util.Set<Integer> roots(
        String table, Map<String, Object> before, Map<String, Object> after) throws Exception {
      TableName name = new TableName("public", table);
      org.apache.kafka.connect.data.Schema schema = rows.schema(name).valueSchema();
      java.util.Set<Integer> roots = new java.util.TreeSet<>();
      RootPages pages = changes.roots(name, image(schema, before), image(schema, after));
      for (List<List<Object>> page = pages.next(); !page.isEmpty(); page = pages.next()) {
        page.forEach(key -> roots.add(((Number) key.get(0)).intValue()));
      }
      return roots;
    }

    private static Struct image(
        org.apache.kafka.connect.data.Schema schema, Map<String, Object> values) {
      if (values == null) {
        return null;
      }
      Struct image = new Struct(schema);
      values.forEach(image::put);
      return image;
    }
  }

  private static String text(JsonConverter json, DocumentBuilder builder, Struct document) {
    return new String(
        json.fromConnectData("orders", builder.schema(), document), StandardCharsets.UTF_8);
  }

  private static void insertShop(PostgresNode postgres, String db) throws Exception {
    sql(
        postgres,
        db,
        "INSERT INTO customers VALUES (1, 'Ada', NULL), (2, 'Bob', 1)",
        "INSERT INTO products VALUES (10, 'pen'), (11, 'ink')",
        "INSERT INTO orders VALUES (100, 1, 'paid'), (101, 1, 'draft'), (102, 2, 'paid')",
        "INSERT INTO order_items VALUES (100, 1, 10), (100, 2, 11), (102, 1, 11)",
        "INSERT INTO item_returns VALUES (7, 2, 100)",
        "INSERT INTO tags VALUES (1, 'gift'), (2, 'rush')",
        "INSERT INTO order_tags VALUES (100, 1), (100, 2), (102, 2)",
        "INSERT INTO shipments VALUES (5, 102)");
  }

  /** The orders document without draft orders. */
  private static String filtered() {
    return ORDERS.replace(
        "{\"table\": \"public.orders\",",
        "{\"table\": \"public.orders\", \"filter\": \"status <> 'draft'\",");
  }

  /** One column of every row the statement returns, as text, parameters bound in order. */
  private static List<String> column(
      Connection connection, String sql, String column, Object... parameters) throws Exception {
    try (var statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      List<String> values = new java.util.ArrayList<>();
      try (var rows = statement.executeQuery()) {
        while (rows.next()) {
          values.add(rows.getString(column));
        }
      }
      return values;
    }
  }

  @Test
  void aChildWhoseIdentityDoesNotLogItsForeignKeyIsRefused(PostgresNode postgres) throws Exception {
    String db = postgres.createDatabase("documents_identity");
    sql(
        postgres,
        db,
        "CREATE TABLE orders (id bigint PRIMARY KEY)",
        "CREATE TABLE notes (id bigint PRIMARY KEY, order_id bigint REFERENCES orders (id))");

    try (Connection connection = postgres.connect(db)) {
      PostgresCatalog catalog = new PostgresCatalog(connection);
      assertThat(resolve(catalog, WITH_NOTES).allErrors())
          .containsExactly(
              "fields.notes: a deleted or moved row of public.notes must still name its"
                  + " public.orders row, but its replica identity (PRIMARY KEY [id]) does not log"
                  + " [order_id]: run ALTER TABLE \"public\".\"notes\" REPLICA IDENTITY FULL");

      sql(postgres, db, "ALTER TABLE notes REPLICA IDENTITY FULL");
      assertThat(resolve(catalog, WITH_NOTES).allErrors()).isEmpty();
    }
  }

  private static Outcome resolve(PostgresCatalog catalog, String json) throws Exception {
    List<String> schemas = List.of("public");
    Map<TableName, TableInfo> tables =
        catalog.tables(schemas).stream()
            .collect(Collectors.toMap(TableInfo::name, Function.identity()));
    return DocumentRelations.resolve(
        DocumentDefinition.parse("orders", json),
        tables,
        catalog.foreignKeys(schemas),
        catalog.uniqueKeys(schemas));
  }
}

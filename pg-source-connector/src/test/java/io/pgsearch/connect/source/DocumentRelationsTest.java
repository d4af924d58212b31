package io.pgsearch.connect.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsearch.connect.source.DocumentRelations.Kind;
import io.pgsearch.connect.source.DocumentRelations.Outcome;
import io.pgsearch.connect.source.DocumentRelations.Resolved;
import io.pgsearch.connect.source.PostgresCatalog.ForeignKey;
import io.pgsearch.connect.source.PostgresCatalog.TableInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sample shop's catalog (samples/shop.sql), plus tags through a join table. */
class DocumentRelationsTest {
  private final Map<TableName, TableInfo> tables = new HashMap<>();
  private final List<ForeignKey> keys = new ArrayList<>();
  private final Map<TableName, List<List<String>>> unique = new HashMap<>();

  DocumentRelationsTest() {
    table("customers", 'd', List.of("id"), "id", "email", "full_name", "country");
    table("products", 'd', List.of("id"), "id", "sku", "name", "price");
    table("orders", 'd', List.of("id"), "id", "customer_id", "status", "total", "placed_at");
    table(
        "order_items",
        'd',
        List.of("order_id", "line_no"),
        "order_id",
        "line_no",
        "product_id",
        "quantity");
    table("tags", 'd', List.of("id"), "id", "label");
    table("order_tags", 'f', List.of("order_id", "tag_id"), "order_id", "tag_id");
    table("notes", 'd', List.of("id"), "id", "order_id", "text");
    table("invoices", 'f', List.of("id"), "id", "order_id");
    unique.get(name("invoices")).add(List.of("order_id"));
    key("orders_customer_id_fkey", "orders", "customer_id", "customers", "id");
    key("order_items_order_id_fkey", "order_items", "order_id", "orders", "id");
    key("order_items_product_id_fkey", "order_items", "product_id", "products", "id");
    key("order_tags_order_id_fkey", "order_tags", "order_id", "orders", "id");
    key("order_tags_tag_id_fkey", "order_tags", "tag_id", "tags", "id");
    key("notes_order_id_fkey", "notes", "order_id", "orders", "id");
    key("invoices_order_id_fkey", "invoices", "order_id", "orders", "id");
  }

  @Test
  void theShopsOrderDocumentResolves() throws Exception {
    Outcome outcome =
        resolve(
            "{\"table\": \"public.orders\", \"fields\": {"
                + "\"customer\": {\"table\": \"public.customers\"},"
                + "\"items\": {\"table\": \"public.order_items\", \"nested\": true,"
                + "  \"fields\": {\"product\": {\"table\": \"public.products\"}}},"
                + "\"tags\": {\"table\": \"public.tags\", \"through\": \"public.order_tags\"},"
                + "\"invoice\": {\"table\": \"public.invoices\"}}}");

    assertThat(outcome.errors()).isEmpty();
    Resolved root = outcome.root();
    Resolved customer = root.children().get(0);
    assertThat(customer.relation().kind()).isEqualTo(Kind.REFERENCED_BY_PARENT);
    assertThat(customer.relation().many()).isFalse();
    Resolved items = root.children().get(1);
    assertThat(items.relation().kind()).isEqualTo(Kind.REFERENCES_PARENT);
    assertThat(items.relation().many()).isTrue();
    assertThat(items.relation().key().name()).isEqualTo("order_items_order_id_fkey");
    assertThat(items.children().get(0).relation().kind()).isEqualTo(Kind.REFERENCED_BY_PARENT);
    Resolved tags = root.children().get(2);
    assertThat(tags.relation().kind()).isEqualTo(Kind.THROUGH);
    assertThat(tags.relation().many()).isTrue();
    assertThat(tags.relation().key().name()).isEqualTo("order_tags_order_id_fkey");
    assertThat(tags.relation().throughKey().name()).isEqualTo("order_tags_tag_id_fkey");
    Resolved invoice = root.children().get(3);
    assertThat(invoice.relation().many())
        .as("order_id is unique in invoices: one-to-one")
        .isFalse();
  }

  @Test
  void unknownTablesAndColumnsAreNamed() throws Exception {
    Outcome outcome =
        resolve(
            "{\"table\": \"public.orders\", \"columns\": [\"id\", \"totl\"], \"fields\": {"
                + "\"customer\": {\"table\": \"public.clients\"}}}");

    assertThat(outcome.errors())
        .containsExactly(
            "table public.orders has no column \"totl\"; it has"
                + " [id, customer_id, status, total, placed_at]",
            "fields.customer: table public.clients does not exist or is not captured (see"
                + " `schemas` and `tables`)");
    assertThat(outcome.root()).isNull();
  }

  @Test
  void aMissingOrAmbiguousForeignKeyIsAnError() throws Exception {
    assertThat(
            resolve(
                    "{\"table\": \"public.products\", \"fields\": {"
                        + "\"tags\": {\"table\": \"public.tags\"}}}")
                .errors())
        .singleElement()
        .asString()
        .startsWith("fields.tags: no foreign key joins public.products and public.tags");

    key("orders_billing_customer_fkey", "orders", "billing_customer_id", "customers", "id");
    Outcome ambiguous =
        resolve(
            "{\"table\": \"public.orders\", \"fields\": {"
                + "\"customer\": {\"table\": \"public.customers\"}}}");
    assertThat(ambiguous.errors())
        .singleElement()
        .asString()
        .contains("several foreign keys join public.orders and public.customers")
        .contains("orders_billing_customer_fkey")
        .contains("orders_customer_id_fkey");

    Outcome named =
        resolve(
            "{\"table\": \"public.orders\", \"fields\": {"
                + "\"customer\": {\"table\": \"public.customers\","
                + " \"foreign_key\": \"orders_customer_id_fkey\"}}}");
    assertThat(named.errors()).isEmpty();
    assertThat(named.root().children().get(0).relation().key().fromColumns())
        .containsExactly("customer_id");
  }

  @Test
  void aTableCannotNestItself() throws Exception {
    key("customers_referrer_fkey", "customers", "referrer_id", "customers", "id");
    Outcome outcome =
        resolve(
            "{\"table\": \"public.orders\", \"fields\": {"
                + "\"customer\": {\"table\": \"public.customers\", \"fields\": {"
                + "\"referrer\": {\"table\": \"public.customers\"}}}}}");

    assertThat(outcome.errors())
        .singleElement()
        .asString()
        .contains("fields.customer.fields.referrer: table public.customers is its own ancestor")
        .contains("public.orders > public.customers > public.customers");
  }

  @Test
  void theRootNeedsAPrimaryKey() throws Exception {
    table("events", 'd', List.of(), "at", "what");
    assertThat(resolve("{\"table\": \"public.events\"}").errors())
        .containsExactly(
            "the root table public.events has no primary key: the document _id is the root's"
                + " primary key");
  }

  @Test
  void aChildMustLogTheColumnsThatLeadToItsParent() throws Exception {
    Outcome outcome =
        resolve(
            "{\"table\": \"public.orders\", \"fields\": {"
                + "\"notes\": {\"table\": \"public.notes\"}}}");

    assertThat(outcome.errors()).as("not an error: replica.identity.autoset may set it").isEmpty();
    assertThat(outcome.unlogged())
        .containsExactly(
            java.util.Map.entry(
                name("notes"),
                "fields.notes: a deleted or moved row of public.notes must still name its"
                    + " public.orders row, but its replica identity (PRIMARY KEY [id]) does not"
                    + " log [order_id]: run ALTER TABLE \"public\".\"notes\" REPLICA IDENTITY"
                    + " FULL"));
    assertThat(outcome.allErrors()).hasSize(1);
  }

  @Test
  void nestedAppliesToArraysOnly() throws Exception {
    assertThat(
            resolve(
                    "{\"table\": \"public.orders\", \"fields\": {"
                        + "\"customer\": {\"table\": \"public.customers\", \"nested\": true}}}")
                .errors())
        .containsExactly(
            "fields.customer: \"nested\" applies to arrays (one-to-many, many-to-many); this is"
                + " one object");
  }

  private Outcome resolve(String json) throws Exception {
    return DocumentRelations.resolve(DocumentDefinition.parse("d", json), tables, keys, unique);
  }

  private void table(String name, char identity, List<String> primaryKey, String... columns) {
    tables.put(
        name(name),
        new TableInfo(name(name), List.of(columns), primaryKey, identity, List.of(), true));
    List<List<String>> keys = new ArrayList<>();
    if (!primaryKey.isEmpty()) {
      keys.add(primaryKey);
    }
    unique.put(name(name), keys);
  }

  private void key(String name, String from, String fromColumn, String to, String toColumn) {
    keys.add(new ForeignKey(name, name(from), List.of(fromColumn), name(to), List.of(toColumn)));
  }

  private static TableName name(String table) {
    return new TableName("public", table);
  }
}

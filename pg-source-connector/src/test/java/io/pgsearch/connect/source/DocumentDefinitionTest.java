package io.pgsearch.connect.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DocumentDefinitionTest {
  static final String ORDERS =
      """
      {"table": "public.orders", "exclude": ["total"], "filter": "status <> 'draft'",
       "rename": {"placed_at": "placed"},
       "fields": {
         "customer": {"table": "public.customers", "columns": ["id", "full_name"]},
         "items": {"table": "public.order_items", "nested": true,
                   "fields": {"product": {"table": "public.products"}}}}}
      """;

  @Test
  void readsTheTree() throws Exception {
    DocumentDefinition definition = DocumentDefinition.parse("orders", ORDERS);

    DocumentDefinition.Node root = definition.root();
    assertThat(root.table()).isEqualTo(new TableName("public", "orders"));
    assertThat(root.exclude()).containsExactly("total");
    assertThat(root.allColumns()).isTrue();
    assertThat(root.filter()).isEqualTo("status <> 'draft'");
    assertThat(root.rename()).isEqualTo(Map.of("placed_at", "placed"));
    assertThat(root.children())
        .extracting(DocumentDefinition.Node::field)
        .containsExactly("customer", "items");
    DocumentDefinition.Node items = root.children().get(1);
    assertThat(items.nested()).isTrue();
    assertThat(items.path()).isEqualTo("fields.items");
    assertThat(items.children().get(0).path()).isEqualTo("fields.items.fields.product");
    assertThat(root.children().get(0).columns()).containsExactly("id", "full_name");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"table\": \"public.orders\", \"colums\": [\"id\"]}"
            + "| unknown key \"colums\"; valid keys: table, columns, exclude, rename, fields,"
            + " nested, foreign_key, through, filter",
        "{\"columns\": [\"id\"]}| \"table\" is required",
        "{\"table\": \"orders\"}| table: \"orders\" must be schema.table",
        "[1]| must be a JSON object",
        "{\"table\": \"public.orders\",| not valid JSON",
        "{\"table\": \"public.orders\", \"columns\": []}| columns: must name at least one column",
        "{\"table\": \"public.orders\", \"columns\": [\"id\"], \"exclude\": [\"total\"]}"
            + "| give \"columns\" (the ones to keep) or \"exclude\", not both",
        "{\"table\": \"public.orders\", \"nested\": true}"
            + "| the root table has no parent: foreign_key, through and nested belong to fields",
        "{\"table\": \"public.orders\", \"fields\": {\"c\": {\"table\": \"public.customers\","
            + " \"filter\": \"true\"}}}| fields.c: \"filter\" is allowed on the root table only",
        "{\"table\": \"public.orders\", \"fields\": {\"c\": {\"table\": \"public.customers\","
            + " \"nested\": \"yes\"}}}| fields.c.nested: must be true or false",
        "{\"table\": \"public.orders\", \"fields\": []}| fields: must be an object",
        "{\"table\": \"public.orders\", \"rename\": {\"a\": \"x\", \"b\": \"x\"}}"
            + "| rename: two columns are renamed to \"x\"",
        "{\"table\": \"public.orders\", \"rename\": {\"a\": \"items\"}, \"fields\": {\"items\":"
            + " {\"table\": \"public.order_items\"}}}"
            + "| rename: \"items\" is also the name of a field under \"fields\"",
        "{\"table\": \"public.orders\", \"exclude\": [\"a\"], \"rename\": {\"a\": \"b\"}}"
            + "| rename: column \"a\" is both excluded and renamed",
      })
  void refusesWhatItCannotRead(String json, String message) {
    assertThatThrownBy(() -> DocumentDefinition.parse("orders", json))
        .isInstanceOf(DocumentDefinition.InvalidDefinition.class)
        .hasMessageContaining(message.strip());
  }

  @Test
  void theNameMustBeUsableAsTopicAndIndex() {
    for (String name : List.of("Orders", "_orders", "or ders", "")) {
      assertThatThrownBy(() -> DocumentDefinition.parse(name, ORDERS))
          .hasMessageContaining("must be lowercase letters, digits");
    }
  }
}

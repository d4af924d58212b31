package io.pgsearch.connect.sink.index;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IndexOwnerTest {
  @Test
  void anotherTableIsAConflictNamingBothAndTheFix() {
    assertThat(IndexOwner.conflict("customers", "public.customers", "crm.customers"))
        .hasValueSatisfying(
            message ->
                assertThat(message)
                    .contains(
                        "crm.customers",
                        "public.customers",
                        "'customers'",
                        "index.name.template",
                        "${schema}_${table}",
                        "topic.index.map"));
  }

  @Test
  void theSameTableOrAnUnknownOneIsNot() {
    assertThat(IndexOwner.conflict("c", "public.customers", "public.customers")).isEmpty();
    assertThat(IndexOwner.conflict("c", null, "public.customers")).isEmpty();
    assertThat(IndexOwner.conflict("c", "public.customers", null)).isEmpty();
  }
}

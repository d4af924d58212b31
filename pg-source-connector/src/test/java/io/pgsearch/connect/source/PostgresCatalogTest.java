package io.pgsearch.connect.source;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The version gate of row filters. The embedded servers are 16 and 17, so the "< 15" validation
 * error is tested here on the version check rather than against a real PostgreSQL 14.
 */
class PostgresCatalogTest {
  @Test
  void rowFiltersNeedPostgres15() {
    assertThat(PostgresCatalog.rowFilterUnsupported(140011))
        .get()
        .asString()
        .contains("PostgreSQL 15 or newer", "this server is 14");
    assertThat(PostgresCatalog.rowFilterUnsupported(150000)).isEmpty();
    assertThat(PostgresCatalog.rowFilterUnsupported(170004)).isEmpty();
  }
}

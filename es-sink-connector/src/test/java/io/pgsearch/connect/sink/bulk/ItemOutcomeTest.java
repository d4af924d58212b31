package io.pgsearch.connect.sink.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ItemOutcomeTest {

  @ParameterizedTest(name = "{0} {1} delete={2} -> {3}")
  @CsvSource(
      nullValues = "null",
      value = {
        "201, null, false, APPLIED",
        "200, null, true, APPLIED",
        "404, null, true, APPLIED",
        "409, version_conflict_engine_exception, false, VERSION_CONFLICT",
        "404, document_missing_exception, false, MISSING_DOCUMENT",
        "404, index_not_found_exception, false, INDEX_MISSING",
        "429, es_rejected_execution_exception, false, TRANSIENT",
        "429, circuit_breaking_exception, false, TRANSIENT",
        "503, unavailable_shards_exception, false, TRANSIENT",
        "429, cluster_block_exception, false, TRANSIENT",
        "500, some_new_exception, false, TRANSIENT",
        "400, document_parsing_exception, false, PERMANENT",
        "400, mapper_parsing_exception, false, PERMANENT",
        "400, illegal_argument_exception, false, PERMANENT",
        "400, null, false, PERMANENT",
        "503, null, false, TRANSIENT",
        "403, security_exception, false, REFUSED",
        "401, security_exception, true, REFUSED",
        "400, index_closed_exception, false, REFUSED",
        "403, cluster_block_exception, false, REFUSED",
        "403, null, false, REFUSED",
      })
  void classifiesBulkItems(int status, String type, boolean delete, ItemOutcome expected) {
    assertThat(ItemOutcome.classify(status, type, delete)).isEqualTo(expected);
  }
}

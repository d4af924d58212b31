package io.pgsearch.connect.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

/**
 * The offset the documents of a task's first poll carry: committed before the poll's records are
 * written, it must never be past them, or a restart would resume after records never written.
 */
class DocumentStageOffsetTest {
  private static final Map<String, ?> PARTITION = Map.of("server", "shop");
  private static final SourceRecord FIRST =
      new SourceRecord(PARTITION, Map.of("lsn", 200L), "shop.public.orders", null, null);

  @Test
  void theFirstPollsDocumentsCarryTheOffsetTheTaskStartedFrom() {
    Map<String, ?> committed = Map.of("lsn", 100L);
    assertThat(
            DocumentStage.startOffset(
                partition -> partition.equals(PARTITION) ? committed : null, FIRST))
        .as("not the first record's offset, which would skip it after a restart")
        .isEqualTo(committed);
  }

  @Test
  void withNothingCommittedTheyCarryTheFirstRecordsOffset() {
    // Only during the initial snapshot, which a restart begins again.
    assertThat(DocumentStage.startOffset(partition -> null, FIRST)).isEqualTo(Map.of("lsn", 200L));
  }
}

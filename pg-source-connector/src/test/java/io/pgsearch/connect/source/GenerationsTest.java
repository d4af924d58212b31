package io.pgsearch.connect.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GenerationsTest {
  private static final ServerIdentity SERVER = new ServerIdentity("7301", 1, 5_000);

  private static Map<String, Object> committed(Map<String, Object> ours, long lsn) {
    Map<String, Object> offset = new HashMap<>(ours);
    offset.put("lsn", lsn);
    return offset;
  }

  @Test
  void theFirstStartIsGenerationZero() {
    Generations.State state = Generations.decide(null, SERVER);
    assertThat(state.generation()).isZero();
    assertThat(state.restored()).isFalse();
  }

  @Test
  void theSameHistoryKeepsItsGenerationAndItsPendingSweep() {
    Map<String, Object> offset =
        new Generations.State(2, SERVER, true, true).offset(Map.of("lsn", 4_000L), true);

    Generations.State state = Generations.decide(offset, SERVER);

    assertThat(state.generation()).isEqualTo(2);
    assertThat(state.restored()).isFalse();
    assertThat(state.sweepPending()).isTrue();
  }

  @Test
  void aNewSystemIdentifierOrTimelineStartsTheNextGeneration() {
    Map<String, Object> offset =
        new Generations.State(0, SERVER, false, false).offset(Map.of("lsn", 4_000L), false);

    Generations.State restored = Generations.decide(offset, new ServerIdentity("9999", 1, 900_000));
    assertThat(restored.generation()).isEqualTo(1);
    assertThat(restored.restored()).isTrue();
    assertThat(restored.sweepPending()).isTrue();

    assertThat(Generations.decide(offset, new ServerIdentity("7301", 2, 900_000)).restored())
        .as("point-in-time recovery: a new timeline")
        .isTrue();
  }

  @Test
  void withoutTheControlDataAWalPositionBehindTheCommittedOneIsARestore() {
    Map<String, Object> offset = committed(Map.of(Generations.GENERATION, 3L), 8_000);

    assertThat(Generations.decide(offset, new ServerIdentity(null, 0, 9_000)).restored()).isFalse();
    Generations.State behind = Generations.decide(offset, new ServerIdentity(null, 0, 7_000));
    assertThat(behind.restored()).isTrue();
    assertThat(behind.generation()).isEqualTo(4);
  }

  @Test
  void offsetsFromBeforeGenerationsAreGenerationZero() {
    Map<String, Object> debeziumOnly = committed(Map.of(), 1_000);
    assertThat(Generations.decide(debeziumOnly, SERVER).generation()).isZero();
    assertThat(Generations.decide(debeziumOnly, SERVER).restored()).isFalse();
  }

  @Test
  void theLastGenerationIsAClearError() {
    Map<String, Object> offset =
        new Generations.State(Generations.MAX_GENERATION, SERVER, false, false)
            .offset(Map.of("lsn", 1L), false);
    assertThatThrownBy(() -> Generations.decide(offset, new ServerIdentity("other", 1, 1)))
        .hasMessageContaining("restored more than 127 times");
  }
}

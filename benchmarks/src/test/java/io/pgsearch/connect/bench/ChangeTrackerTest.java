package io.pgsearch.connect.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ChangeTrackerTest {
  @Test
  void aChangeIsSearchableOnceEveryDocumentShowsIt() {
    ChangeTracker tracker = new ChangeTracker(new int[] {1, 3});
    tracker.committed(0, 1_000);
    tracker.committed(1, 1_010);
    tracker.seen(1, "10", 1_400);
    tracker.seen(1, "10", 1_500); // the same document again counts once
    tracker.seen(1, "11", 1_600);
    assertThat(tracker.incomplete(2)).isEqualTo(2);
    tracker.seen(1, "12", 1_900);
    assertThat(tracker.latencies(2)).containsExactly(890);
    assertThat(tracker.incomplete(2)).isEqualTo(1);
    tracker.seen(1, "13", 2_500); // complete already: nothing changes
    assertThat(tracker.latencies(2)).containsExactly(890);
  }

  @Test
  void theWatermarkIsTheFirstChangeNotComplete() {
    ChangeTracker tracker = new ChangeTracker(new int[] {1, 1, 2, 1});
    for (int k = 0; k < 4; k++) {
      tracker.committed(k, 100 * k);
    }
    assertThat(tracker.watermark()).isZero();
    tracker.seen(1, "b", 500);
    assertThat(tracker.watermark()).isZero();
    tracker.seen(0, "a", 600);
    assertThat(tracker.watermark()).isEqualTo(2);
    assertThat(tracker.completeUpTo(2)).isTrue();
    assertThat(tracker.completeUpTo(3)).isFalse();
    tracker.seen(3, "d", 700);
    tracker.seen(2, "c1", 800);
    assertThat(tracker.watermark()).isEqualTo(2);
    tracker.seen(2, "c2", 900);
    assertThat(tracker.watermark()).isEqualTo(4);
    assertThat(tracker.completeUpTo(tracker.changes())).isTrue();
    assertThat(tracker.latencies(4)).containsExactly(600, 400, 700, 400);
  }

  @Test
  void onlyTheFirstCountChangesAreReported() {
    ChangeTracker tracker = new ChangeTracker(new int[] {1, 1, 1});
    tracker.committed(0, 10);
    tracker.seen(0, "a", 30);
    tracker.seen(2, "c", 50);
    tracker.seen(7, "x", 50); // no such change
    assertThat(tracker.latencies(2)).containsExactly(20);
    assertThat(tracker.incomplete(2)).isEqualTo(1);
    assertThat(tracker.incomplete(3)).isEqualTo(1);
  }

  @Test
  void everyChangeShowsSomewhere() {
    assertThatThrownBy(() -> new ChangeTracker(new int[] {1, 0}))
        .hasMessage("Change 1 shows in no document");
  }
}

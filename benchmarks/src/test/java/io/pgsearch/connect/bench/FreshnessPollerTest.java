package io.pgsearch.connect.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.NavigableSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class FreshnessPollerTest {

  /** The poller's clock: each answer of the index takes {@link #ANSWER_MS}. */
  private long now = 1_000;

  private static final long ANSWER_MS = 10;

  /** Ids a search would find, answered like the index; at most {@code fetchMax} per fetch. */
  private final class FakeIndex implements PipelineBenchmark.FreshnessPoller.Index {
    final NavigableSet<Long> visible = new TreeSet<>();
    final int fetchMax;
    int fetches;

    /** Ids that become searchable while the next fetch runs (a refresh between count and fetch). */
    final NavigableSet<Long> duringNextFetch = new TreeSet<>();

    FakeIndex(int fetchMax) {
      this.fetchMax = fetchMax;
    }

    @Override
    public long countAbove(long id) {
      now += ANSWER_MS;
      return visible.tailSet(id, false).size();
    }

    @Override
    public long[] idsAbove(long id) {
      fetches++;
      now += ANSWER_MS;
      visible.addAll(duringNextFetch);
      duringNextFetch.clear();
      return visible.tailSet(id, false).stream()
          .limit(fetchMax)
          .mapToLong(Long::longValue)
          .toArray();
    }

    void show(long... ids) {
      for (long id : ids) {
        visible.add(id);
      }
    }
  }

  private static final long BASE = 100;

  /** Slots for ids 101 to 110, when each was first found. */
  private final long[] seen = new long[10];

  private PipelineBenchmark.FreshnessPoller poller(FakeIndex index) {
    return new PipelineBenchmark.FreshnessPoller(index, BASE, seen, () -> now);
  }

  @Test
  void fetchesOnlyWhenTheCountChanged() {
    FakeIndex index = new FakeIndex(10_000);
    PipelineBenchmark.FreshnessPoller poller = poller(index);
    index.show(101, 102, 103);

    poller.tick();
    poller.tick();
    poller.tick();

    assertThat(index.fetches).isEqualTo(1);
    assertThat(poller.watermark()).isEqualTo(103);
    assertThat(seen[0]).isPositive();
    assertThat(seen[1]).isEqualTo(seen[0]);
    assertThat(seen[2]).isEqualTo(seen[0]);
    assertThat(seen[3]).isZero();

    index.show(104);
    poller.tick();

    assertThat(index.fetches).isEqualTo(2);
    assertThat(poller.watermark()).isEqualTo(104);
    assertThat(seen[3]).isPositive();
  }

  @Test
  void idsAboveAGapAreNotFetchedAgainUntilTheGapFills() {
    FakeIndex index = new FakeIndex(10_000);
    PipelineBenchmark.FreshnessPoller poller = poller(index);
    index.show(101, 103, 104); // 102 is not searchable yet

    poller.tick();
    long firstSeen = seen[2];
    poller.tick();
    poller.tick();

    assertThat(index.fetches).isEqualTo(1);
    assertThat(poller.watermark()).isEqualTo(101);
    assertThat(seen[1]).isZero();
    assertThat(firstSeen).isPositive();

    index.show(102);
    poller.tick();

    assertThat(index.fetches).isEqualTo(2);
    assertThat(poller.watermark()).isEqualTo(104);
    assertThat(seen[1]).isGreaterThan(firstSeen);
    assertThat(seen[2]).as("the first time an id was found stays").isEqualTo(firstSeen);
  }

  @Test
  void idsBeyondOneFetchComeInLaterTicks() {
    FakeIndex index = new FakeIndex(2);
    PipelineBenchmark.FreshnessPoller poller = poller(index);
    index.show(101, 102, 103, 104, 105);

    poller.tick();
    assertThat(poller.watermark()).isEqualTo(102);
    poller.tick();
    poller.tick();
    poller.tick();

    assertThat(poller.watermark()).isEqualTo(105);
    assertThat(index.fetches).isEqualTo(3);
    for (int i = 0; i < 5; i++) {
      assertThat(seen[i]).as("id %d", BASE + 1 + i).isPositive();
    }
  }

  @Test
  void idsAreDatedByTheCountThatFoundThemNotByTheFetchAfterIt() {
    FakeIndex index = new FakeIndex(10_000);
    PipelineBenchmark.FreshnessPoller poller = poller(index);
    index.show(101, 102);

    poller.tick(); // the count answers at 1,010, the fetch at 1,020

    assertThat(seen[0]).isEqualTo(1_010);
    assertThat(seen[1]).isEqualTo(1_010);

    index.show(103);
    index.duringNextFetch.add(104L); // searchable only after the count: not what it found
    poller.tick(); // count at 1,030, fetch at 1,040

    assertThat(seen[2]).as("fetched with one the count had not found").isEqualTo(1_040);
    assertThat(seen[3]).isEqualTo(1_040);
  }

  @Test
  void aFetchCutAtItsLimitIsDatedByItsOwnAnswer() {
    FakeIndex index = new FakeIndex(2);
    PipelineBenchmark.FreshnessPoller poller = poller(index);
    index.show(101, 102, 103);

    poller.tick(); // count 3 at 1,010; the fetch returns 2 of them at 1,020

    assertThat(seen[0]).isEqualTo(1_020);
    assertThat(seen[1]).isEqualTo(1_020);
  }
}

package io.pgsearch.connect.sink.truncate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TruncateFloorsTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final FakeStore store = new FakeStore();
  private final TruncateFloors floors = new TruncateFloors(store, now::get);

  static final class FakeStore implements FloorStore {
    final Map<String, Long> floors = new HashMap<>();
    final List<List<String>> reads = new ArrayList<>();
    IOException failure;

    @Override
    public Map<String, Long> read(Collection<String> indexes) throws IOException {
      reads.add(List.copyOf(indexes));
      if (failure != null) {
        throw failure;
      }
      Map<String, Long> result = new HashMap<>();
      indexes.stream().filter(floors::containsKey).forEach(i -> result.put(i, floors.get(i)));
      return result;
    }

    @Override
    public void write(String index, long floor) {
      floors.merge(index, floor, Math::max);
    }
  }

  private void advanceMs(long ms) {
    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(ms));
  }

  @Test
  void anIndexIsNotFreshUntilItsFloorWasRead() {
    store.floors.put("orders", 40L);
    floors.watch("orders");
    assertThat(floors.isFresh("orders")).isFalse();

    floors.refreshStale();

    assertThat(floors.isFresh("orders")).isTrue();
    assertThat(floors.floor("orders")).isEqualTo(40);
  }

  @Test
  void aReadingIsRenewedAtHalfItsAgeAndExpiresAtItsAge() {
    floors.watch("orders");
    floors.refreshStale();
    advanceMs(TruncateFloors.MAX_AGE_MS / 2);
    floors.refreshStale();
    assertThat(store.reads).hasSize(1);

    store.floors.put("orders", 70L); // another task's truncate
    advanceMs(1);
    floors.refreshStale();
    assertThat(store.reads).hasSize(2);
    assertThat(floors.floor("orders")).isEqualTo(70);

    advanceMs(TruncateFloors.MAX_AGE_MS + 1);
    assertThat(floors.isFresh("orders")).as("not read again for too long").isFalse();
  }

  @Test
  void aFailedReadingLeavesTheIndexStaleAndIsRetriedASecondLater() {
    floors.watch("orders");
    store.failure = new IOException("connection refused");
    floors.refreshStale();
    floors.refreshStale();
    assertThat(store.reads).hasSize(1);
    assertThat(floors.isFresh("orders")).isFalse();

    store.failure = null;
    advanceMs(1_001);
    floors.refreshStale();
    assertThat(floors.isFresh("orders")).isTrue();
  }

  @Test
  void floorsThatMayNotBeReadNeverStopWrites() {
    floors.watch("orders");
    store.failure = new FloorStore.FloorsUnreadable("security_exception: no", null);

    floors.refreshStale();
    advanceMs(60_000);

    assertThat(floors.isFresh("orders")).isTrue();
    assertThat(floors.floor("orders")).isZero();
  }

  @Test
  void aLocalTruncateRaisesTheFloorAtOnceAndAnOlderReadingNeverLowersIt() {
    floors.watch("orders");
    floors.refreshStale();
    floors.raise("orders", 90);
    assertThat(floors.floor("orders")).isEqualTo(90);

    advanceMs(TruncateFloors.MAX_AGE_MS);
    floors.refreshStale(); // the store does not have it yet
    assertThat(floors.floor("orders")).isEqualTo(90);
  }
}

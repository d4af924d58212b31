package io.pgsearch.connect.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class RootQueueTest {
  /** Keyset pages over ids 1..count, counting the queries, failing when told to. */
  private static final class Table {
    final long count;
    int queries;
    boolean failing;

    Table(long count) {
      this.count = count;
    }

    RootPages pages() {
      return RootPages.keyset(
          after -> {
            if (failing) {
              throw new SQLException("PostgreSQL is restarting");
            }
            queries++;
            long from = after == null ? 1 : (Long) after.get(0) + 1;
            long to = Math.min(count, from + DocumentBuilder.BATCH - 1);
            return LongStream.rangeClosed(from, to).mapToObj(id -> List.<Object>of(id)).toList();
          });
    }
  }

  @Test
  void aRootTouchedByManyChangesIsBuiltOnceWithTheLastChange() throws Exception {
    RootQueue<String> queue = new RootQueue<>(100);
    queue.add(RootPages.of(List.of(List.of(1L), List.of(2L))), "first");
    queue.add(RootPages.of(List.of(List.of(2L), List.of(3L))), "second");
    // Another Java type of the same number (an int column referencing a bigint) is the same root.
    queue.add(RootPages.of(List.of(List.of(1))), "third");
    assertThat(queue.peek(10))
        .containsExactly(
            new RootQueue.Root<>(List.of(1L), "third"),
            new RootQueue.Root<>(List.of(2L), "second"),
            new RootQueue.Root<>(List.of(3L), "second"));
  }

  @Test
  void rootsBeyondTheEagerOnesAreReadAPageAtATimeWhenTheirTurnComes() throws Exception {
    Table table = new Table(100_000);
    RootQueue<String> queue = new RootQueue<>(1_000);
    queue.add(table.pages(), "rename");
    assertThat(table.queries).as("read at once: up to the eager limit").isEqualTo(2);
    queue.add(RootPages.of(List.of(List.of(7L))), "later");
    List<Long> built = new ArrayList<>();
    int mostHeld = 0;
    while (!queue.done()) {
      List<RootQueue.Root<String>> batch = queue.peek(500);
      mostHeld = Math.max(mostHeld, batch.size());
      batch.forEach(root -> built.add((Long) root.key().get(0)));
      queue.taken(batch.size());
      // No page is read before the roots of the one before are taken.
      assertThat(table.queries).isLessThanOrEqualTo(2 + (built.size() - 1_000 + 499) / 500 + 1);
    }
    assertThat(built).hasSize(100_001);
    assertThat(built.subList(0, 100_000)).isSorted().doesNotHaveDuplicates();
    assertThat(built.get(100_000)).as("the later change's root, after the pages").isEqualTo(7L);
    assertThat(table.queries).isEqualTo(201); // 200 pages of 500, and the empty one after
    assertThat(mostHeld).isEqualTo(500);
  }

  @Test
  void aFailedReadOrBuildLosesNoRoot() throws Exception {
    Table table = new Table(1_200);
    RootQueue<String> queue = new RootQueue<>(0);
    queue.add(table.pages(), "truncate");
    List<RootQueue.Root<String>> first = queue.peek(500);
    assertThat(first).hasSize(500);
    // A build failed: nothing taken, the same roots come again.
    assertThat(queue.peek(500)).isEqualTo(first);
    queue.taken(500);
    table.failing = true;
    assertThatThrownBy(() -> queue.peek(500)).isInstanceOf(SQLException.class);
    assertThat(queue.done()).isFalse();
    table.failing = false;
    assertThat(queue.peek(500).get(0).key())
        .as("the page after the last taken")
        .isEqualTo(List.of(501L));
  }

  @Test
  void anEmptyQueueIsDone() throws Exception {
    RootQueue<String> queue = new RootQueue<>(10);
    assertThat(queue.done()).isTrue();
    queue.add(RootPages.of(List.of()), "no roots");
    assertThat(queue.done()).isTrue();
    assertThat(queue.peek(5)).isEmpty();
  }
}

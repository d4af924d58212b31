package io.pgsearch.connect.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgsearch.connect.sink.bulk.BufferLimit;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BackpressureTest {
  private static final int LIMIT = 50;
  private static final long BYTES = 5_000;
  private static final TopicPartition P0 = new TopicPartition("t", 0);
  private static final TopicPartition P1 = new TopicPartition("t", 1);
  private static final TopicPartition P2 = new TopicPartition("t", 2);
  private static final TopicPartition P3 = new TopicPartition("t", 3);

  private final Context context = new Context(P0, P1);
  private final Buffer buffer = new Buffer();
  private final AtomicInteger pauses = new AtomicInteger();
  private final Backpressure backpressure =
      new Backpressure(context, buffer, new BufferLimit(LIMIT, BYTES), pauses::incrementAndGet);

  @AfterEach
  void clearInterrupt() {
    Thread.interrupted();
  }

  @Test
  void aBufferAtTheLimitPausesNothing() {
    buffer.records = LIMIT;
    backpressure.afterPut();
    assertThat(backpressure.paused()).isFalse();
    assertThat(context.paused).isEmpty();
    assertThat(context.timeout).isNegative();
    assertThat(buffer.waits).isZero();
  }

  @Test
  void aBufferThatDrainsWhilePutWaitsPausesNothing() {
    buffer.records = LIMIT + 10;
    buffer.drainsTo = LIMIT - 10;
    backpressure.afterPut();
    assertThat(buffer.waits).isOne();
    assertThat(backpressure.paused()).isFalse();
    assertThat(context.paused).isEmpty();
  }

  @Test
  void aBufferStillOverTheLimitAfterTheWaitPausesEveryAssignedPartition() {
    pauseWith(LIMIT + 1);
    assertThat(context.paused).containsExactlyInAnyOrder(P0, P1);
    assertThat(pauses).hasValue(1);
    assertThat(context.timeout)
        .as("put is called again soon, to resume in time")
        .isEqualTo(Backpressure.POLL_AGAIN_MS);
  }

  @Test
  void partitionsStayPausedUntilTheBufferIsDownToHalf() {
    pauseWith(LIMIT * 2);
    context.timeout = -1;
    buffer.records = LIMIT / 2 + 1;
    backpressure.afterPut();
    assertThat(backpressure.paused()).isTrue();
    assertThat(context.paused).containsExactlyInAnyOrder(P0, P1);
    assertThat(context.timeout).isEqualTo(Backpressure.POLL_AGAIN_MS);
    assertThat(pauses).as("paused once, not on every put").hasValue(1);

    buffer.records = LIMIT / 2;
    context.timeout = -1;
    backpressure.afterPut();
    assertThat(backpressure.paused()).isFalse();
    assertThat(context.paused).isEmpty();
    assertThat(context.timeout).isNegative();
  }

  @Test
  void bytesOverTheLimitPauseEvenWithFewRecords() {
    buffer.bytes = BYTES + 1;
    backpressure.afterPut();
    assertThat(buffer.waits).as("put waited for room first").isOne();
    assertThat(backpressure.paused()).isTrue();
    assertThat(context.paused).containsExactlyInAnyOrder(P0, P1);
  }

  @Test
  void partitionsResumeOnlyOnceBothRecordsAndBytesAreDownToHalf() {
    buffer.bytes = BYTES * 2;
    pauseWith(LIMIT * 2);
    buffer.records = 0;
    buffer.bytes = BYTES / 2 + 1;
    backpressure.afterPut();
    assertThat(backpressure.paused()).as("bytes still over half").isTrue();

    buffer.records = LIMIT / 2 + 1;
    buffer.bytes = 0;
    backpressure.afterPut();
    assertThat(backpressure.paused()).as("records still over half").isTrue();

    buffer.records = LIMIT / 2;
    buffer.bytes = BYTES / 2;
    backpressure.afterPut();
    assertThat(backpressure.paused()).isFalse();
    assertThat(context.paused).isEmpty();
  }

  @Test
  void partitionsGivenWhilePausedArePausedAndResumedWithTheOthers() {
    pauseWith(LIMIT * 2);
    context.revoke(P1);
    context.assign(P2, P3);
    backpressure.opened(List.of(P2, P3));
    assertThat(context.paused).containsExactlyInAnyOrder(P0, P2, P3);

    buffer.records = 0;
    backpressure.afterPut();
    assertThat(context.paused).isEmpty();
    assertThat(context.resumed).containsExactlyInAnyOrder(P0, P2, P3);
  }

  /**
   * Seen in CI ({@code ElasticsearchOutageIT}): a put between an eager rebalance's revocation and
   * its assignment resumed nothing, cleared the flag, and the partition given back stayed paused by
   * Connect for ever.
   */
  @Test
  void aPutBetweenRevocationAndAssignmentKeepsThePauseUntilThePartitionsAreBack() {
    pauseWith(LIMIT * 2);
    context.revoke(P0);
    context.revoke(P1);
    buffer.records = 0; // the writer forgot the revoked partitions' records
    backpressure.afterPut();
    assertThat(backpressure.paused()).as("nothing to resume yet").isTrue();

    context.assign(P0);
    backpressure.opened(List.of(P0));
    backpressure.afterPut();
    assertThat(backpressure.paused()).isFalse();
    assertThat(context.paused).as("the partition given back flows").isEmpty();
  }

  @Test
  void partitionsGivenWhileFlowingAreNotPaused() {
    context.assign(P2);
    backpressure.opened(List.of(P2));
    assertThat(context.paused).isEmpty();
    backpressure.opened(List.of());
    assertThat(context.paused).isEmpty();
  }

  @Test
  void aPutInterruptedWhileWaitingForRoomFailsAndKeepsTheInterrupt() {
    buffer.records = LIMIT + 1;
    Thread.currentThread().interrupt();
    assertThatThrownBy(backpressure::afterPut)
        .isInstanceOf(ConnectException.class)
        .hasMessageContaining("waiting for the search server");
    assertThat(Thread.currentThread().isInterrupted()).isTrue();
    assertThat(backpressure.paused()).isFalse();
  }

  private void pauseWith(int records) {
    buffer.records = records;
    backpressure.afterPut();
    assertThat(buffer.waits).as("put waited for room first").isOne();
    assertThat(backpressure.paused()).isTrue();
  }

  /** Records and bytes buffered; a wait drains the records to {@code drainsTo} at best. */
  private static final class Buffer implements Backpressure.Buffer {
    int records;
    long bytes;
    int drainsTo = Integer.MAX_VALUE;
    int waits;

    @Override
    public int bufferedRecords() {
      return records;
    }

    @Override
    public long bufferedBytes() {
      return bytes;
    }

    @Override
    public boolean awaitBuffered(BufferLimit limit, long timeoutMs) throws InterruptedException {
      waits++;
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedException();
      }
      records = Math.min(records, drainsTo);
      return limit.holds(records, bytes);
    }
  }

  /**
   * A task context over a consumer, as Connect's worker keeps it: the pauses the task asked for are
   * remembered ({@code requested}) even for revoked partitions; the consumer forgets its pause of a
   * revoked partition ({@code paused}), and an assignment pauses again each given partition the
   * task still asks to be paused.
   */
  private static final class Context implements SinkTaskContext {
    final Set<TopicPartition> assignment = new LinkedHashSet<>();
    final Set<TopicPartition> requested = new LinkedHashSet<>();
    final Set<TopicPartition> paused = new LinkedHashSet<>();
    final Set<TopicPartition> resumed = new LinkedHashSet<>();
    long timeout = -1;

    Context(TopicPartition... partitions) {
      assign(partitions);
    }

    void assign(TopicPartition... partitions) {
      assignment.addAll(Arrays.asList(partitions));
      requested.retainAll(assignment);
      paused.addAll(requested);
    }

    void revoke(TopicPartition partition) {
      assignment.remove(partition);
      paused.remove(partition);
    }

    @Override
    public void pause(TopicPartition... partitions) {
      for (TopicPartition partition : partitions) {
        assertThat(assignment).as("only assigned partitions can be paused").contains(partition);
        requested.add(partition);
        paused.add(partition);
      }
    }

    @Override
    public void resume(TopicPartition... partitions) {
      for (TopicPartition partition : partitions) {
        assertThat(assignment).as("only assigned partitions can be resumed").contains(partition);
        requested.remove(partition);
        paused.remove(partition);
        resumed.add(partition);
      }
    }

    @Override
    public Set<TopicPartition> assignment() {
      return Set.copyOf(assignment);
    }

    @Override
    public void timeout(long timeoutMs) {
      timeout = timeoutMs;
    }

    @Override
    public Map<String, String> configs() {
      return Map.of();
    }

    @Override
    public void offset(Map<TopicPartition, Long> offsets) {}

    @Override
    public void offset(TopicPartition tp, long offset) {}

    @Override
    public void requestCommit() {}

    @Override
    public PluginMetrics pluginMetrics() {
      return null;
    }
  }
}

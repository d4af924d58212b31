package io.pgsearch.connect.sink.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {
  private static final TopicPartition P0 = new TopicPartition("shop.public.items", 0);
  private static final TopicPartition P1 = new TopicPartition("shop.public.items", 1);

  @Test
  void doneBeforeWaitsForEveryEarlierRecordOfThePartitionOnly() {
    OffsetTracker tracker = new OffsetTracker();
    OffsetTracker.Entry first = tracker.track(new RecordPosition(P0, 10));
    OffsetTracker.Entry mirror = tracker.track(new RecordPosition(P0, 10)); // its copy
    tracker.track(new RecordPosition(P1, 3)); // another partition, not done
    RecordPosition end = new RecordPosition(P0, 11);
    tracker.track(end);

    assertThat(tracker.doneBefore(end)).isFalse();
    first.markDone();
    assertThat(tracker.doneBefore(end)).as("the record's copy is not applied yet").isFalse();
    mirror.markDone();
    assertThat(tracker.doneBefore(end)).isTrue();
    assertThat(tracker.doneBefore(new RecordPosition(new TopicPartition("other", 0), 5))).isTrue();
  }

  @Test
  void removingAPartitionRevokesItsRecordsNotDoneAndNoOthers() {
    OffsetTracker tracker = new OffsetTracker();
    OffsetTracker.Entry pending = tracker.track(new RecordPosition(P0, 0));
    OffsetTracker.Entry kept = tracker.track(new RecordPosition(P1, 0));
    OffsetTracker.Entry derived = new OffsetTracker.Entry(1); // a truncate's delete

    tracker.remove(P0);

    assertThat(pending.isRevoked()).isTrue();
    assertThat(kept.isRevoked()).isFalse();
    assertThat(derived.isRevoked()).isFalse();
    assertThat(tracker.track(new RecordPosition(P0, 0)).isRevoked())
        .as("consumed again once assigned again")
        .isFalse();
  }

  @Test
  void theOldestPendingRecordIsTheFirstNotDoneOfAnyPartition() {
    OffsetTracker tracker = new OffsetTracker();
    assertThat(tracker.oldestPendingNanos()).isEqualTo(Long.MAX_VALUE);
    OffsetTracker.Entry first = tracker.track(new RecordPosition(P0, 0), 100);
    OffsetTracker.Entry second = tracker.track(new RecordPosition(P0, 1), 200);
    OffsetTracker.Entry other = tracker.track(new RecordPosition(P1, 0), 150);

    assertThat(tracker.oldestPendingNanos()).isEqualTo(100);
    second.markDone();
    assertThat(tracker.oldestPendingNanos())
        .as("done out of order: the first still waits")
        .isEqualTo(100);
    first.markDone();
    assertThat(tracker.oldestPendingNanos()).isEqualTo(150);
    other.markDone();
    assertThat(tracker.oldestPendingNanos()).isEqualTo(Long.MAX_VALUE);
  }
}

package io.pgsearch.connect.sink.rebuild;

import io.pgsearch.connect.sink.bulk.RecordPosition;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rebuild ends this task received, each applied once every earlier record of its partition is:
 * the record stays uncommitted until then, so a task that stops in between receives it again.
 */
public final class RebuildEnds {
  private static final Logger log = LoggerFactory.getLogger(RebuildEnds.class);
  private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final Rebuilds rebuilds;
  private final Predicate<RecordPosition> doneBefore;
  private final LongSupplier nanoClock;
  private final List<Pending> pending = new ArrayList<>();

  /**
   * @param doneBefore whether every record of a position's partition before it is applied
   */
  public RebuildEnds(
      Rebuilds rebuilds, Predicate<RecordPosition> doneBefore, LongSupplier nanoClock) {
    this.rebuilds = rebuilds;
    this.doneBefore = doneBefore;
    this.nanoClock = nanoClock;
  }

  /**
   * The end of rebuild {@code id} of {@code alias} in the partition of {@code position}, which went
   * to {@code partitions} partitions; {@code onDone} runs once it is applied.
   */
  public record End(
      String alias,
      String id,
      int partitions,
      String source,
      RecordPosition position,
      Runnable onDone) {}

  private static final class Pending {
    final End end;
    long notBeforeNanos;

    Pending(End end) {
      this.end = end;
    }
  }

  /** Takes an end, to apply once every earlier record of its partition is. */
  public void start(End end) {
    pending.add(new Pending(end));
  }

  /**
   * Applies the ends that are due, and deletes the replaced generations that are; true while some
   * are waiting.
   */
  public boolean advance() {
    Iterator<Pending> each = pending.iterator();
    while (each.hasNext()) {
      Pending next = each.next();
      End end = next.end;
      long now = nanoClock.getAsLong();
      if (now - next.notBeforeNanos < 0 || !doneBefore.test(end.position())) {
        continue;
      }
      try {
        rebuilds.end(
            end.alias(),
            end.id(),
            end.position().partition().partition(),
            end.partitions(),
            end.source());
        end.onDone().run();
        each.remove();
      } catch (IOException | RuntimeException e) {
        next.notBeforeNanos = now + RETRY_NANOS;
        log.warn(
            "Could not apply the end of rebuild {} of {} ({}) yet: {}; trying again",
            end.id(),
            end.alias(),
            end.position(),
            e.toString());
      }
    }
    boolean retiring = rebuilds.retire();
    return !pending.isEmpty() || retiring;
  }

  /** Abandons the ends of revoked partitions: their next owner receives them again. */
  public void forget(Collection<TopicPartition> partitions) {
    Set<TopicPartition> revoked = new HashSet<>(partitions);
    pending.removeIf(next -> revoked.contains(next.end.position().partition()));
  }
}

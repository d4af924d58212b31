package io.pgsearch.connect.sink.truncate;

import io.pgsearch.connect.sink.bulk.RecordPosition;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.connect.sink.SinkRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one TRUNCATE to its table's index: records the floor (so every task drops older writes),
 * waits until every task knows it, then deletes every document older than the truncate, at the
 * truncate's version. It sweeps twice: once as soon as every task knows the floor (the index is
 * emptied within seconds), and again after the longest a bulk request sent before that may take
 * (the read timeout), for a write another task had in flight. Only then is the truncate's record
 * done, so a restart in between applies it again.
 *
 * <p>Each call to {@link #advance} does a bounded amount of work on the task's thread.
 */
final class TruncateSweep {
  private static final Logger log = LoggerFactory.getLogger(TruncateSweep.class);

  /** Deletes queued and not yet done above which the scan waits before reading more. */
  static final int MAX_PENDING_DELETES = 2 * ScrollScan.PAGE_SIZE;

  private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

  private enum State {
    RECORD_FLOOR,
    WAIT,
    OPEN_SCAN,
    READ_SCAN,
    DRAIN,
    DONE
  }

  private final String index;
  private final long version;
  private final SinkRecord record;
  private final RecordPosition position;
  private final Runnable onDone;
  private final long[] passDelaysNanos;
  private final List<BooleanSupplier> pending = new ArrayList<>();
  private State state = State.RECORD_FLOOR;
  private long floorRecordedNanos;
  private long notBeforeNanos;
  private int pass;
  private String cursor;
  private long deleted;

  TruncateSweep(
      String index,
      long version,
      SinkRecord record,
      RecordPosition position,
      Runnable onDone,
      long[] passDelaysMs,
      long nowNanos) {
    this.notBeforeNanos = nowNanos;
    this.index = index;
    this.version = version;
    this.record = record;
    this.position = position;
    this.onDone = onDone;
    this.passDelaysNanos = new long[passDelaysMs.length];
    for (int i = 0; i < passDelaysMs.length; i++) {
      passDelaysNanos[i] = TimeUnit.MILLISECONDS.toNanos(passDelaysMs[i]);
    }
  }

  RecordPosition position() {
    return position;
  }

  boolean isDone() {
    return state == State.DONE;
  }

  /**
   * Takes the next step if it can; returns whether it did, so the caller may take another. An
   * Elasticsearch failure is retried a second later (from the start of the pass for a scan).
   */
  boolean step(long now, FloorStore store, DocumentScan scan, SweepWrites writes) {
    if (state == State.DONE || now - notBeforeNanos < 0) {
      return false;
    }
    pending.removeIf(BooleanSupplier::getAsBoolean);
    try {
      return switch (state) {
        case RECORD_FLOOR -> recordFloor(now, store);
        case WAIT -> startPassWhenDue(now);
        case OPEN_SCAN -> read(scan.open(index), writes);
        case READ_SCAN -> pending.size() <= MAX_PENDING_DELETES && read(scan.next(cursor), writes);
        case DRAIN -> finishPass();
        case DONE -> false;
      };
    } catch (IOException | RuntimeException e) {
      log.warn(
          "Applying the TRUNCATE of {} (record {}) to index {} failed for now, retried in a"
              + " second: {}",
          record.topic(),
          position,
          index,
          e.toString());
      if (cursor != null) {
        scan.close(cursor);
        cursor = null;
      }
      if (state == State.READ_SCAN) {
        state = State.OPEN_SCAN; // the scroll may have expired: read the index again
      }
      notBeforeNanos = now + RETRY_NANOS;
      return false;
    }
  }

  private boolean recordFloor(long now, FloorStore store) throws IOException {
    try {
      store.write(index, version);
    } catch (FloorStore.FloorsUnreadable e) {
      log.warn(
          "The TRUNCATE of {} cannot be recorded in index {} ({}): other tasks of this connector"
              + " will not drop the table's older rows they still hold. Grant manage on the index",
          record.topic(),
          index,
          e.getMessage());
    }
    floorRecordedNanos = now;
    state = State.WAIT;
    return true;
  }

  private boolean startPassWhenDue(long now) {
    if (now - (floorRecordedNanos + passDelaysNanos[pass]) < 0) {
      return false;
    }
    state = State.OPEN_SCAN;
    return true;
  }

  private boolean read(DocumentScan.Page page, SweepWrites writes) {
    for (DocumentScan.Hit hit : page.hits()) {
      if (hit.version() < version) {
        pending.add(writes.delete(index, hit.id(), version, record, position));
        deleted++;
      }
    }
    cursor = page.cursor();
    state = cursor == null ? State.DRAIN : State.READ_SCAN;
    return true;
  }

  private boolean finishPass() {
    if (!pending.isEmpty()) {
      return false;
    }
    pass++;
    if (pass < passDelaysNanos.length) {
      state = State.WAIT;
      return true;
    }
    state = State.DONE;
    onDone.run();
    log.info(
        "Applied the TRUNCATE of {} (record {}) to index {}: {} older documents deleted",
        record.topic(),
        position,
        index,
        deleted);
    return true;
  }

  /** Stops a sweep whose partition was revoked: the next owner applies the truncate again. */
  void abandon(DocumentScan scan) {
    if (cursor != null) {
      scan.close(cursor);
      cursor = null;
    }
    state = State.DONE;
  }
}

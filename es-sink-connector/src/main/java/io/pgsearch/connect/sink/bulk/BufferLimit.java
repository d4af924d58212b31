package io.pgsearch.connect.sink.bulk;

/**
 * The most a task may hold for Elasticsearch: records (queued or in flight) and the bytes they keep
 * on the heap ({@link SinkOperation#heldBytes}). Either one beyond its bound is too much.
 *
 * @param records {@code max.buffered.records}
 * @param bytes {@code max.buffered.bytes}
 */
public record BufferLimit(int records, long bytes) {
  /** Whether a buffer of {@code bufferedRecords} holding {@code bufferedBytes} is within both. */
  public boolean holds(int bufferedRecords, long bufferedBytes) {
    return bufferedRecords <= records && bufferedBytes <= bytes;
  }

  /** Half of each bound: where a paused task resumes, so that it does not pause on every put. */
  public BufferLimit half() {
    return new BufferLimit(records / 2, bytes / 2);
  }
}

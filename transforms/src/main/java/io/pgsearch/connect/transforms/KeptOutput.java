package io.pgsearch.connect.transforms;

import java.io.ByteArrayOutputStream;

/**
 * The output buffer of a {@link KeptGenerator}: a {@link ByteArrayOutputStream}, whose reset keeps
 * its array, so the array keeps its capacity from record to record. Jackson's {@code
 * ByteArrayBuilder}, reset, keeps only its last block, so each change event of a few KB grew it
 * block by block again: a JFR allocation profile of a snapshot put that growth at 3.4 KB per row,
 * as much as the record itself.
 */
final class KeptOutput extends ByteArrayOutputStream {
  /** Enough for a change event with its schema without growing. */
  static final int INITIAL_BYTES = 8 * 1024;

  /** Beyond this, a reset lets the array go: one large record does not pin its size. */
  static final int MAX_KEPT_BYTES = 1024 * 1024;

  KeptOutput() {
    super(INITIAL_BYTES);
  }

  /** Starts the next record, keeping the array unless it grew beyond {@link #MAX_KEPT_BYTES}. */
  @Override
  public synchronized void reset() {
    super.reset();
    if (buf.length > MAX_KEPT_BYTES) {
      buf = new byte[INITIAL_BYTES];
    }
  }

  synchronized int capacity() {
    return buf.length;
  }
}

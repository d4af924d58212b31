package io.pgsearch.connect.transforms;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * The output buffer of a {@link KeptGenerator}: an array that keeps its capacity from record to
 * record. Jackson's {@code ByteArrayBuilder}, reset, keeps only its last block, so each change
 * event of a few KB grew it block by block again: a JFR allocation profile of a snapshot put that
 * growth at 3.4 KB per row, as much as the record itself. Unsynchronized: one thread at a time.
 */
final class KeptOutput extends OutputStream {
  /** Enough for a change event with its schema without growing. */
  static final int INITIAL_BYTES = 8 * 1024;

  /** Beyond this, a reset lets the array go: one large record does not pin its size. */
  static final int MAX_KEPT_BYTES = 1024 * 1024;

  private byte[] buffer = new byte[INITIAL_BYTES];
  private int count;

  @Override
  public void write(int b) {
    ensure(1);
    buffer[count++] = (byte) b;
  }

  @Override
  public void write(byte[] bytes, int offset, int length) {
    ensure(length);
    System.arraycopy(bytes, offset, buffer, count, length);
    count += length;
  }

  /** A copy of what was written since the last reset. */
  byte[] toByteArray() {
    return Arrays.copyOf(buffer, count);
  }

  /** Starts the next record, keeping the array unless it grew beyond {@link #MAX_KEPT_BYTES}. */
  void reset() {
    count = 0;
    if (buffer.length > MAX_KEPT_BYTES) {
      buffer = new byte[INITIAL_BYTES];
    }
  }

  int capacity() {
    return buffer.length;
  }

  private void ensure(int more) {
    int needed = count + more;
    if (needed < 0) {
      throw new IllegalStateException("A record of more than 2 GB cannot be written");
    }
    if (needed > buffer.length) {
      buffer =
          Arrays.copyOf(
              buffer, Math.max(needed, (int) Math.min(2L * buffer.length, Integer.MAX_VALUE - 8)));
    }
  }
}

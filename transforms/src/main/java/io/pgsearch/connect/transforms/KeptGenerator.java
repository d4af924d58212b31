package io.pgsearch.connect.transforms;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/**
 * A JSON generator and its output buffer, kept from record to record by the converters and the
 * sink's document renderer: creating a generator takes buffers from Jackson's per-thread pool and
 * gives them back on close, which was about a twentieth of the converter's CPU for a change event.
 * After any failure both are dropped, so a half-written record never reaches the next one. Used by
 * one thread at a time.
 */
public final class KeptGenerator implements AutoCloseable {
  /** What one record writes with the generator. */
  @FunctionalInterface
  public interface Body {
    void writeTo(JsonGenerator generator) throws IOException;
  }

  private final JsonFactory factory;
  private KeptOutput output;
  private JsonGenerator generator;

  /** Generators from {@code factory} (an {@code ObjectMapper} passes its settings on). */
  public KeptGenerator(JsonFactory factory) {
    this.factory = factory;
  }

  /**
   * The bytes of one record: {@code prefix}, what {@code body} writes, then {@code suffix}; either
   * may be null. Values at the top level are not separated (no root value separator).
   */
  public byte[] write(byte[] prefix, Body body, byte[] suffix) throws IOException {
    boolean written = false;
    try {
      if (generator == null) {
        output = new KeptOutput();
        generator = factory.createGenerator(output).setRootValueSeparator(null);
      }
      if (prefix != null) {
        output.write(prefix);
      }
      body.writeTo(generator);
      generator.flush();
      if (suffix != null) {
        output.write(suffix);
      }
      byte[] bytes = output.toByteArray();
      written = true;
      return bytes;
    } finally {
      if (written) {
        output.reset();
      } else {
        generator = null; // left inside the failed record
        output = null;
      }
    }
  }

  /** Gives the generator's buffers back to Jackson's pool; a later write starts afresh. */
  @Override
  public void close() {
    if (generator != null) {
      try {
        generator.close();
      } catch (IOException e) {
        // Writing into memory: nothing can fail, and nothing is left to write.
      }
      generator = null;
      output = null;
    }
  }
}

package io.pgsearch.connect.converters;

import java.nio.charset.StandardCharsets;

/**
 * Byte-level reading of the envelope's frame, {@code {"schema": {...}, "payload": ...}}, for the
 * converter's fast path: where the schema's text starts and ends, without tokenizing it. Anything
 * unexpected answers -1, and the converter then reads the record with the full parser, which also
 * reports what is wrong.
 */
final class EnvelopeText {
  static final byte[] SCHEMA = "\"schema\"".getBytes(StandardCharsets.US_ASCII);
  static final byte[] PAYLOAD = "\"payload\"".getBytes(StandardCharsets.US_ASCII);
  static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);

  private EnvelopeText() {}

  /** The index of the first byte at or after {@code i} that is not JSON whitespace. */
  static int skipSpace(byte[] b, int i) {
    while (i < b.length && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) {
      i++;
    }
    return i;
  }

  /** The index after {@code literal} if {@code b} holds it at {@code i}, else -1. */
  static int literal(byte[] b, int i, byte[] literal) {
    if (i < 0 || i + literal.length > b.length) {
      return -1;
    }
    for (int k = 0; k < literal.length; k++) {
      if (b[i + k] != literal[k]) {
        return -1;
      }
    }
    return i + literal.length;
  }

  /** The index after {@code b[i]} (after whitespace) if that is {@code c}, else -1. */
  static int punctuation(byte[] b, int i, char c) {
    if (i < 0) {
      return -1;
    }
    i = skipSpace(b, i);
    return i < b.length && b[i] == c ? skipSpace(b, i + 1) : -1;
  }

  /**
   * The index after the object or array that starts at {@code i}, found by counting brackets
   * outside strings; -1 if it does not close. The parser checks the text itself.
   */
  static int containerEnd(byte[] b, int i) {
    int depth = 0;
    for (int k = i; k < b.length; k++) {
      byte c = b[k];
      if (c == '"') {
        k = stringEnd(b, k);
        if (k < 0) {
          return -1;
        }
      } else if (c == '{' || c == '[') {
        depth++;
      } else if (c == '}' || c == ']') {
        if (--depth == 0) {
          return k + 1;
        }
      }
    }
    return -1;
  }

  /** The index of the quote closing the string that opens at {@code i}; -1 if none. */
  private static int stringEnd(byte[] b, int i) {
    for (int k = i + 1; k < b.length; k++) {
      if (b[k] == '\\') {
        k++;
      } else if (b[k] == '"') {
        return k;
      }
    }
    return -1;
  }
}

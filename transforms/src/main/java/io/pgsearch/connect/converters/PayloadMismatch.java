package io.pgsearch.connect.converters;

import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.kafka.connect.data.Schema;

/**
 * A JSON value that does not fit its schema. Carries what was expected and where (the path of field
 * names, built while the exception unwinds, so the happy path builds no strings); never the value
 * itself, which is row data.
 */
final class PayloadMismatch extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Deque<String> path = new ArrayDeque<>();
  private String schemaName;

  PayloadMismatch(String expected) {
    super(expected, null, false, false);
  }

  /** Adds the enclosing field (or array index, map key) to the path, outermost last. */
  PayloadMismatch inside(String segment) {
    path.addFirst(segment);
    return this;
  }

  /** Notes the name of the schema the payload was read with (schema names are not row data). */
  PayloadMismatch of(Schema schema) {
    schemaName = schema == null ? null : schema.name();
    return this;
  }

  String schemaName() {
    return schemaName;
  }

  /** Where: {@code after.price}, {@code items[2]}, or empty for the value itself. */
  String path() {
    StringBuilder out = new StringBuilder();
    for (String segment : path) {
      if (out.length() > 0 && !segment.startsWith("[")) {
        out.append('.');
      }
      out.append(segment);
    }
    return out.toString();
  }

  /** What was expected, e.g. {@code a number (float64)}. */
  String expected() {
    return getMessage();
  }
}

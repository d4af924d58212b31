package io.pgsearch.connect.converters;

import java.util.IdentityHashMap;
import java.util.Map;
import org.apache.kafka.connect.data.ConnectSchema;
import org.apache.kafka.connect.data.Schema;

/**
 * Pairs of distinct schema objects already found equal, so that a struct's schema is compared with
 * its field's schema member by member once, not for every record. Debezium puts in the envelope's
 * {@code source} field a struct whose schema is equal to that field's schema but another object;
 * {@link Schema#equals} then walks both, and in a snapshot that was about a tenth of the Connect
 * worker's CPU. Only built schemas ({@link ConnectSchema}) are remembered, as in {@link
 * EncodedSchemas}: a {@code SchemaBuilder} can still change. Bounded: cleared when full.
 */
final class EqualSchemas {
  private final int capacity;
  private final Map<Schema, Schema> equalTo = new IdentityHashMap<>();

  EqualSchemas(int capacity) {
    this.capacity = capacity;
  }

  /** {@code a.equals(b)}, answered from memory for a pair already compared. */
  boolean equal(Schema a, Schema b) {
    return a == b || equalOrRemembered(a, b);
  }

  private synchronized boolean equalOrRemembered(Schema a, Schema b) {
    if (b != null && equalTo.get(a) == b) {
      return true;
    }
    if (!a.equals(b)) {
      return false;
    }
    if (capacity > 0 && a instanceof ConnectSchema && b instanceof ConnectSchema) {
      if (equalTo.size() >= capacity) {
        equalTo.clear();
      }
      equalTo.put(a, b);
    }
    return true;
  }
}

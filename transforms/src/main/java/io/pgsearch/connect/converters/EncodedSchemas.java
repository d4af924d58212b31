package io.pgsearch.connect.converters;

import java.util.IdentityHashMap;
import java.util.Map;
import org.apache.kafka.connect.data.ConnectSchema;
import org.apache.kafka.connect.data.Schema;

/**
 * The write side's cache: a schema's envelope prefix ({@code {"schema":...,"payload":}) as bytes,
 * ready to copy. Looked up by identity first (a connector reuses its schema objects, and {@link
 * Schema#equals} and {@link Schema#hashCode} walk the whole schema), then by equality in a bounded
 * LRU map of {@code schemas.cache.size} entries.
 */
final class EncodedSchemas {
  private final int capacity;
  private final Map<Schema, byte[]> byIdentity = new IdentityHashMap<>();
  private final Map<Schema, byte[]> byEquality;

  EncodedSchemas(int capacity) {
    this.capacity = capacity;
    this.byEquality = LruMaps.of(capacity);
  }

  synchronized byte[] get(Schema schema) {
    byte[] encoded = byIdentity.get(schema);
    if (encoded != null) {
      return encoded;
    }
    encoded = byEquality.get(schema);
    if (encoded != null) {
      rememberIdentity(schema, encoded);
    }
    return encoded;
  }

  synchronized void put(Schema schema, byte[] encoded) {
    if (capacity == 0) {
      return;
    }
    byEquality.put(schema, encoded);
    rememberIdentity(schema, encoded);
  }

  /**
   * Bounded like the LRU map: cleared when full, it refills from the map by identity misses. A
   * {@code SchemaBuilder} can still change, so only built schemas are remembered by identity.
   */
  private void rememberIdentity(Schema schema, byte[] encoded) {
    if (!(schema instanceof ConnectSchema)) {
      return;
    }
    if (byIdentity.size() >= capacity) {
      byIdentity.clear();
    }
    byIdentity.put(schema, encoded);
  }
}

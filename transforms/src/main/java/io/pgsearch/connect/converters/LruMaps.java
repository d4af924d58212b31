package io.pgsearch.connect.converters;

import java.util.LinkedHashMap;
import java.util.Map;

/** The converter's caches are bounded like {@code JsonConverter}'s: least recently used out. */
final class LruMaps {
  private LruMaps() {}

  static <K, V> Map<K, V> of(int capacity) {
    return new LinkedHashMap<>(16, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > capacity;
      }
    };
  }
}

package io.pgsearch.connect.convergence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where an indexed document differs from the one rebuilt from PostgreSQL: the paths of the values
 * that differ ({@code customer.full_name}, {@code items[2].product.name}, {@code items} when an
 * array's length differs). Both sides are parsed from JSON text the same way, so equal values are
 * equal nodes. A top-level field the rebuilt document lacks is not compared (a transform may add
 * fields); a field indexed as absent equals null (Elasticsearch's view of a missing field).
 */
final class DocumentComparison {
  /** The most paths named per document. */
  static final int MAX_PATHS = 5;

  private DocumentComparison() {}

  /** The paths where {@code indexed} differs from {@code expected}; empty when they match. */
  static List<String> differences(JsonNode expected, JsonNode indexed) {
    List<String> paths = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> fields = expected.fields();
    while (fields.hasNext() && paths.size() < MAX_PATHS) {
      Map.Entry<String, JsonNode> field = fields.next();
      compare(field.getKey(), field.getValue(), indexed.get(field.getKey()), paths);
    }
    return paths;
  }

  private static void compare(String path, JsonNode expected, JsonNode indexed, List<String> out) {
    if (out.size() >= MAX_PATHS || same(expected, indexed)) {
      return;
    }
    if (expected.isObject() && indexed != null && indexed.isObject()) {
      Iterator<String> names = union(expected, indexed);
      while (names.hasNext()) {
        String name = names.next();
        compare(path + "." + name, nullToMissing(expected.get(name)), indexed.get(name), out);
      }
    } else if (expected.isArray()
        && indexed != null
        && indexed.isArray()
        && expected.size() == indexed.size()) {
      for (int i = 0; i < expected.size(); i++) {
        compare(path + "[" + i + "]", expected.get(i), indexed.get(i), out);
      }
    } else {
      out.add(path);
    }
  }

  private static boolean same(JsonNode expected, JsonNode indexed) {
    if (isNull(expected) || isNull(indexed)) {
      return isNull(expected) && isNull(indexed);
    }
    return expected.equals(indexed);
  }

  private static boolean isNull(JsonNode node) {
    return node == null || node.isNull() || node.isMissingNode();
  }

  private static JsonNode nullToMissing(JsonNode node) {
    return node == null ? MissingNode.getInstance() : node;
  }

  private static Iterator<String> union(JsonNode expected, JsonNode indexed) {
    Set<String> names = new LinkedHashSet<>();
    expected.fieldNames().forEachRemaining(names::add);
    indexed.fieldNames().forEachRemaining(names::add);
    return names.iterator();
  }
}

package io.pgsearch.connect.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A search document built from related tables, as the user defines it in {@code document.<name>}: a
 * root table (its primary key is the document {@code _id}) and, under {@code fields}, the tables
 * related to it through foreign keys, to any depth. Parsing checks only the shape; {@link
 * DocumentRelations} checks it against PostgreSQL's catalog.
 *
 * <pre>{@code
 * {"table": "public.orders", "exclude": ["note"], "filter": "status <> 'draft'",
 *  "fields": {
 *    "customer": {"table": "public.customers", "columns": ["id", "full_name"]},
 *    "items": {"table": "public.order_items", "nested": true,
 *              "fields": {"product": {"table": "public.products"}}}}}
 * }</pre>
 */
record DocumentDefinition(String name, Node root) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The keys a node may have; {@code filter} only at the root. */
  static final Set<String> NODE_KEYS =
      Set.of("table", "columns", "exclude", "rename", "fields", "nested", "foreign_key", "through");

  static final String ROOT_ONLY_KEY = "filter";

  /**
   * One table of the document: at the root the document itself, below it the value of a field
   * ({@code field}) of its parent's object.
   */
  record Node(
      String path,
      String field,
      TableName table,
      List<String> columns,
      List<String> exclude,
      Map<String, String> rename,
      String filter,
      boolean nested,
      String foreignKey,
      TableName through,
      List<Node> children) {

    /** Whether every column is taken (no {@code columns} list). */
    boolean allColumns() {
      return columns == null;
    }
  }

  /** A definition that cannot be read; {@code path} locates the part at fault. */
  static final class InvalidDefinition extends Exception {
    InvalidDefinition(String path, String message) {
      super(path.isEmpty() ? message : path + ": " + message);
    }
  }

  /** Parses the JSON of {@code document.<name>}. */
  static DocumentDefinition parse(String name, String json) throws InvalidDefinition {
    if (!name.matches("[a-z0-9][a-z0-9_\\-]*")) {
      throw new InvalidDefinition(
          "",
          "the document name '"
              + name
              + "' must be lowercase letters, digits, '_' or '-', not starting with '_' or '-'"
              + " (it names the topic and the index)");
    }
    JsonNode tree;
    try {
      tree = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new InvalidDefinition(
          "", "not valid JSON (" + e.getOriginalMessage() + ") at line " + line(e));
    }
    return new DocumentDefinition(name, node(tree, "", null, true));
  }

  private static String line(JsonProcessingException e) {
    return e.getLocation() == null ? "?" : String.valueOf(e.getLocation().getLineNr());
  }

  private static Node node(JsonNode json, String path, String field, boolean root)
      throws InvalidDefinition {
    if (json == null || !json.isObject()) {
      throw new InvalidDefinition(
          path, "must be a JSON object with at least \"table\", e.g. {\"table\": \"public.t\"}");
    }
    checkKeys(json, path, root);
    List<String> columns = strings(json, "columns", path);
    if (columns != null && columns.isEmpty()) {
      throw new InvalidDefinition(path(path, "columns"), "must name at least one column");
    }
    Map<String, String> rename = rename(json, path);
    List<Node> children = children(json, path);
    Node node =
        new Node(
            path,
            field,
            table(json, "table", path, true),
            columns,
            orEmpty(strings(json, "exclude", path)),
            rename,
            text(json, ROOT_ONLY_KEY, path),
            bool(json, "nested", path),
            text(json, "foreign_key", path),
            table(json, "through", path, false),
            children);
    checkNames(node);
    return node;
  }

  private static void checkKeys(JsonNode json, String path, boolean root) throws InvalidDefinition {
    for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
      String key = names.next();
      if (key.equals(ROOT_ONLY_KEY) && !root) {
        throw new InvalidDefinition(
            path,
            "\"filter\" is allowed on the root table only; a related row is in the document"
                + " whenever it is related");
      }
      if (!NODE_KEYS.contains(key) && !key.equals(ROOT_ONLY_KEY)) {
        throw new InvalidDefinition(
            path,
            "unknown key \""
                + key
                + "\"; valid keys: table, columns, exclude, rename, fields, nested, foreign_key,"
                + " through"
                + (root ? ", filter" : ""));
      }
    }
    if (root && (json.has("foreign_key") || json.has("through") || json.has("nested"))) {
      throw new InvalidDefinition(
          path, "the root table has no parent: foreign_key, through and nested belong to fields");
    }
  }

  /** Output names (renamed columns and fields) must be unique within one object. */
  private static void checkNames(Node node) throws InvalidDefinition {
    Set<String> fields = new LinkedHashSet<>();
    for (Node child : node.children()) {
      fields.add(child.field());
    }
    for (Map.Entry<String, String> rename : node.rename().entrySet()) {
      if (node.exclude().contains(rename.getKey())) {
        throw new InvalidDefinition(
            path(node.path(), "rename"),
            "column \"" + rename.getKey() + "\" is both excluded and renamed");
      }
      if (fields.contains(rename.getValue())) {
        throw new InvalidDefinition(
            path(node.path(), "rename"),
            "\"" + rename.getValue() + "\" is also the name of a field under \"fields\"");
      }
    }
    if (node.columns() != null && !node.exclude().isEmpty()) {
      throw new InvalidDefinition(
          node.path(), "give \"columns\" (the ones to keep) or \"exclude\", not both");
    }
  }

  private static List<Node> children(JsonNode json, String path) throws InvalidDefinition {
    JsonNode fields = json.get("fields");
    if (fields == null) {
      return List.of();
    }
    if (!fields.isObject()) {
      throw new InvalidDefinition(
          path(path, "fields"), "must be an object of field name to related table");
    }
    List<Node> children = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = fields.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      if (entry.getKey().isBlank()) {
        throw new InvalidDefinition(path(path, "fields"), "a field name is empty");
      }
      String childPath = path(path(path, "fields"), entry.getKey());
      children.add(node(entry.getValue(), childPath, entry.getKey(), false));
    }
    return List.copyOf(children);
  }

  private static TableName table(JsonNode json, String key, String path, boolean required)
      throws InvalidDefinition {
    String text = text(json, key, path);
    if (text == null) {
      if (required) {
        throw new InvalidDefinition(
            path, "\"" + key + "\" is required: the table as schema.table, e.g. \"public.orders\"");
      }
      return null;
    }
    TableName table = TableName.parse(text);
    if (table.schema() == null || table.schema().isEmpty() || table.table().isEmpty()) {
      throw new InvalidDefinition(
          path(path, key), "\"" + text + "\" must be schema.table, e.g. \"public.orders\"");
    }
    return table;
  }

  private static String text(JsonNode json, String key, String path) throws InvalidDefinition {
    JsonNode value = json.get(key);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual() || value.asText().isBlank()) {
      throw new InvalidDefinition(path(path, key), "must be a non-empty string");
    }
    return value.asText().strip();
  }

  private static boolean bool(JsonNode json, String key, String path) throws InvalidDefinition {
    JsonNode value = json.get(key);
    if (value == null || value.isNull()) {
      return false;
    }
    if (!value.isBoolean()) {
      throw new InvalidDefinition(path(path, key), "must be true or false");
    }
    return value.asBoolean();
  }

  private static List<String> strings(JsonNode json, String key, String path)
      throws InvalidDefinition {
    JsonNode value = json.get(key);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isArray()) {
      throw new InvalidDefinition(path(path, key), "must be an array of column names");
    }
    List<String> names = new ArrayList<>();
    for (JsonNode element : value) {
      if (!element.isTextual() || element.asText().isBlank()) {
        throw new InvalidDefinition(path(path, key), "must hold column names (strings) only");
      }
      names.add(element.asText());
    }
    return List.copyOf(names);
  }

  private static Map<String, String> rename(JsonNode json, String path) throws InvalidDefinition {
    JsonNode value = json.get("rename");
    if (value == null || value.isNull()) {
      return Map.of();
    }
    if (!value.isObject()) {
      throw new InvalidDefinition(
          path(path, "rename"), "must be an object of column to field name");
    }
    Map<String, String> rename = new LinkedHashMap<>();
    Set<String> targets = new LinkedHashSet<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      if (!entry.getValue().isTextual() || entry.getValue().asText().isBlank()) {
        throw new InvalidDefinition(
            path(path, "rename"), "the new name of \"" + entry.getKey() + "\" must be a string");
      }
      if (!targets.add(entry.getValue().asText())) {
        throw new InvalidDefinition(
            path(path, "rename"),
            "two columns are renamed to \"" + entry.getValue().asText() + "\"");
      }
      rename.put(entry.getKey(), entry.getValue().asText());
    }
    return Map.copyOf(rename);
  }

  private static List<String> orEmpty(List<String> list) {
    return list == null ? List.of() : list;
  }

  private static String path(String parent, String key) {
    return parent.isEmpty() ? key : parent + "." + key;
  }
}

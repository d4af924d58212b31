package io.pgsearch.connect.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.types.Password;

/**
 * Generates the Markdown configuration reference of a connector or transform from its {@link
 * ConfigDef}, so the docs cannot drift from the code. A module's {@code ConfigReferenceTest}
 * compares the committed file with the generated text and fails when they differ; run it with
 * {@code -Dpgsearch.docs.update=true} to rewrite the file.
 */
public final class ConfigReference {
  /**
   * System property that makes {@link #verify(Path, String)} rewrite the file instead of failing.
   */
  public static final String UPDATE_PROPERTY = "pgsearch.docs.update";

  private ConfigReference() {}

  /** One section: a heading, the overview, then a table per config group. */
  public static String markdown(String title, String overview, ConfigDef definition) {
    StringBuilder out = new StringBuilder();
    out.append("## ").append(title).append("\n\n");
    if (overview != null && !overview.isBlank()) {
      out.append(overview.strip()).append("\n\n");
    }
    Map<String, List<ConfigDef.ConfigKey>> groups = new LinkedHashMap<>();
    for (ConfigDef.ConfigKey key : definition.configKeys().values()) {
      groups.computeIfAbsent(key.group == null ? "" : key.group, g -> new ArrayList<>()).add(key);
    }
    for (Map.Entry<String, List<ConfigDef.ConfigKey>> group : groups.entrySet()) {
      if (!group.getKey().isEmpty()) {
        out.append("### ").append(group.getKey()).append("\n\n");
      }
      out.append("| key | type | default | valid values | importance | description |\n");
      out.append("| --- | --- | --- | --- | --- | --- |\n");
      group.getValue().stream()
          .sorted((a, b) -> Integer.compare(a.orderInGroup, b.orderInGroup))
          .forEach(key -> out.append(row(key)));
      out.append('\n');
    }
    return out.toString();
  }

  /**
   * The keys a user can set to an invalid value: those with a validator, and those whose type is
   * not free text (STRING or PASSWORD). A table-driven validation test covers at least these, so a
   * new key cannot slip through untested.
   */
  public static java.util.Set<String> validatedKeys(ConfigDef definition) {
    java.util.Set<String> keys = new java.util.TreeSet<>();
    for (ConfigDef.ConfigKey key : definition.configKeys().values()) {
      if (key.validator != null
          || (key.type != ConfigDef.Type.STRING && key.type != ConfigDef.Type.PASSWORD)) {
        keys.add(key.name);
      }
    }
    return keys;
  }

  /** The keys whose documentation is missing or blank. */
  public static List<String> undocumentedKeys(ConfigDef definition) {
    List<String> missing = new ArrayList<>();
    for (ConfigDef.ConfigKey key : definition.configKeys().values()) {
      if (key.documentation == null || key.documentation.isBlank()) {
        missing.add(key.name);
      }
    }
    return missing;
  }

  /**
   * Fails unless {@code file} holds exactly {@code expected}; with {@value #UPDATE_PROPERTY} set,
   * writes it instead.
   */
  public static void verify(Path file, String expected) {
    try {
      if (Boolean.getBoolean(UPDATE_PROPERTY)) {
        Files.createDirectories(file.getParent());
        Files.writeString(file, expected, StandardCharsets.UTF_8);
        return;
      }
      String actual =
          Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
      if (!actual.equals(expected)) {
        throw new AssertionError(
            file
                + " is not the reference generated from the ConfigDef: regenerate it with -D"
                + UPDATE_PROPERTY
                + "=true and commit it");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String row(ConfigDef.ConfigKey key) {
    return "| `"
        + key.name
        + "` | "
        + key.type.name().toLowerCase(java.util.Locale.ROOT)
        + " | "
        + defaultValue(key)
        + " | "
        + cell(key.validator == null ? "" : key.validator.toString())
        + " | "
        + key.importance.name().toLowerCase(java.util.Locale.ROOT)
        + " | "
        + cell(key.documentation)
        + " |\n";
  }

  private static String defaultValue(ConfigDef.ConfigKey key) {
    if (!key.hasDefault()) {
      return "(required)";
    }
    Object value = key.defaultValue;
    if (value == null) {
      return "null";
    }
    if (value instanceof Password) {
      return "(hidden)";
    }
    String text =
        value instanceof List<?> list
            ? String.join(",", list.stream().map(String::valueOf).toList())
            : value.toString();
    return text.isEmpty() ? "\"\"" : "`" + cell(text) + "`";
  }

  private static String cell(String text) {
    return text == null ? "" : text.replace("|", "\\|").replace("\n", " ").strip();
  }
}

package io.pgsearch.connect.source;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Debezium's {@code message.key.columns}: {@code schema.table:col1,col2;schema.table2:col}, where
 * the table part is a regular expression matched against {@code schema.table}, as Debezium does.
 */
final class KeyColumns {
  private record Entry(Pattern table, List<String> columns) {}

  private final List<Entry> entries;

  private KeyColumns(List<Entry> entries) {
    this.entries = entries;
  }

  static KeyColumns none() {
    return new KeyColumns(List.of());
  }

  /**
   * Parses the value; throws {@link IllegalArgumentException} with a message saying what is valid.
   */
  static KeyColumns parse(String value) {
    if (value == null || value.isBlank()) {
      return none();
    }
    List<Entry> entries = new ArrayList<>();
    for (String part : value.split(";")) {
      if (part.isBlank()) {
        continue;
      }
      int colon = part.lastIndexOf(':');
      if (colon <= 0 || colon == part.length() - 1) {
        throw new IllegalArgumentException(
            "'"
                + part.strip()
                + "' is not of the form schema.table:column1,column2 (entries separated by ;)");
      }
      Pattern table;
      try {
        table = Pattern.compile(part.substring(0, colon).strip());
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException(
            "'" + part.substring(0, colon).strip() + "' is not a valid table regular expression");
      }
      List<String> columns =
          List.of(part.substring(colon + 1).split(",")).stream().map(String::strip).toList();
      if (columns.stream().anyMatch(String::isEmpty)) {
        throw new IllegalArgumentException("'" + part.strip() + "' has an empty column name");
      }
      entries.add(new Entry(table, columns));
    }
    return new KeyColumns(entries);
  }

  /** The key columns configured for the table, if any. */
  Optional<List<String>> forTable(TableName table) {
    String name = table.toString();
    return entries.stream()
        .filter(entry -> entry.table().matcher(name).matches())
        .map(Entry::columns)
        .findFirst();
  }
}

package io.pgsearch.connect.source;

import io.debezium.connector.AbstractSourceInfo;
import io.debezium.data.Envelope;
import java.util.Locale;
import java.util.Optional;
import org.apache.kafka.connect.data.Struct;

/** A table as PostgreSQL's catalog spells it: schema and name, case-sensitive, unquoted. */
record TableName(String schema, String table) implements Comparable<TableName> {

  /** Parses {@code schema.table}; a name without a dot has a null schema (any configured one). */
  static TableName parse(String text) {
    String trimmed = text.strip();
    int dot = trimmed.indexOf('.');
    if (dot < 0) {
      return new TableName(null, trimmed);
    }
    return new TableName(trimmed.substring(0, dot), trimmed.substring(dot + 1));
  }

  /** {@code "schema"."table"}, safe to splice into SQL. */
  String quoted() {
    return quote(schema) + "." + quote(table);
  }

  /** A SQL string literal of {@code schema.table}, e.g. for {@code regclass} casts. */
  String literal() {
    return "'" + quoted().replace("'", "''") + "'";
  }

  /** A Debezium table include pattern that matches exactly this table. */
  String includePattern() {
    return escapeRegex(schema) + "\\." + escapeRegex(table);
  }

  static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  private static String escapeRegex(String text) {
    StringBuilder out = new StringBuilder();
    for (char c : text.toCharArray()) {
      if ("\\^$.|?*+()[]{}".indexOf(c) >= 0) {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }

  /** The table a Debezium change event comes from, by its source block; empty without one. */
  static Optional<TableName> ofChangeEvent(Struct envelope) {
    if (envelope == null
        || envelope.schema().field(Envelope.FieldName.SOURCE) == null
        || !(envelope.getWithoutDefault(Envelope.FieldName.SOURCE) instanceof Struct source)) {
      return Optional.empty();
    }
    return Optional.of(
        new TableName(
            source.getString(AbstractSourceInfo.SCHEMA_NAME_KEY),
            source.getString(AbstractSourceInfo.TABLE_NAME_KEY)));
  }

  /** Lower-case letters, digits and underscores only: valid for slot names and identifiers. */
  static String sanitize(String text) {
    return text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
  }

  @Override
  public int compareTo(TableName other) {
    return toString().compareTo(other.toString());
  }

  @Override
  public String toString() {
    return schema == null ? table : schema + "." + table;
  }
}

package io.pgsearch.connect.convergence;

import java.util.List;
import java.util.Objects;

/**
 * What to compare: a table with the index its documents go to.
 *
 * @param table the table, as SQL names it ({@code public.products}); unquoted names are folded to
 *     lower case as PostgreSQL does
 * @param index the Elasticsearch index (or alias)
 * @param where a SQL condition on the table's rows: only those rows are expected in the index (the
 *     source connector's row filter); null for all rows
 * @param keyColumns the columns the document id is made of, in the record key's order; empty for
 *     the primary key
 * @param columns the columns compared with document fields; empty for all (exclude those a
 *     transform drops or renames)
 * @param examples how many examples of each kind of difference the report names
 */
public record TableCheck(
    String table,
    String index,
    String where,
    List<String> keyColumns,
    List<String> columns,
    int examples) {
  public static final int DEFAULT_EXAMPLES = 10;

  public TableCheck {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(index, "index");
    keyColumns = List.copyOf(keyColumns);
    columns = List.copyOf(columns);
    if (examples < 0) {
      throw new IllegalArgumentException("examples must be 0 or more, not " + examples);
    }
  }

  /** All rows and columns of a table, against an index, keyed by the primary key. */
  public static TableCheck of(String table, String index) {
    return new TableCheck(table, index, null, List.of(), List.of(), DEFAULT_EXAMPLES);
  }

  public TableCheck where(String condition) {
    return new TableCheck(table, index, condition, keyColumns, columns, examples);
  }

  public TableCheck keyColumns(List<String> names) {
    return new TableCheck(table, index, where, names, columns, examples);
  }

  public TableCheck columns(List<String> names) {
    return new TableCheck(table, index, where, keyColumns, names, examples);
  }

  public TableCheck examples(int count) {
    return new TableCheck(table, index, where, keyColumns, columns, count);
  }
}

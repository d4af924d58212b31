package io.pgsearch.connect.convergence;

import java.util.List;

/**
 * What a check found: how many rows and documents were compared, and the documents that differ,
 * with counts and the first examples of each kind.
 *
 * @param missing rows without a document (first examples: document ids)
 * @param extra documents without a row (first examples: document ids)
 * @param stale documents whose fields differ from the row (first examples: id and fields)
 */
public record ConvergenceReport(
    String table,
    String index,
    long rows,
    long documents,
    long missingCount,
    List<String> missing,
    long extraCount,
    List<String> extra,
    long staleCount,
    List<Stale> stale) {

  /** A document that differs from its row: its id and the fields that differ. */
  public record Stale(String id, List<String> fields) {
    @Override
    public String toString() {
      return id + " " + fields;
    }
  }

  /** True when the index holds exactly the rows, field for field. */
  public boolean converged() {
    return missingCount == 0 && extraCount == 0 && staleCount == 0;
  }

  /** The report as a person reads it; names ids and fields, never values. */
  public String format() {
    StringBuilder text = new StringBuilder();
    text.append(table)
        .append(" -> ")
        .append(index)
        .append(": ")
        .append(rows)
        .append(" rows, ")
        .append(documents)
        .append(" documents: ")
        .append(converged() ? "CONVERGED" : "DIFFERENT")
        .append('\n');
    line(text, "missing (row without document)", missingCount, missing);
    line(text, "extra (document without row)", extraCount, extra);
    line(text, "stale (fields differ)", staleCount, stale);
    return text.toString();
  }

  private static void line(StringBuilder text, String what, long count, List<?> examples) {
    text.append("  ").append(what).append(": ").append(count);
    if (!examples.isEmpty()) {
      text.append(count > examples.size() ? ", first " + examples.size() : "")
          .append(": ")
          .append(examples);
    }
    text.append('\n');
  }

  @Override
  public String toString() {
    return format();
  }
}

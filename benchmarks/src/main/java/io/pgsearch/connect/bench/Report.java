package io.pgsearch.connect.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The results of a run, rendered as a console table, a Markdown section and JSON.
 *
 * @param date when the run started, as ISO-8601 text
 * @param machine cores, RAM, OS, JDK
 * @param versions the components measured
 * @param settings every setting the run used
 * @param measurements the figures, in report order
 */
public record Report(
    String date,
    Map<String, String> machine,
    Map<String, String> versions,
    Map<String, String> settings,
    List<Measurement> measurements) {

  /** Where the generated part of {@code docs/benchmarks.md} starts; text outside is kept. */
  static final String BEGIN = "<!-- bench:results:begin (written by ./bench.sh) -->";

  static final String END = "<!-- bench:results:end -->";

  private static final String[] HEADER = {"measurement", "result", "ratio", "target", "status"};

  /** The table for the console: aligned columns, one row per measurement. */
  public String consoleTable() {
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADER);
    for (Measurement m : measurements) {
      rows.add(row(m));
    }
    int[] widths = new int[HEADER.length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].codePointCount(0, row[i].length()));
      }
    }
    StringBuilder out = new StringBuilder();
    for (int r = 0; r < rows.size(); r++) {
      String[] row = rows.get(r);
      for (int i = 0; i < row.length; i++) {
        out.append(i == 0 ? "" : "  ").append(pad(row[i], widths[i], i == 1 || i == 2));
      }
      out.append('\n');
      if (r == 0) {
        for (int i = 0; i < widths.length; i++) {
          out.append(i == 0 ? "" : "  ").append("-".repeat(widths[i]));
        }
        out.append('\n');
      }
    }
    return out.toString().replaceAll(" +\n", "\n");
  }

  /** The generated section of docs/benchmarks.md, between its markers. */
  public String markdownSection() {
    StringBuilder md = new StringBuilder();
    md.append(BEGIN).append("\n\n");
    md.append("Run of ").append(date).append(".\n\n");
    md.append("| measurement | result | ratio | target | status | how |\n");
    md.append("| --- | ---: | ---: | --- | --- | --- |\n");
    for (Measurement m : measurements) {
      String[] cells = row(m);
      md.append("| ");
      for (String cell : cells) {
        md.append(escape(cell)).append(" | ");
      }
      md.append(escape(m.note())).append(" |\n");
    }
    section(md, "Machine", machine);
    section(md, "Components", versions);
    section(md, "Settings", settings);
    md.append('\n').append(END).append('\n');
    return md.toString();
  }

  /**
   * The document with its generated section replaced by this report's; a document without the
   * markers gets the section appended.
   */
  public String mergeInto(String document) {
    int begin = document.indexOf(BEGIN);
    int end = document.indexOf(END);
    if (begin < 0 || end < begin) {
      String separator = document.isEmpty() || document.endsWith("\n\n") ? "" : "\n";
      return document + separator + markdownSection();
    }
    return document.substring(0, begin)
        + markdownSection()
        + document.substring(end + END.length()).replaceFirst("^\n", "");
  }

  /** The whole report as JSON. */
  public String json() {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = mapper.createObjectNode();
    root.put("date", date);
    root.set("machine", mapper.valueToTree(machine));
    root.set("versions", mapper.valueToTree(versions));
    root.set("settings", mapper.valueToTree(settings));
    ArrayNode results = root.putArray("measurements");
    for (Measurement m : measurements) {
      ObjectNode node = results.addObject();
      node.put("key", m.key());
      node.put("name", m.name());
      if (Double.isNaN(m.value())) {
        node.putNull("value");
      } else {
        node.put("value", m.value());
      }
      node.put("unit", m.unit());
      if (m.ratio() == null) {
        node.putNull("ratio");
      } else {
        node.put("ratio", m.ratio());
      }
      node.put("target", m.target() == null ? null : m.target().text());
      node.put("status", m.status().isEmpty() ? null : m.status());
      node.put("note", m.note());
    }
    try {
      return mapper.writeValueAsString(root) + "\n";
    } catch (Exception e) {
      throw new IllegalStateException("Rendering the report as JSON", e);
    }
  }

  private static String[] row(Measurement m) {
    return new String[] {
      m.name(),
      format(m.value()) + " " + m.unit(),
      m.ratio() == null ? "" : String.format(Locale.ROOT, "%.2f", m.ratio()),
      m.target() == null ? "" : m.target().text(),
      m.status()
    };
  }

  static String format(double value) {
    if (Double.isNaN(value)) {
      return "n/a";
    }
    if (Math.abs(value) >= 100 || value == Math.rint(value)) {
      return String.format(Locale.ROOT, "%,.0f", value);
    }
    return String.format(Locale.ROOT, "%,.2f", value);
  }

  private static void section(StringBuilder md, String title, Map<String, String> entries) {
    md.append("\n**").append(title).append("**\n\n| | |\n| --- | --- |\n");
    entries.forEach(
        (k, v) -> md.append("| ").append(escape(k)).append(" | ").append(escape(v)).append(" |\n"));
  }

  private static String escape(String cell) {
    return cell.replace("|", "\\|").replace("\n", " ");
  }

  private static String pad(String text, int width, boolean right) {
    String spaces = " ".repeat(width - text.codePointCount(0, text.length()));
    return right ? spaces + text : text + spaces;
  }
}

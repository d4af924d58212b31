package io.pgsearch.connect.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTest {
  static Report report() {
    Map<String, String> machine = new LinkedHashMap<>();
    machine.put("cores", "2");
    return new Report(
        "2026-11-22T05:00:00Z",
        machine,
        Map.of("Elasticsearch", "8.19.21"),
        Map.of("events", "200,000"),
        List.of(
            new Measurement("baseline", "1. baseline", 20_000, "docs/s", null, null, "raw"),
            Measurement.rate(
                "sink", "2. sink", 18_500.4, "docs/s", 20_000, Target.ratioAtLeast(0.9), "a|b"),
            Measurement.rate(
                "snapshot", "3. snapshot", 9_000, "rows/s", 20_000, Target.ratioAtLeast(0.7), ""),
            new Measurement(
                "freshness.p99", "5. p99", 1_499, "ms", null, Target.valueAtMost(1500, "ms"), ""),
            new Measurement("heap", "6. heap", 512, "MB", null, Target.valueBelow(512, "MB"), ""),
            new Measurement(
                "broken", "x", Double.NaN, "ms", null, Target.valueAtMost(1, "ms"), "")));
  }

  @Test
  void statusComesFromTheTarget() {
    List<Measurement> m = report().measurements();
    assertThat(m.get(0).status()).isEmpty();
    assertThat(m.get(1).ratio()).isCloseTo(0.92502, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(m.get(1).status()).isEqualTo("PASS");
    assertThat(m.get(2).status()).isEqualTo("MISS"); // 0.45 < 0.7
    assertThat(m.get(3).status()).isEqualTo("PASS"); // at most 1500
    assertThat(m.get(4).status()).isEqualTo("MISS"); // 512 is not below 512
    assertThat(m.get(5).status()).as("a missing figure never passes").isEqualTo("MISS");
  }

  @Test
  void ratioNeedsABaseline() {
    assertThat(Measurement.rate("k", "n", 5, "u", 0, null, "").ratio()).isNull();
    assertThat(Measurement.rate("k", "n", Double.NaN, "u", 10, null, "").ratio()).isNull();
  }

  @Test
  void consoleTableAlignsColumns() {
    String table = report().consoleTable();
    List<String> lines = table.lines().toList();
    assertThat(lines.get(0)).startsWith("measurement").contains("result").contains("status");
    assertThat(lines.get(1)).matches("-+( +-+)+");
    assertThat(lines.get(3)).contains("18,500 docs/s").contains("0.93").endsWith("PASS");
    assertThat(lines.get(4)).contains("0.45").endsWith("MISS");
    assertThat(lines.get(7)).contains("n/a ms");
    // right-aligned results end in the same column
    int end = lines.get(2).indexOf("docs/s");
    assertThat(lines.get(3).indexOf("docs/s")).isEqualTo(end);
    assertThat(table).doesNotContain(" \n");
  }

  @Test
  void markdownHasEveryFigureAndEscapesPipes() {
    String md = report().markdownSection();
    assertThat(md).startsWith(Report.BEGIN).endsWith(Report.END + "\n");
    assertThat(md)
        .contains("| 2. sink | 18,500 docs/s | 0.93 | ≥ 0.90 × baseline | PASS | a\\|b |");
    assertThat(md).contains("| 5. p99 | 1,499 ms |  | ≤ 1,500 ms | PASS |  |");
    assertThat(md).contains("**Machine**").contains("| cores | 2 |");
    assertThat(md).contains("| Elasticsearch | 8.19.21 |").contains("| events | 200,000 |");
  }

  @Test
  void mergeReplacesOnlyTheGeneratedSection() {
    Report report = report();
    String doc =
        "# Benchmarks\n\nintro\n\n" + Report.BEGIN + "\nold\n" + Report.END + "\n\n## Tried\n";
    String merged = report.mergeInto(doc);
    assertThat(merged).startsWith("# Benchmarks\n\nintro\n\n" + Report.BEGIN);
    assertThat(merged).doesNotContain("\nold\n").endsWith(Report.END + "\n\n## Tried\n");
    assertThat(report.mergeInto(merged)).isEqualTo(merged);
    assertThat(report.mergeInto("# B\n")).isEqualTo("# B\n\n" + report.markdownSection());
  }

  @Test
  void jsonHasNullsForMissingFigures() throws Exception {
    var json = Search.JSON.readTree(report().json());
    assertThat(json.path("measurements")).hasSize(6);
    assertThat(json.path("measurements").get(1).path("ratio").asDouble()).isBetween(0.92, 0.93);
    assertThat(json.path("measurements").get(1).path("status").asText()).isEqualTo("PASS");
    assertThat(json.path("measurements").get(0).path("status").isNull()).isTrue();
    assertThat(json.path("measurements").get(5).path("value").isNull()).isTrue();
    assertThat(json.path("machine").path("cores").asText()).isEqualTo("2");
  }
}

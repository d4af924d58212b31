package io.pgsearch.connect.convergence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckConvergenceTest {
  @Test
  void argumentsBecomeATableCheck() {
    TableCheck check =
        CheckConvergence.tableCheck(
            CheckConvergence.parse(
                new String[] {
                  "--jdbc-url", "jdbc:postgresql://h/db",
                  "--table", "public.products",
                  "--es-url", "http://h:9200",
                  "--where", "in_stock",
                  "--key-columns", "order_id, line_no",
                  "--examples", "3"
                }));
    assertThat(check.index()).isEqualTo("products");
    assertThat(check.where()).isEqualTo("in_stock");
    assertThat(check.keyColumns()).containsExactly("order_id", "line_no");
    assertThat(check.columns()).isEmpty();
    assertThat(check.examples()).isEqualTo(3);
  }

  @Test
  void badArgumentsExitTwoNamingTheArgument() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        CheckConvergence.run(
            new String[] {"--table", "t", "--es-url", "http://h"},
            new PrintStream(new ByteArrayOutputStream()),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(status).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--jdbc-url is required");
    assertThatThrownBy(() -> CheckConvergence.parse(new String[] {"--tabel", "t"}))
        .hasMessageContaining("unknown argument --tabel");
    assertThatThrownBy(() -> CheckConvergence.parse(new String[] {"--table"}))
        .hasMessageContaining("--table needs a value");
  }

  @Test
  void argumentsBecomeADocumentCheck(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path config = dir.resolve("pg-source.json");
    java.nio.file.Files.writeString(
        config,
        "{\"config\": {\"database.hostname\": \"{{PG_HOST}}\", \"topic.prefix\": \"shop\"}}");
    DocumentCheck check =
        CheckConvergence.documentCheck(
            CheckConvergence.parse(
                new String[] {
                  "--jdbc-url", "jdbc:postgresql://pg:6543/shop",
                  "--jdbc-user", "reader",
                  "--document", "order_documents",
                  "--source-config", config.toString(),
                  "--es-url", "http://h:9200",
                  "--examples", "2"
                }));
    assertThat(check.document()).isEqualTo("order_documents");
    assertThat(check.index()).isEqualTo("order_documents");
    assertThat(check.examples()).isEqualTo(2);
    assertThat(check.sourceConfig())
        .containsEntry("database.hostname", "pg")
        .containsEntry("database.port", "6543")
        .containsEntry("database.dbname", "shop")
        .containsEntry("database.user", "reader")
        .containsEntry("topic.prefix", "shop");
  }

  @Test
  void aDocumentCheckRefusesTableOptions() {
    String[] both = {
      "--jdbc-url", "jdbc:postgresql://h/db",
      "--table", "public.orders",
      "--document", "order_documents",
      "--source-config", "pg-source.json",
      "--es-url", "http://h:9200"
    };
    assertThatThrownBy(() -> CheckConvergence.documentCheck(CheckConvergence.parse(both)))
        .hasMessageContaining("give --table or --document, not both");
    String[] where = {
      "--jdbc-url", "jdbc:postgresql://h/db",
      "--document", "order_documents",
      "--source-config", "pg-source.json",
      "--es-url", "http://h:9200",
      "--where", "id > 1"
    };
    assertThatThrownBy(() -> CheckConvergence.documentCheck(CheckConvergence.parse(where)))
        .hasMessageContaining("--where is for --table");
    String[] noConfig = {
      "--jdbc-url", "jdbc:postgresql://h/db", "--document", "d", "--es-url", "http://h:9200"
    };
    assertThatThrownBy(() -> CheckConvergence.documentCheck(CheckConvergence.parse(noConfig)))
        .hasMessageContaining("--source-config is required");
  }

  @Test
  void reportNamesCountsAndFirstExamples() {
    ConvergenceReport report =
        new ConvergenceReport(
            "public.t",
            "t",
            5,
            5,
            2,
            List.of("1"),
            0,
            List.of(),
            1,
            List.of(new ConvergenceReport.Stale("3|x", List.of("price"))));
    assertThat(report.converged()).isFalse();
    assertThat(report.format())
        .contains("DIFFERENT")
        .contains("missing (row without document): 2, first 1: [1]")
        .contains("extra (document without row): 0\n")
        .contains("stale (fields differ): 1: [3|x [price]]");
  }
}

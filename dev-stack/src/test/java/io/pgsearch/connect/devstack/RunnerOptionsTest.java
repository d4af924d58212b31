package io.pgsearch.connect.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.BindException;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class RunnerOptionsTest {

  @Test
  void defaultsAreElasticsearch8AndPostgres17InTargetOfTheRoot() {
    RunnerOptions options = RunnerOptions.parse("--root", "/repo");
    assertThat(options.root()).isEqualTo(Path.of("/repo"));
    assertThat(options.workDir()).isEqualTo(Path.of("/repo/target/dev-stack-run"));
    assertThat(options.search()).isEqualTo(SearchDistribution.ELASTICSEARCH_8);
    assertThat(options.postgresMajor()).isEqualTo(17);
  }

  @Test
  void everyOptionIsRead() {
    RunnerOptions options =
        RunnerOptions.parse(
            "--es", "9", "--pg", "16", "--workdir", "/tmp/stack/../s", "--root", "/r");
    assertThat(options.search()).isEqualTo(SearchDistribution.ELASTICSEARCH_9);
    assertThat(options.postgresMajor()).isEqualTo(16);
    assertThat(options.workDir()).isEqualTo(Path.of("/tmp/s"));
  }

  @Test
  void anUnsupportedVersionNamesTheOptionAndTheValidValues() {
    assertThatThrownBy(() -> RunnerOptions.parse("--es", "7"))
        .isInstanceOf(RunnerOptions.UsageException.class)
        .hasMessage("--es 7 is not supported: use 8 or 9");
    assertThatThrownBy(() -> RunnerOptions.parse("--pg", "15"))
        .hasMessage("--pg 15 is not supported: use 16 or 17");
  }

  @Test
  void searchNamesAnyOfTheFourServers() {
    assertThat(RunnerOptions.parse("--search", "OpenSearch-2").search())
        .isEqualTo(SearchDistribution.OPENSEARCH_2);
    assertThat(RunnerOptions.parse("--search", "opensearch-3").search())
        .isEqualTo(SearchDistribution.OPENSEARCH_3);
    assertThat(RunnerOptions.parse("--search", "elasticsearch-9").search())
        .isEqualTo(SearchDistribution.ELASTICSEARCH_9);
    assertThatThrownBy(() -> RunnerOptions.parse("--search", "solr"))
        .isInstanceOf(RunnerOptions.UsageException.class)
        .hasMessage(
            "--search 'solr' is not a search server dev-stack starts: use one of elasticsearch-8,"
                + " elasticsearch-9, opensearch-2, opensearch-3");
  }

  @Test
  void aMissingValueOrAnUnknownOptionIsNamed() {
    assertThatThrownBy(() -> RunnerOptions.parse("--workdir"))
        .hasMessage("--workdir needs a value");
    assertThatThrownBy(() -> RunnerOptions.parse("--es", "--pg", "16"))
        .hasMessage("--es needs a value");
    assertThatThrownBy(() -> RunnerOptions.parse("--elastic", "9"))
        .hasMessageStartingWith("unknown option '--elastic': use --search SERVER (or --es 8|9)");
  }

  @Test
  void aPortTakenIsExplainedInOneLineWhereverItIsInTheCauses() {
    Exception failure =
        new CompletionException(
            new IllegalStateException(
                "Elasticsearch exited while starting:\nline 1\nline 2",
                new BindException("Address already in use")));
    String line = RunFailure.explain(failure);
    assertThat(line).startsWith("A port the stack chose is already taken").doesNotContain("\n");
    assertThat(
            RunFailure.explain(
                new IllegalStateException("Kafka: could not bind: Address already in use")))
        .startsWith("A port the stack chose is already taken");
  }

  @Test
  void clearFailuresAreShownAsTheyAre() {
    assertThat(RunFailure.explain(new CompletionException(new RunFailure("x.zip is missing"))))
        .isEqualTo("x.zip is missing");
    assertThat(RunFailure.explain(new RunnerOptions.UsageException("--es needs a value")))
        .isEqualTo("--es needs a value");
  }

  @Test
  void otherFailuresGiveTheirFirstLineAndTheRootCause() {
    Exception failure =
        new IllegalStateException(
            "Creating database shop\nmore", new java.sql.SQLException("permission denied"));
    assertThat(RunFailure.explain(failure))
        .isEqualTo("Creating database shop (SQLException: permission denied)");
  }
}

package io.pgsearch.connect.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {
  @Test
  void defaultsFinishInMinutes() {
    BenchOptions options = BenchOptions.parse("--root", "/repo");
    assertThat(options.events()).isEqualTo(200_000);
    assertThat(options.rows()).isEqualTo(200_000);
    assertThat(options.seconds()).isEqualTo(60);
    assertThat(options.rate()).isEqualTo(1_000);
    assertThat(options.orders()).isEqualTo(100_000);
    assertThat(options.stages())
        .containsExactlyInAnyOrder("sink", "snapshot", "streaming", "freshness", "documents");
    assertThat(options.elasticsearchMajor()).isEqualTo(8);
    assertThat(options.workerHeapMb()).isEqualTo(512);
    assertThat(options.elasticsearchCores())
        .isEqualTo(Runtime.getRuntime().availableProcessors() / 2);
    assertThat(BenchOptions.parse("--es-cores", "0").elasticsearchCores()).isZero();
    assertThat(options.output()).isEqualTo(Path.of("/repo/docs/benchmarks.md"));
    assertThat(options.workDir()).isEqualTo(Path.of("/repo/target/bench-run"));
  }

  @Test
  void hugeIsTheSnapshotOfTenMillionRowsAloneIntoItsOwnReport() {
    BenchOptions huge = BenchOptions.parse("--huge");
    assertThat(huge.rows()).isEqualTo(10_000_000);
    assertThat(huge.stages()).containsExactly("snapshot");
    assertThat(huge.exporter()).isFalse();
    assertThat(huge.output().toString()).endsWith("docs/benchmarks-huge.md");
    assertThat(huge.sourceOverrides())
        .containsEntry("topic.creation.default.retention.bytes", "4294967296");
    BenchOptions kept =
        BenchOptions.parse(
            "--huge",
            "--source",
            "topic.creation.default.retention.bytes=1",
            "--output",
            "/tmp/h.md");
    assertThat(kept.sourceOverrides()).containsEntry("topic.creation.default.retention.bytes", "1");
    assertThat(kept.output().toString()).isEqualTo("/tmp/h.md");
    assertThat(BenchOptions.parse().exporter()).isTrue();
  }

  @Test
  void largeAndExplicitSizes() {
    BenchOptions large = BenchOptions.parse("--large", "--rows", "300,000", "--es", "9");
    assertThat(large.events()).isEqualTo(1_000_000);
    assertThat(large.rows()).isEqualTo(300_000);
    assertThat(large.elasticsearchMajor()).isEqualTo(9);
    BenchOptions small = BenchOptions.parse("--events", "5_000", "--seconds", "10", "--rate", "50");
    assertThat(small.events()).isEqualTo(5_000);
    assertThat(small.seconds()).isEqualTo(10);
    assertThat(small.rate()).isEqualTo(50);
    BenchOptions documents = BenchOptions.parse("--only", "documents", "--orders", "20,000");
    assertThat(documents.stages()).containsExactly("documents");
    assertThat(documents.orders()).isEqualTo(20_000);
    assertThat(large.orders()).isEqualTo(100_000);
  }

  @Test
  void badInputNamesTheFlag() {
    assertThatThrownBy(() -> BenchOptions.parse("--es", "7"))
        .hasMessageStartingWith("--es must be 8 or 9, not 7");
    assertThatThrownBy(() -> BenchOptions.parse("--events"))
        .hasMessageStartingWith("--events needs a value");
    assertThatThrownBy(() -> BenchOptions.parse("--rate", "fast"))
        .hasMessageStartingWith("--rate needs a whole number, not 'fast'");
    assertThatThrownBy(() -> BenchOptions.parse("--seconds", "1"))
        .hasMessageStartingWith("--seconds must be at least 5, not 1");
    int cores = Runtime.getRuntime().availableProcessors();
    assertThatThrownBy(() -> BenchOptions.parse("--es-cores", "" + cores))
        .hasMessageStartingWith("--es-cores must leave a core for the rest");
    assertThatThrownBy(() -> BenchOptions.parse("--fast"))
        .hasMessageStartingWith("Unknown option --fast")
        .hasMessageContaining("Usage: ./bench.sh");
  }
}

package io.pgsearch.connect.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcessCpuTest {
  /** A {@code /proc/<pid>/stat} line whose command holds spaces and a parenthesis. */
  private static final String STAT =
      "4242 (java (main) x) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 30 20 20 0 40 0 12345";

  @Test
  void userAndSystemTimeAndThoseOfReapedChildren() {
    assertThat(ProcessCpu.ticks(STAT, false)).isEqualTo(300);
    assertThat(ProcessCpu.ticks(STAT, true)).isEqualTo(350);
  }

  @Test
  void millisecondsPerThousandDocumentsBetweenSamples() {
    Map<String, Double> per =
        ProcessCpu.perThousand(
            Map.of("Elasticsearch", 1_000.0, "Connect worker", 500.0),
            Map.of("Elasticsearch", 9_000.0, "Connect worker", 4_500.0),
            200_000);

    assertThat(per.get("Elasticsearch")).isCloseTo(40.0, within(1e-9));
    assertThat(per.get("Connect worker")).isCloseTo(20.0, within(1e-9));
  }

  @Test
  void coresBusyAreCpuTimeOverTheTimeBetweenSamples() {
    Map<String, Double> busy =
        ProcessCpu.coresBusy(
            new ProcessCpu.Sample(10_000, Map.of("Elasticsearch", 1_000.0, "Connect worker", 0.0)),
            new ProcessCpu.Sample(
                12_000, Map.of("Elasticsearch", 2_960.0, "Connect worker", 1_100.0)));

    assertThat(busy.get("Elasticsearch")).isCloseTo(0.98, within(1e-9));
    assertThat(busy.get("Connect worker")).isCloseTo(0.55, within(1e-9));
  }

  @Test
  void thisJvmUsesCpu() throws InterruptedException {
    ProcessCpu cpu = new ProcessCpu().add("self", () -> java.util.List.of(ProcessHandle.current()));
    ProcessCpu.Sample first = cpu.sample();
    Thread.sleep(20);
    ProcessCpu.Sample second = cpu.sample();
    assertThat(first.cpuMillis().get("self")).isPositive();
    assertThat(second.wallMillis()).isGreaterThan(first.wallMillis());
  }

  @Test
  void aComponentReadElsewhereIsSampledInItsPlace() {
    double[] collected = {120.0};
    ProcessCpu cpu =
        new ProcessCpu()
            .add("self", () -> java.util.List.of(ProcessHandle.current()))
            .addMillis("collector", () -> collected[0]);
    ProcessCpu.Sample before = cpu.sample();
    collected[0] = 320.0;
    ProcessCpu.Sample after = cpu.sample();

    assertThat(before.cpuMillis().keySet()).containsExactly("self", "collector");
    assertThat(ProcessCpu.perThousand(before, after, 10_000).get("collector"))
        .isCloseTo(20.0, within(1e-9));
  }
}

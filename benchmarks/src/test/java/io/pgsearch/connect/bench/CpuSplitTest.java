package io.pgsearch.connect.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CpuSplitTest {
  @Test
  void elasticsearchTakesTheFirstCoresAndEverythingElseTheRest() {
    assertThat(new CpuSplit(1, 2).elasticsearchCpus()).isEqualTo("0");
    assertThat(new CpuSplit(1, 2).otherCpus()).isEqualTo("1");
    assertThat(new CpuSplit(2, 8).elasticsearchCpus()).isEqualTo("0-1");
    assertThat(new CpuSplit(2, 8).otherCpus()).isEqualTo("2-7");
    assertThat(new CpuSplit(0, 2).enabled()).isFalse();
    assertThat(new CpuSplit(0, 2).describe()).startsWith("shared");
  }
}

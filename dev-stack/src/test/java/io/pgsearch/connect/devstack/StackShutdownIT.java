package io.pgsearch.connect.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Stopping the stack leaves no child process and no listening port behind. */
class StackShutdownIT {

  @Test
  void closingEveryComponentLeavesNoProcessAndNoPort() {
    Set<Long> childrenBefore = childPids();
    List<Integer> ports = new ArrayList<>();
    List<ProcessHandle> esTree;

    Path workDir = DevStackExtension.workDir().resolve("shutdown");
    try (PostgresNode postgres = PostgresNode.start(17, workDir);
        SearchNode elasticsearch = SearchNode.builder().workDir(workDir).heapMb(256).start();
        ConnectCluster connect = ConnectCluster.start(1)) {
      ports.add(postgres.port());
      ports.add(elasticsearch.httpPort());
      ports.add(elasticsearch.transportPort());
      ports.addAll(connect.ports());
      esTree = elasticsearch.processTree();

      assertThat(ports).allSatisfy(port -> assertThat(FreePorts.isListening(port)).isTrue());
      assertThat(childPids()).hasSizeGreaterThan(childrenBefore.size());
      assertThat(esTree).hasSizeGreaterThanOrEqualTo(2); // the CLI launcher and the server JVM
    }

    assertThat(esTree).noneMatch(ProcessHandle::isAlive);
    assertThat(childPids()).as("child processes left running").isSubsetOf(childrenBefore);
    assertThat(ports).as("ports still listening").noneMatch(FreePorts::isListening);
  }

  private static Set<Long> childPids() {
    return ProcessHandle.current()
        .descendants()
        .filter(ProcessHandle::isAlive)
        .map(ProcessHandle::pid)
        .collect(Collectors.toSet());
  }
}

package io.pgsearch.connect.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * After every other integration test of the build (its own failsafe execution, bound to {@code
 * post-integration-test} of this last module): no log file written by any module's tests contains a
 * password that was configured, generated or sent wrong on purpose.
 */
class LogLeakScanIT {
  @Test
  void noLogFileOfAnyModuleContainsAConfiguredPassword() {
    Path root = Path.of(System.getProperty("pgsearch.project.root", "..")).toAbsolutePath();
    List<Path> targets = LogLeakScanner.targets(root.normalize());
    Set<String> secrets = LogLeakScanner.secrets(targets);
    List<Path> logs = LogLeakScanner.logFiles(targets);
    assertThat(secrets).as("secrets recorded by the integration tests under " + root).isNotEmpty();
    assertThat(logs).as("log files under " + root).isNotEmpty();
    System.out.println(
        "Scanned " + logs.size() + " log files for " + secrets.size() + " recorded secrets");
    assertThat(LogLeakScanner.scan(logs, secrets)).as("secrets in log files").isEmpty();
  }
}

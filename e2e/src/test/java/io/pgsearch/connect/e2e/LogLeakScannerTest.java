package io.pgsearch.connect.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsearch.connect.devstack.Secrets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scanner finds a planted secret, and only where it is. */
class LogLeakScannerTest {
  private static final String SECRET = "pg-PLANTEDsecret0123456789";

  @Test
  void aSecretPlantedInAModuleLogIsFoundWithItsFileAndLine(@TempDir Path root) throws Exception {
    Path target = Files.createDirectories(root.resolve("module/target"));
    Files.createDirectories(target.resolve("dev-stack"));
    Files.writeString(
        target.resolve("dev-stack/" + Secrets.FILE_NAME), SECRET + "\n\nes-other-secret-42\n");
    Path reports = Files.createDirectories(target.resolve("failsafe-reports"));
    Path output = reports.resolve("io.pgsearch.SomeIT-output.txt");
    Files.writeString(output, "INFO started\nWARN connecting with " + SECRET + " now\n");
    Path esLog =
        Files.createDirectories(target.resolve("dev-stack/es/logs")).resolve("console.log");
    Files.writeString(esLog, "nothing here\n");
    Files.writeString(target.resolve("dev-stack/data.bin"), SECRET); // not a log: not scanned

    List<Path> targets = LogLeakScanner.targets(root);
    Set<String> secrets = LogLeakScanner.secrets(targets);
    assertThat(secrets).containsExactlyInAnyOrder(SECRET, "es-other-secret-42");
    List<Path> logs = LogLeakScanner.logFiles(targets);
    assertThat(logs).containsExactlyInAnyOrder(output, esLog);

    List<LogLeakScanner.Leak> leaks = LogLeakScanner.scan(logs, secrets);
    assertThat(leaks)
        .singleElement()
        .satisfies(
            leak -> {
              assertThat(leak.file()).isEqualTo(output);
              assertThat(leak.line()).isEqualTo(2);
              assertThat(leak.toString()).doesNotContain(SECRET);
            });
  }

  @Test
  void cleanLogsHaveNoLeaks(@TempDir Path root) throws Exception {
    Path target = Files.createDirectories(root.resolve("m/target/surefire-reports"));
    Path log = target.resolve("x-output.txt");
    Files.writeString(log, "database.password = [hidden]\n");
    assertThat(LogLeakScanner.scan(List.of(log), Set.of(SECRET))).isEmpty();
  }
}

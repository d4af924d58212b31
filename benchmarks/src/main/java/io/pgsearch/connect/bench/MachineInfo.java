package io.pgsearch.connect.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The machine a run measured: cores, RAM, OS, JDK, read from the JVM and /proc. */
final class MachineInfo {
  private MachineInfo() {}

  /**
   * The machine's cores, read when this class is first used: {@link CpuSplit#of} uses it before it
   * moves this JVM to fewer cores, after which the JVM sees only those.
   */
  static final int CORES = Runtime.getRuntime().availableProcessors();

  static Map<String, String> describe() {
    Map<String, String> machine = new LinkedHashMap<>();
    machine.put("cores", CORES + " (" + cpu() + ")");
    machine.put("RAM", memory());
    machine.put("OS", os());
    machine.put(
        "JDK",
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    return machine;
  }

  private static String cpu() {
    return lines(Path.of("/proc/cpuinfo")).stream()
        .filter(line -> line.startsWith("model name"))
        .map(line -> line.substring(line.indexOf(':') + 1).trim())
        .findFirst()
        .orElse("model unknown");
  }

  private static String memory() {
    return lines(Path.of("/proc/meminfo")).stream()
        .filter(line -> line.startsWith("MemTotal:"))
        .map(line -> line.replaceAll("\\D", ""))
        .map(kb -> String.format(Locale.ROOT, "%.1f GB", Long.parseLong(kb) / 1024.0 / 1024.0))
        .findFirst()
        .orElse("unknown");
  }

  private static String os() {
    String pretty =
        lines(Path.of("/etc/os-release")).stream()
            .filter(line -> line.startsWith("PRETTY_NAME="))
            .map(line -> line.substring("PRETTY_NAME=".length()).replace("\"", ""))
            .findFirst()
            .orElse(System.getProperty("os.name"));
    return pretty
        + ", kernel "
        + System.getProperty("os.version")
        + " "
        + System.getProperty("os.arch");
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      return List.of();
    }
  }
}

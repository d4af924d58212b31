package io.pgsearch.connect.devstack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** Extracts the distributions and certificate bundles the nodes are made from. */
final class Zips {
  private Zips() {}

  /**
   * Extracts a zip into {@code target}; with {@code stripTopDirectory} the first path segment of
   * every entry (such as {@code elasticsearch-8.19.21/}) is dropped. Files under a {@code bin/}
   * directory are made executable.
   */
  static void extract(Path zip, Path target, boolean stripTopDirectory) throws IOException {
    Files.createDirectories(target);
    try (ZipFile archive = new ZipFile(zip.toFile())) {
      var entries = archive.entries();
      while (entries.hasMoreElements()) {
        ZipEntry entry = entries.nextElement();
        String name = entry.getName();
        if (stripTopDirectory) {
          name = name.substring(name.indexOf('/') + 1);
        }
        if (name.isEmpty()) {
          continue;
        }
        Path out = target.resolve(name).normalize();
        if (!out.startsWith(target)) {
          throw new IOException("Zip entry escapes the target directory: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(out);
          continue;
        }
        Files.createDirectories(out.getParent());
        try (InputStream in = archive.getInputStream(entry)) {
          Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
        }
        if (name.startsWith("bin/") || name.contains("/bin/")) {
          out.toFile().setExecutable(true, false);
        }
      }
    }
  }
}

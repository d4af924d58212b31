package io.pgsearch.connect.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZipsTest {
  @TempDir Path dir;

  @Test
  void stripsTheTopDirectoryAndMakesBinExecutable() throws Exception {
    Path zip = zip("es-1.0/bin/elasticsearch", "es-1.0/config/jvm.options");
    Path target = dir.resolve("out");

    Zips.extract(zip, target, true);

    assertThat(target.resolve("bin/elasticsearch")).isExecutable();
    assertThat(target.resolve("config/jvm.options")).hasContent("es-1.0/config/jvm.options");
  }

  @Test
  void keepsPathsWhenNotStripping() throws Exception {
    Zips.extract(zip("ca/ca.crt"), dir.resolve("out"), false);
    assertThat(dir.resolve("out/ca/ca.crt")).hasContent("ca/ca.crt");
  }

  @Test
  void refusesEntriesThatEscapeTheTarget() throws Exception {
    Path zip = zip("../evil.txt");
    assertThatThrownBy(() -> Zips.extract(zip, dir.resolve("out"), false))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("escapes");
  }

  /** A zip whose entries each contain their own name. */
  private Path zip(String... names) throws IOException {
    Path zip = dir.resolve("test-" + System.nanoTime() + ".zip");
    try (OutputStream file = Files.newOutputStream(zip);
        ZipOutputStream out = new ZipOutputStream(file)) {
      for (String name : names) {
        out.putNextEntry(new ZipEntry(name));
        out.write(name.getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
      }
    }
    return zip;
  }
}

package io.pgsearch.connect.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdksTest {

  @Test
  void readsTheFeatureVersionFromTheReleaseFile(@TempDir Path home) throws Exception {
    Files.writeString(
        home.resolve("release"), "IMPLEMENTOR=\"Eclipse Adoptium\"\nJAVA_VERSION=\"25.0.1\"\n");
    assertThat(Jdks.featureVersion(home)).isEqualTo(25);
  }

  @Test
  void aDirectoryWithoutReleaseFileIsNoJdk(@TempDir Path home) {
    assertThat(Jdks.featureVersion(home)).isEqualTo(-1);
  }

  @Test
  void theRunningJdkQualifiesForItsOwnVersion() {
    assertThat(Jdks.find(Runtime.version().feature())).isPresent();
    assertThat(Jdks.find(Integer.MAX_VALUE)).isEmpty();
  }
}

package io.pgsearch.connect.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactsTest {
  @TempDir Path repo;
  private String previous;

  @AfterEach
  void restoreProperty() {
    if (previous == null) {
      System.clearProperty(Artifacts.REPO_PROPERTY);
    } else {
      System.setProperty(Artifacts.REPO_PROPERTY, previous);
    }
  }

  @Test
  void findsAFileByMavenLayout() throws Exception {
    useRepo();
    Path zip = repo.resolve("org/example/dist/1.2.3/dist-1.2.3.zip");
    Files.createDirectories(zip.getParent());
    Files.writeString(zip, "x");

    assertThat(Artifacts.resolve("org.example", "dist", "1.2.3", "zip")).isEqualTo(zip);
  }

  @Test
  void aMissingFileNamesTheArtifactAndHowToGetIt() {
    useRepo();
    assertThatThrownBy(() -> Artifacts.resolve("org.example", "dist", "9.9.9", "zip"))
        .hasMessageContaining("org.example:dist:9.9.9:zip")
        .hasMessageContaining(repo.toString())
        .hasMessageContaining("./mvnw -pl dev-stack package");
  }

  private void useRepo() {
    previous = System.getProperty(Artifacts.REPO_PROPERTY);
    System.setProperty(Artifacts.REPO_PROPERTY, repo.toString());
  }
}

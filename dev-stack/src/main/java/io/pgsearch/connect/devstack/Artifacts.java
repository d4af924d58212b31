package io.pgsearch.connect.devstack;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds distributions (Elasticsearch zips, PostgreSQL binaries) that Maven resolved into the local
 * repository. dev-stack's build resolves them; nothing is downloaded at run time.
 */
public final class Artifacts {
  /** System property naming the local Maven repository; the build sets it for tests. */
  public static final String REPO_PROPERTY = "pgsearch.repo.local";

  private Artifacts() {}

  /**
   * The local Maven repository: {@value #REPO_PROPERTY}, else {@code maven.repo.local}, else ~/.m2.
   */
  public static Path localRepository() {
    String configured = System.getProperty(REPO_PROPERTY, System.getProperty("maven.repo.local"));
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    return Path.of(System.getProperty("user.home"), ".m2", "repository");
  }

  /** The file of {@code groupId:artifactId:version} with the given extension, which must exist. */
  public static Path resolve(String groupId, String artifactId, String version, String extension) {
    Path file =
        localRepository()
            .resolve(groupId.replace('.', '/'))
            .resolve(artifactId)
            .resolve(version)
            .resolve(artifactId + "-" + version + "." + extension);
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException(
          "Distribution "
              + groupId
              + ":"
              + artifactId
              + ":"
              + version
              + ":"
              + extension
              + " is not in "
              + localRepository()
              + ". Build the dev-stack module first (./mvnw -pl dev-stack package), which resolves it,"
              + " or set -D"
              + REPO_PROPERTY
              + " to the Maven repository that holds it.");
    }
    return file;
  }
}

package io.pgsearch.connect.devstack;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The search servers dev-stack starts, each from its {@code integ-test-zip} distribution on Maven
 * Central at the version the build pinned: Elasticsearch 8 and 9, OpenSearch 2 and 3. They differ
 * only in names (launcher, config file, environment) and the JDK they need.
 */
public enum SearchDistribution {
  ELASTICSEARCH_8(false, 8, 17),
  ELASTICSEARCH_9(false, 9, 21),
  OPENSEARCH_2(true, 2, 17),
  OPENSEARCH_3(true, 3, 21);

  private final boolean opensearch;
  private final int major;
  private final int javaNeeded;

  SearchDistribution(boolean opensearch, int major, int javaNeeded) {
    this.opensearch = opensearch;
    this.major = major;
    this.javaNeeded = javaNeeded;
  }

  /** The pinned version, e.g. {@code 8.19.21}. */
  public String version() {
    return Versions.search(this);
  }

  /** The key of its version in {@code versions.properties}: {@code elasticsearch8}… */
  String versionKey() {
    return product() + major;
  }

  public boolean isOpenSearch() {
    return opensearch;
  }

  public int major() {
    return major;
  }

  /** The oldest JDK feature version it runs on; the integ-test-zip distributions bundle none. */
  public int javaNeeded() {
    return javaNeeded;
  }

  /** {@code elasticsearch} or {@code opensearch}: artifact, launcher and config file names. */
  public String product() {
    return opensearch ? "opensearch" : "elasticsearch";
  }

  String groupId() {
    return "org." + product() + ".distribution.integ-test-zip";
  }

  /** The prefix of the launcher's environment variables: {@code ES} or {@code OPENSEARCH}. */
  String environmentPrefix() {
    return opensearch ? "OPENSEARCH" : "ES";
  }

  /** {@code Elasticsearch 8}, as a user reads it. */
  public String displayName() {
    return (opensearch ? "OpenSearch " : "Elasticsearch ") + major;
  }

  /** The option value naming it: {@code elasticsearch-8}, {@code opensearch-3}… */
  public String optionValue() {
    return product() + "-" + major;
  }

  /**
   * The distribution an option names: {@code elasticsearch-8}, {@code opensearch-2} and so on,
   * case-insensitive.
   */
  public static SearchDistribution parse(String value) {
    String wanted = value.trim().toLowerCase(Locale.ROOT);
    return Arrays.stream(values())
        .filter(distribution -> distribution.optionValue().equals(wanted))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "'"
                        + value
                        + "' is not a search server dev-stack starts: use one of "
                        + names()));
  }

  /** Every option value, comma-separated. */
  public static String names() {
    return Arrays.stream(values())
        .map(SearchDistribution::optionValue)
        .collect(Collectors.joining(", "));
  }
}

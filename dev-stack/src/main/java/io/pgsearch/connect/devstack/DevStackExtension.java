package io.pgsearch.connect.devstack;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives integration tests real components as parameters: declare a {@link PostgresNode}, {@link
 * SearchNode}, {@link SearchNodes} or {@link ConnectCluster} parameter (of a test method, a
 * lifecycle method or the constructor) and it is started on first use, then shared by every test of
 * the run that asks for the same options, and stopped when the run ends.
 *
 * <p>Shared nodes are shared state: a test makes its own database ({@link
 * PostgresNode#createDatabase(String)}), index, topic and connector names. A test that stops or
 * breaks a component starts its own with the node classes instead.
 *
 * <p>Elasticsearch 9 and OpenSearch 3 need a JDK 21 or newer. Without one, a test that asks for
 * either is aborted (reported as skipped, with the reason), unless the system property {@value
 * #REQUIRE_ALL} is {@code true} or the environment variable {@code CI} is {@code true}: then it
 * fails.
 */
public final class DevStackExtension implements ParameterResolver {
  /** Set to {@code true} to fail, rather than skip, tests whose components cannot run here. */
  public static final String REQUIRE_ALL = "pgsearch.require.all.components";

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(DevStackExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == PostgresNode.class
        || type == SearchNode.class
        || type == SearchNodes.class
        || type == ConnectCluster.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    if (type == PostgresNode.class) {
      Optional<PostgresOptions> options = parameter.findAnnotation(PostgresOptions.class);
      int major = options.map(PostgresOptions::major).orElse(17);
      boolean ssl = options.map(PostgresOptions::ssl).orElse(false);
      return shared(
          context,
          "postgres-" + major + (ssl ? "-ssl" : ""),
          PostgresNode.class,
          () ->
              ssl
                  ? PostgresNode.startWithSsl(major, workDir())
                  : PostgresNode.start(major, workDir()));
    }
    if (type == SearchNodes.class) {
      return new SearchNodes(
          (distribution, secured) ->
              shared(
                  context,
                  nodeKey(distribution, secured),
                  SearchNode.class,
                  () -> start(distribution, secured)));
    }
    if (type == ConnectCluster.class) {
      int workers =
          parameter.findAnnotation(ConnectOptions.class).map(ConnectOptions::workers).orElse(1);
      return shared(
          context, "connect-" + workers, ConnectCluster.class, () -> ConnectCluster.start(workers));
    }
    Optional<ElasticsearchOptions> options = parameter.findAnnotation(ElasticsearchOptions.class);
    int major = options.map(ElasticsearchOptions::major).orElse(8);
    boolean secured = options.map(ElasticsearchOptions::secured).orElse(false);
    SearchDistribution distribution =
        major == 9 ? SearchDistribution.ELASTICSEARCH_9 : SearchDistribution.ELASTICSEARCH_8;
    return shared(
        context,
        nodeKey(distribution, secured),
        SearchNode.class,
        () -> startElasticsearch(major, secured));
  }

  private static SearchNode startElasticsearch(int major, boolean secured) {
    SearchDistribution distribution =
        switch (major) {
          case 8 -> SearchDistribution.ELASTICSEARCH_8;
          case 9 -> SearchDistribution.ELASTICSEARCH_9;
          default ->
              throw new ParameterResolutionException(
                  "@ElasticsearchOptions(major = " + major + "): use 8 or 9");
        };
    return start(distribution, secured);
  }

  /**
   * Starts a node; a missing JDK aborts the test (reported as skipped, with the reason) unless
   * {@value #REQUIRE_ALL} or {@code CI} is true.
   */
  static SearchNode start(SearchDistribution distribution, boolean secured) {
    SearchNode.Builder builder = SearchNode.builder().distribution(distribution).workDir(workDir());
    if (secured) {
      builder.secured();
    }
    try {
      return builder.start();
    } catch (SearchNode.MissingJdkException e) {
      if (Boolean.getBoolean(REQUIRE_ALL) || "true".equalsIgnoreCase(System.getenv("CI"))) {
        throw e;
      }
      Assumptions.abort(e.getMessage());
      throw e; // not reached: abort throws
    }
  }

  /** The store key of a shared node: the same for every way of asking for it. */
  static String nodeKey(SearchDistribution distribution, boolean secured) {
    return distribution.optionValue() + (secured ? "-secured" : "");
  }

  private static <T extends AutoCloseable> T shared(
      ExtensionContext context, String key, Class<T> type, Supplier<T> start) {
    // The root store outlives every test class and closes AutoCloseable values when the run ends.
    return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(key, k -> start.get(), type);
  }

  /** The system property naming where nodes keep their files, set by the build. */
  public static final String WORK_DIR_PROPERTY = "pgsearch.work.dir";

  /** Where nodes keep their files: {@link #WORK_DIR_PROPERTY}, by default target/dev-stack. */
  public static Path workDir() {
    return Path.of(System.getProperty(WORK_DIR_PROPERTY, "target/dev-stack"));
  }
}

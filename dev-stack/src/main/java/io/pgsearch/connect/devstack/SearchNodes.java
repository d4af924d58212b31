package io.pgsearch.connect.devstack;

import java.util.function.BiFunction;

/**
 * The search servers of a test run, for tests that run on each ({@link SearchDistribution}): a
 * parameter of this type, injected by {@link DevStackExtension}, starts a distribution's node on
 * first use and shares it with every test of the run that asks for it, including those asking with
 * {@link ElasticsearchOptions}.
 *
 * <pre>{@code
 * @ParameterizedTest
 * @EnumSource(SearchDistribution.class)
 * void indexes(SearchDistribution server, SearchNodes nodes) {
 *   SearchNode node = nodes.get(server);
 * }
 * }</pre>
 */
public final class SearchNodes {
  private final BiFunction<SearchDistribution, Boolean, SearchNode> shared;

  SearchNodes(BiFunction<SearchDistribution, Boolean, SearchNode> shared) {
    this.shared = shared;
  }

  /** The plain (security off) node of this distribution, started if it is not running yet. */
  public SearchNode get(SearchDistribution distribution) {
    return shared.apply(distribution, false);
  }

  /** The {@linkplain SearchNode.Builder#secured() secured} node of this distribution. */
  public SearchNode secured(SearchDistribution distribution) {
    return shared.apply(distribution, true);
  }
}

package io.pgsearch.connect.e2e;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression reads, found without a full parser: what is left of the
 * expression once strings, label matchers, ranges, grouping clauses, numbers and Grafana's
 * variables are taken out, minus functions, aggregations and keywords.
 */
final class PromQl {
  private static final Pattern STRINGS = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'[^']*'");
  private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
  private static final Pattern RANGES = Pattern.compile("\\[[^]]*]");
  private static final Pattern GROUPINGS =
      Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
  private static final Pattern GRAFANA_VARIABLES = Pattern.compile("\\$\\{[^}]*}|\\$\\w+");
  private static final Pattern NUMBERS =
      Pattern.compile("(?<![\\w:])\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?[a-z]*");
  private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*(\\s*\\()?");
  private static final Set<String> KEYWORDS =
      Set.of(
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "bool",
          "and",
          "or",
          "unless",
          "offset",
          "inf",
          "nan",
          "atan2");

  private PromQl() {}

  static Set<String> metricNames(String expression) {
    String rest = expression;
    for (Pattern removed :
        new Pattern[] {STRINGS, MATCHERS, RANGES, GROUPINGS, GRAFANA_VARIABLES, NUMBERS}) {
      rest = removed.matcher(rest).replaceAll(" ");
    }
    Set<String> names = new LinkedHashSet<>();
    Matcher identifier = IDENTIFIER.matcher(rest);
    while (identifier.find()) {
      boolean call = identifier.group(1) != null;
      String name = identifier.group().replaceAll("[\\s(]", "");
      if (!call && !KEYWORDS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
        names.add(name);
      }
    }
    return names;
  }
}

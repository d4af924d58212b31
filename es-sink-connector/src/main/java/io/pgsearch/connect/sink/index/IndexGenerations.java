package io.pgsearch.connect.sink.index;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The concrete indexes behind a name the sink writes to. The sink creates each index as a
 * generation ({@code products-000001}) behind an alias of the name ({@code products}, its write
 * index), so that a later generation built with other mappings can take the alias over in one
 * atomic step while searches go on through the name. Names are deterministic: two tasks creating
 * the same index at once create the same generation, and one of them finds it existing.
 */
public final class IndexGenerations {
  /** The generation a new index starts at. */
  public static final int FIRST = 1;

  private static final int MAX_BYTES = 255;

  private IndexGenerations() {}

  /**
   * The concrete index of a generation of {@code alias}: the alias, cut if needed to stay within
   * the 255 bytes an index name may have, a dash and the generation in six digits.
   */
  public static String name(String alias, int generation) {
    return base(alias) + String.format(Locale.ROOT, "-%06d", generation);
  }

  /** The generation {@code index} is of {@code alias}, or 0 when it is none of its generations. */
  public static int number(String alias, String index) {
    String base = base(alias) + "-";
    if (!index.startsWith(base) || index.length() != base.length() + 6) {
      return 0;
    }
    String digits = index.substring(base.length());
    return digits.chars().allMatch(c -> c >= '0' && c <= '9') ? Integer.parseInt(digits) : 0;
  }

  /** The alias, cut if needed so that its generations' names fit. */
  private static String base(String alias) {
    String base = alias;
    while ((base + "-000000").getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      base = base.substring(0, base.length() - 1);
    }
    return base;
  }
}

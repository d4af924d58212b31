package io.pgsearch.connect.bench;

import java.util.Locale;

/**
 * What a measurement must reach: a ratio to the baseline of at least some fraction, or a value of
 * at most some limit.
 *
 * @param onRatio true when the ratio to the baseline is compared, false for the value itself
 * @param threshold the limit
 * @param atLeast true when the compared figure must be at least the threshold, false for at most
 * @param text how the target reads in the report, e.g. {@code ≥ 0.9 × baseline}
 */
public record Target(boolean onRatio, double threshold, boolean atLeast, String text) {

  /** The ratio to the baseline must be at least {@code fraction}. */
  public static Target ratioAtLeast(double fraction) {
    return new Target(
        true, fraction, true, String.format(Locale.ROOT, "≥ %.2f × baseline", fraction));
  }

  /** The value must be at most {@code limit} (in the measurement's unit). */
  public static Target valueAtMost(double limit, String unit) {
    return new Target(false, limit, false, String.format(Locale.ROOT, "≤ %,.0f %s", limit, unit));
  }

  /** The value must be strictly below {@code limit}. */
  public static Target valueBelow(double limit, String unit) {
    return new Target(
        false, Math.nextDown(limit), false, String.format(Locale.ROOT, "< %,.0f %s", limit, unit));
  }

  /** Whether a measurement reaches the target; a missing figure never does. */
  public boolean isMet(double value, Double ratio) {
    Double compared = onRatio ? ratio : Double.valueOf(value);
    if (compared == null || compared.isNaN()) {
      return false;
    }
    return atLeast ? compared >= threshold : compared <= threshold;
  }
}

package io.pgsearch.connect.bench;

/**
 * One figure of the run.
 *
 * @param key a stable name for the JSON report, e.g. {@code sink.tasks2}
 * @param name what was measured, for people
 * @param value the figure; {@code NaN} when it could not be measured
 * @param unit its unit, e.g. {@code docs/s}
 * @param ratio the figure divided by the baseline's, or null when not compared
 * @param target what it must reach, or null when it has no target
 * @param note how it was obtained or what went wrong; empty when nothing to say
 */
public record Measurement(
    String key, String name, double value, String unit, Double ratio, Target target, String note) {

  /** PASS, MISS, or empty without a target. */
  public String status() {
    if (target == null) {
      return "";
    }
    return target.isMet(value, ratio) ? "PASS" : "MISS";
  }

  /** The same figure compared with a baseline rate. */
  public static Measurement rate(
      String key,
      String name,
      double value,
      String unit,
      double baseline,
      Target target,
      String note) {
    Double ratio = baseline > 0 && !Double.isNaN(value) ? value / baseline : null;
    return new Measurement(key, name, value, unit, ratio, target, note);
  }
}

package io.pgsearch.connect.bench;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;

/**
 * The sink tasks' commit-to-indexed latency histograms (the MBean attributes {@code
 * ChangeLatencyBucketCounts} and {@code ChangeLatencyBucketBoundsMs}), read over the worker's JMX:
 * the pipeline's own latency, without the refresh a search waits for.
 */
final class SinkLatencies {
  /** A reading: each bucket's upper bound in ms (the last bucket has none) and its count. */
  record Reading(long[] boundsMs, long[] counts) {
    /** The latencies counted since {@code earlier}. */
    Reading since(Reading earlier) {
      long[] delta = counts.clone();
      for (int i = 0; i < delta.length && i < earlier.counts.length; i++) {
        delta[i] -= earlier.counts[i];
      }
      return new Reading(boundsMs, delta);
    }

    long total() {
      long total = 0;
      for (long count : counts) {
        total += count;
      }
      return total;
    }

    /**
     * The upper bound of the bucket that holds the {@code percentile} (0-100) of the latencies: the
     * percentile is at most this; NaN without latencies or when it lies above every bound.
     */
    double percentileBoundMs(double percentile) {
      long total = total();
      long rank = (long) Math.ceil(percentile / 100.0 * total);
      long cumulative = 0;
      for (int i = 0; i < counts.length && total > 0; i++) {
        cumulative += counts[i];
        if (cumulative >= Math.max(1, rank)) {
          return i < boundsMs.length ? boundsMs[i] : Double.NaN;
        }
      }
      return Double.NaN;
    }
  }

  private final MBeanServerConnection server;

  SinkLatencies(MBeanServerConnection server) {
    this.server = server;
  }

  /** The histograms of every task of the sink connector, summed. */
  Reading read(String connector) throws Exception {
    long[] bounds = new long[0];
    long[] sum = new long[0];
    for (ObjectName task :
        server.queryNames(
            new ObjectName(
                "io.pgsearch.connect:type=sink-task-metrics,connector="
                    + ObjectName.quote(connector)
                    + ",task=*"),
            null)) {
      bounds = (long[]) server.getAttribute(task, "ChangeLatencyBucketBoundsMs");
      long[] counts = (long[]) server.getAttribute(task, "ChangeLatencyBucketCounts");
      if (sum.length == 0) {
        sum = new long[counts.length];
      }
      for (int i = 0; i < counts.length; i++) {
        sum[i] += counts[i];
      }
    }
    return new Reading(bounds, sum);
  }
}

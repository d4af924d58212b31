package io.pgsearch.connect.bench;

import com.sun.tools.attach.VirtualMachine;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * Samples the heap of another JVM (the Connect worker) every second over JMX, through the JDK's
 * attach mechanism: one MBean read per second, so the sampling itself costs the machine nothing
 * measurable (a jcmd or jstat process per second would cost a JVM start each).
 */
final class HeapSampler implements AutoCloseable {
  private final JMXConnector connector;
  private final MemoryMXBean memory;
  private final List<MemoryPoolMXBean> heapPools = new ArrayList<>();
  private final List<GarbageCollectorMXBean> collectors = new ArrayList<>();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread thread = new Thread(task, "heap-sampler");
            thread.setDaemon(true);
            return thread;
          });
  private long peakUsed;
  private long peakAfterGc;
  private long max;
  private int samples;
  private double lastCollectionMillis;

  HeapSampler(long pid) throws Exception {
    VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
    String address;
    try {
      address = vm.startLocalManagementAgent();
    } finally {
      vm.detach();
    }
    connector = JMXConnectorFactory.connect(new JMXServiceURL(address));
    MBeanServerConnection server = connector.getMBeanServerConnection();
    memory =
        ManagementFactory.newPlatformMXBeanProxy(
            server, ManagementFactory.MEMORY_MXBEAN_NAME, MemoryMXBean.class);
    for (ObjectName name :
        server.queryNames(
            new ObjectName(ManagementFactory.MEMORY_POOL_MXBEAN_DOMAIN_TYPE + ",*"), null)) {
      MemoryPoolMXBean pool =
          ManagementFactory.newPlatformMXBeanProxy(server, name.toString(), MemoryPoolMXBean.class);
      if (pool.getType() == MemoryType.HEAP) {
        heapPools.add(pool);
      }
    }
    for (ObjectName name :
        server.queryNames(
            new ObjectName(ManagementFactory.GARBAGE_COLLECTOR_MXBEAN_DOMAIN_TYPE + ",*"), null)) {
      collectors.add(
          ManagementFactory.newPlatformMXBeanProxy(
              server, name.toString(), GarbageCollectorMXBean.class));
    }
    max = memory.getHeapMemoryUsage().getMax();
    timer.scheduleAtFixedRate(this::sample, 0, 1, TimeUnit.SECONDS);
  }

  /**
   * Takes a sample now, besides the one per second: for windows of a few seconds, whose peak one
   * sample a second would likely miss.
   */
  void sample() {
    try {
      long used = memory.getHeapMemoryUsage().getUsed();
      long afterGc = 0;
      for (MemoryPoolMXBean pool : heapPools) {
        if (pool.getCollectionUsage() != null) {
          afterGc += pool.getCollectionUsage().getUsed();
        }
      }
      synchronized (this) {
        peakUsed = Math.max(peakUsed, used);
        peakAfterGc = Math.max(peakAfterGc, afterGc);
        samples++;
      }
    } catch (RuntimeException e) {
      // The worker is stopping or busy: this second goes unsampled.
    }
  }

  /**
   * The milliseconds the worker's collectors have spent collecting since it started, every
   * collector's summed; the last reading if the worker does not answer now. With one core for the
   * worker, the benchmark's layout, the collector runs on one thread while the worker's own threads
   * wait: this time is CPU time of the worker's, and part of its CPU figure.
   */
  synchronized double collectionMillis() {
    try {
      long millis = 0;
      for (GarbageCollectorMXBean collector : collectors) {
        millis += collector.getCollectionTime();
      }
      lastCollectionMillis = millis;
    } catch (RuntimeException e) {
      // The worker is stopping or busy: its last reading stands.
    }
    return lastCollectionMillis;
  }

  /** The worker's MBeans, for readings besides the heap's. */
  MBeanServerConnection server() throws java.io.IOException {
    return connector.getMBeanServerConnection();
  }

  /** The largest heap in use seen by a sample, in bytes. */
  synchronized long peakUsed() {
    return peakUsed;
  }

  /** The largest heap in use right after a collection (the live set, roughly), in bytes. */
  synchronized long peakAfterGc() {
    return peakAfterGc;
  }

  synchronized int samples() {
    return samples;
  }

  /** The worker's heap limit (-Xmx), in bytes. */
  long max() {
    return max;
  }

  /** Starts a new window: the peaks seen so far are forgotten. */
  synchronized void reset() {
    peakUsed = 0;
    peakAfterGc = 0;
    samples = 0;
  }

  @Override
  public void close() throws Exception {
    timer.shutdownNow();
    connector.close();
  }
}

package io.pgsearch.connect.e2e;

import io.pgsearch.connect.devstack.KafkaBrokerProcess;
import io.pgsearch.connect.devstack.PostgresNode;
import io.pgsearch.connect.devstack.SearchNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Injects faults into the running pipeline, one at a time, and records what it did and when. */
final class Faults {
  enum Kind {
    /** SIGKILL of a worker JVM; its tasks move to the others; a new worker joins later. */
    WORKER_KILL,
    ELASTICSEARCH_RESTART,
    /** Many parallel bulk writers against a write pool of one thread and a queue of one. */
    ELASTICSEARCH_429,
    POSTGRES_RESTART,
    /** The broker JVM killed with SIGKILL and started again on its port and data. */
    KAFKA_RESTART,
    CONNECTOR_RESTART,
    PAUSE_RESUME
  }

  record Injected(Kind kind, Duration at, Duration took, String detail) {
    @Override
    public String toString() {
      return String.format(
          "%7.1fs %-21s %5.1fs %s", at.toMillis() / 1000.0, kind, took.toMillis() / 1000.0, detail);
    }
  }

  private final Random random;
  private final Instant start;
  private final WorkerGroup workers;
  private final SearchNode elasticsearch;
  private final PostgresNode postgres;
  private final KafkaBrokerProcess kafka;
  private final List<String> connectors;
  private final List<Injected> injected = Collections.synchronizedList(new ArrayList<>());
  private final List<Kind> bag = new ArrayList<>();

  Faults(
      long seed,
      Instant start,
      WorkerGroup workers,
      SearchNode elasticsearch,
      PostgresNode postgres,
      KafkaBrokerProcess kafka,
      List<String> connectors) {
    this.random = new Random(seed);
    this.start = start;
    this.workers = workers;
    this.elasticsearch = elasticsearch;
    this.postgres = postgres;
    this.kafka = kafka;
    this.connectors = connectors;
  }

  List<Injected> injected() {
    return List.copyOf(injected);
  }

  /** Waits a random while, then injects the next fault; every kind comes once per round. */
  void injectNext() throws Exception {
    Thread.sleep(3_000 + random.nextInt(7_000));
    if (bag.isEmpty()) {
      bag.addAll(List.of(Kind.values()));
      Collections.shuffle(bag, random);
    }
    Kind kind = bag.remove(0);
    Instant begin = Instant.now();
    String detail = inject(kind);
    Injected fault =
        new Injected(
            kind, Duration.between(start, begin), Duration.between(begin, Instant.now()), detail);
    injected.add(fault);
    System.out.println("FAULT " + fault);
  }

  private String inject(Kind kind) throws Exception {
    switch (kind) {
      case WORKER_KILL:
        {
          int port = workers.killOne(random);
          // Long enough for the group to notice and hand the dead worker's tasks to the others.
          Thread.sleep(15_000);
          int replacement = workers.addOne();
          return "killed worker :" + port + ", replaced by :" + replacement;
        }
      case ELASTICSEARCH_RESTART:
        elasticsearch.stopProcess();
        Thread.sleep(2_000 + random.nextInt(6_000));
        elasticsearch.startProcess();
        return "stopped and started";
      case ELASTICSEARCH_429:
        return rejections() + " bulk items rejected with 429 in 10 s";
      case POSTGRES_RESTART:
        postgres.restart();
        return "restarted";
      case KAFKA_RESTART:
        kafka.kill();
        Thread.sleep(2_000 + random.nextInt(6_000));
        kafka.startAgain();
        return "broker killed and started again on port " + kafka.port();
      case CONNECTOR_RESTART:
        {
          String connector = connectors.get(random.nextInt(connectors.size()));
          workers.call(
              "POST",
              "/connectors/" + connector + "/restart?includeTasks=true&onlyFailed=false",
              null,
              Duration.ofMinutes(2));
          return connector;
        }
      default:
        for (String connector : connectors) {
          workers.call("PUT", "/connectors/" + connector + "/pause", null, Duration.ofMinutes(2));
        }
        Thread.sleep(3_000 + random.nextInt(5_000));
        for (String connector : connectors) {
          workers.call("PUT", "/connectors/" + connector + "/resume", null, Duration.ofMinutes(2));
        }
        return "all connectors paused, then resumed";
    }
  }

  /** Floods Elasticsearch's write queue from 8 threads for 10 s; returns the items rejected. */
  private long rejections() throws InterruptedException {
    elasticsearch.request(
        "PUT", "/pressure", "{\"settings\":{\"number_of_shards\":4,\"number_of_replicas\":0}}");
    StringBuilder bulk = new StringBuilder();
    for (int i = 0; i < 500; i++) {
      bulk.append("{\"index\":{\"_index\":\"pressure\"}}\n{\"n\":").append(i).append("}\n");
    }
    String body = bulk.toString();
    AtomicLong rejected = new AtomicLong();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    ExecutorService writers = Executors.newFixedThreadPool(8);
    for (int t = 0; t < 8; t++) {
      writers.submit(
          () -> {
            while (System.nanoTime() < end) {
              String response = elasticsearch.request("POST", "/_bulk", body).body();
              int at = 0;
              while ((at = response.indexOf("\"status\":429", at) + 1) > 0) {
                rejected.incrementAndGet();
              }
            }
            return null;
          });
    }
    writers.shutdown();
    writers.awaitTermination(1, TimeUnit.MINUTES);
    return rejected.get();
  }
}

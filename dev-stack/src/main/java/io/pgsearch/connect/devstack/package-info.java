/**
 * A Docker-free stack of real components for tests and local runs: PostgreSQL ({@link
 * io.pgsearch.connect.devstack.PostgresNode}), Kafka in KRaft mode with a Kafka Connect cluster
 * ({@link io.pgsearch.connect.devstack.ConnectCluster}) and Elasticsearch 8 or 9 or OpenSearch 2 or
 * 3 ({@link io.pgsearch.connect.devstack.SearchNode}, {@link
 * io.pgsearch.connect.devstack.SearchDistribution}). Everything comes from Maven Central: the
 * PostgreSQL binaries, the servers' {@code integ-test-zip} distributions and OpenSearch 2's
 * security plugin are resolved by this module's build; nothing is downloaded at run time. Every
 * component listens on free loopback ports and keeps its files under {@code target/dev-stack}.
 *
 * <h2>In an integration test</h2>
 *
 * <p>Ask for components as parameters; {@link io.pgsearch.connect.devstack.DevStackExtension}
 * starts each once per test run and shares it:
 *
 * <pre>{@code
 * @ExtendWith(DevStackExtension.class)
 * class OrdersIndexIT {
 *   @Test
 *   void rowsBecomeDocuments(
 *       PostgresNode postgres,
 *       ConnectCluster connect,
 *       @ElasticsearchOptions(major = 9) SearchNode elasticsearch)
 *       throws Exception {
 *     String db = postgres.createDatabase("orders");
 *     try (Connection c = postgres.connect(db)) {
 *       c.createStatement().execute("CREATE TABLE orders (id int PRIMARY KEY, total numeric)");
 *     }
 *     connect.rest().createConnector("orders-source", Map.of(
 *         "connector.class", "io.debezium.connector.postgresql.PostgresConnector",
 *         "database.hostname", postgres.host(),
 *         "database.port", String.valueOf(postgres.port()),
 *         "database.user", postgres.user(),
 *         "database.password", postgres.password(),
 *         "database.dbname", db,
 *         "topic.prefix", "orders",
 *         "topic.creation.default.replication.factor", "1",
 *         "topic.creation.default.partitions", "1"));
 *     connect.rest().awaitRunning("orders-source", 1, Duration.ofMinutes(1));
 *     // ... then read the topic, or query elasticsearch.request("GET", "/orders/_count", null)
 *   }
 * }
 * }</pre>
 *
 * <p>A test that runs on each search server takes the distribution as its argument and a {@link
 * io.pgsearch.connect.devstack.SearchNodes} parameter: {@code nodes.get(distribution)} (or {@code
 * nodes.secured(distribution)}) starts that node once per run and shares it.
 *
 * <p>{@code @PostgresOptions(ssl = true) PostgresNode} is a server with {@code ssl=on}, a
 * certificate signed by a CA generated with BouncyCastle ({@link
 * io.pgsearch.connect.devstack.CertificateAuthority}; {@code caCertificatePem()}) and {@code
 * hostssl}-only logins for the application role. Every password the stack generates, and every
 * secret a test hands to {@link io.pgsearch.connect.devstack.Secrets#remember(String)}, is recorded
 * in {@code pgsearch-secrets.txt} of the work directory, so a scan can prove no log contains one.
 *
 * <h2>By hand</h2>
 *
 * <p>Each node class starts and stops on its own; all are {@link AutoCloseable} and stop their
 * processes and ports on close:
 *
 * <pre>{@code
 * try (PostgresNode pg = PostgresNode.start(17, Path.of("target/dev-stack"));
 *     SearchNode es = SearchNode.builder().secured().start();
 *     ConnectCluster connect = ConnectCluster.start(2)) {
 *   System.out.println(pg.jdbcUrl("postgres") + " " + es.url() + " " + connect.restUrl());
 * }
 * }</pre>
 *
 * <p>The run command, {@code ./dev-stack.sh} at the repository root, starts the whole pipeline this
 * way for a person ({@link io.pgsearch.connect.devstack.DevStackRunner}): the sample shop in
 * PostgreSQL, Kafka, a Connect worker in its own JVM with the connector archives on its {@code
 * plugin.path} and the Prometheus JMX exporter's agent ({@link
 * io.pgsearch.connect.devstack.MetricsAgent}, with {@code monitoring/jmx-exporter.yml}),
 * Elasticsearch (or, with {@code --search}, another server), and the connectors of {@code
 * connect-configs} (the source with the example document of orders, {@code
 * examples/pg-source-documents.json}); it writes the endpoints, the metrics URL among them, to
 * {@code endpoints.json} in its work directory, last, once it has printed them (so a script may
 * wait for the file), and stops everything on SIGTERM.
 *
 * <p>Elasticsearch 9 and OpenSearch 3 need a JDK 21 or newer: {@code ES_JAVA_HOME}, {@code
 * JAVA_HOME} or one under {@code /usr/lib/jvm}. PostgreSQL and the search servers refuse to run as
 * root.
 */
package io.pgsearch.connect.devstack;

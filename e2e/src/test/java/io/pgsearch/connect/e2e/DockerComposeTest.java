package io.pgsearch.connect.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.pgsearch.connect.devstack.ConnectConfigs;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/**
 * docker-compose.yml cannot be started here (no Docker), so this checks it against what it must
 * agree with: the root pom.xml (versions, the archive names the kafka-connect-maven-plugin builds),
 * connect-configs (placeholders, hostnames, ports) and the worker properties in docker/.
 */
class DockerComposeTest {
  static final Path ROOT =
      Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize().getParent();
  static final Path COMPOSE = ROOT.resolve("docker-compose.yml");
  static final Pattern VERSION_VARIABLE = Pattern.compile("\\$\\{PGSEARCH_VERSION:-([^}]*)}");
  static final Pattern EXACT_VERSION = Pattern.compile("\\d+\\.\\d+(\\.\\d+)?");
  static final List<String> REGISTERED = List.of("pg-source.json", "es-sink.json");
  static final List<String> ARCHIVE_MODULES = List.of("pg-source-connector", "es-sink-connector");
  static final Map<String, String> OFFICIAL_IMAGES =
      Map.of(
          "postgres", "postgres",
          "kafka", "apache/kafka",
          "connect", "apache/kafka",
          "elasticsearch", "docker.elastic.co/elasticsearch/elasticsearch");

  static String composeText;
  static JsonNode services;
  static Document rootPom;

  @BeforeAll
  static void load() throws Exception {
    assertThat(COMPOSE).as("docker-compose.yml at the repository root").isRegularFile();
    composeText = Files.readString(COMPOSE);
    services = new YAMLMapper().readTree(composeText).path("services");
    assertThat(services.isObject()).as("docker-compose.yml has a services: map").isTrue();
    var factory = DocumentBuilderFactory.newInstance();
    rootPom = factory.newDocumentBuilder().parse(ROOT.resolve("pom.xml").toFile());
  }

  @Test
  void everyImageIsPinnedToAnExactVersion() {
    services
        .properties()
        .forEach(
            entry -> {
              String image = entry.getValue().path("image").asText("");
              String where = "service " + entry.getKey() + " image '" + image + "'";
              assertThat(image).as(where + ": every service runs a pinned image").isNotEmpty();
              assertThat(image).as(where + ": pin a tag, not a digest-less name").contains(":");
              String tag = tag(image);
              assertThat(tag)
                  .as(where + ": the tag must be an exact version like 1.2.3, not latest/major")
                  .matches(EXACT_VERSION);
            });
  }

  @Test
  void imagesAreTheOfficialOnesAtTheVersionsTheTestsRunAgainst() {
    OFFICIAL_IMAGES.forEach(
        (service, repository) ->
            assertThat(repository(image(service)))
                .as("service %s must run the official image %s", service, repository)
                .isEqualTo(repository));
    assertThat(tag(image("kafka")))
        .as("apache/kafka tag = kafka.version of the root pom")
        .isEqualTo(pomProperty("kafka.version"));
    assertThat(tag(image("connect")))
        .as("the Connect worker runs the broker's image (apache/kafka)")
        .isEqualTo(tag(image("kafka")));
    assertThat(tag(image("elasticsearch")))
        .as("elasticsearch tag = elasticsearch8.version of the root pom")
        .isEqualTo(pomProperty("elasticsearch8.version"));
    // zonky's binaries are versioned <major>.<minor>.<build>: the image tag is <major>.<minor>.
    String binaries = pomProperty("postgres17.binaries.version");
    assertThat(tag(image("postgres")))
        .as("postgres tag = PostgreSQL %s of the embedded binaries the tests use", binaries)
        .isEqualTo(binaries.substring(0, binaries.lastIndexOf('.')));
  }

  @Test
  void postgresRunsWithLogicalDecodingAndLoadsTheSampleSchema() {
    List<String> command = command("postgres");
    Map<String, String> settings = new HashMap<>();
    for (int i = 0; i + 1 < command.size(); i++) {
      if (command.get(i).equals("-c") && command.get(i + 1).contains("=")) {
        String[] setting = command.get(i + 1).split("=", 2);
        settings.put(setting[0], setting[1]);
      }
    }
    assertThat(settings.get("wal_level"))
        .as("postgres command needs '-c wal_level=logical' (Debezium's pgoutput): %s", command)
        .isEqualTo("logical");
    for (String key : List.of("max_replication_slots", "max_wal_senders")) {
      assertThat(settings.get(key))
          .as("postgres command needs '-c %s=<n>': %s", key, command)
          .matches("\\d+");
      assertThat(Integer.parseInt(settings.get(key)))
          .as("%s must allow the source connector and its examples", key)
          .isGreaterThanOrEqualTo(4);
    }
    Mount schema = mountAt("postgres", "/docker-entrypoint-initdb.d/shop.sql");
    assertThat(ROOT.resolve(schema.source()).normalize())
        .as("the postgres init script must be samples/shop.sql")
        .isEqualTo(ROOT.resolve("samples/shop.sql"))
        .isRegularFile();
  }

  @Test
  void registrationPointsAtTheComposeServices() {
    Map<String, String> env = environment("register-connectors");
    Map<String, String> postgres = environment("postgres");
    assertThat(env.get("PG_HOST"))
        .as("PG_HOST must name the postgres service")
        .isEqualTo("postgres");
    assertServiceListens("postgres", env.get("PG_PORT"), "PG_PORT");
    assertThat(env.get("PG_USER"))
        .as("PG_USER = postgres' POSTGRES_USER")
        .isEqualTo(postgres.get("POSTGRES_USER"));
    assertThat(env.get("PG_PASSWORD"))
        .as("PG_PASSWORD = postgres' POSTGRES_PASSWORD")
        .isEqualTo(postgres.get("POSTGRES_PASSWORD"));
    assertThat(env.get("PG_DATABASE"))
        .as("PG_DATABASE = postgres' POSTGRES_DB")
        .isEqualTo(postgres.get("POSTGRES_DB"));

    URI es = URI.create(env.getOrDefault("ES_URL", ""));
    assertThat(es.getHost())
        .as("ES_URL '%s' must name the elasticsearch service", es)
        .isEqualTo("elasticsearch");
    assertServiceListens("elasticsearch", String.valueOf(es.getPort()), "ES_URL's port");
    assertThat(environment("elasticsearch").get("xpack.security.enabled"))
        .as("ES_URL is plain http: elasticsearch needs xpack.security.enabled=false")
        .isEqualTo("false");

    URI connect = URI.create(env.getOrDefault("CONNECT_URL", ""));
    assertThat(connect.getHost())
        .as("CONNECT_URL '%s' must name the connect service", connect)
        .isEqualTo("connect");
    assertServiceListens("connect", String.valueOf(connect.getPort()), "CONNECT_URL's port");
    assertThat(URI.create(workerProperties().getProperty("listeners", "")).getPort())
        .as("the worker's REST listener port = CONNECT_URL's port")
        .isEqualTo(connect.getPort());
  }

  @Test
  void registersBothConnectConfigsWithEveryPlaceholderFilled() throws IOException {
    Map<String, String> env = environment("register-connectors");
    assertThat(List.of(env.getOrDefault("CONNECTOR_CONFIGS", "").trim().split("\\s+")))
        .as("register-connectors must POST exactly these connect-configs files, in this order")
        .isEqualTo(REGISTERED);
    Mount configs = mountAt("register-connectors", env.get("CONFIG_DIR"));
    assertThat(ROOT.resolve(configs.source()).normalize())
        .as("CONFIG_DIR must be where connect-configs/ is mounted")
        .isEqualTo(ROOT.resolve("connect-configs"));
    for (String file : REGISTERED) {
      // Fails naming any placeholder the service has no environment variable for.
      String body = ConnectConfigs.fill(ROOT.resolve("connect-configs").resolve(file), env);
      assertThat(new ObjectMapper().readTree(body).path("config").isObject())
          .as("%s filled with register-connectors' environment is a connector body", file)
          .isTrue();
    }

    List<String> entrypoint = list(service("register-connectors").path("entrypoint"));
    assertThat(entrypoint).as("register-connectors runs its script with sh").hasSize(2);
    Mount script = mountAt("register-connectors", entrypoint.get(1));
    assertThat(ROOT.resolve(script.source()).normalize())
        .as("the entrypoint script must be docker/register-connectors.sh")
        .isEqualTo(ROOT.resolve("docker/register-connectors.sh"))
        .isRegularFile();
    assertThat(Files.readString(ROOT.resolve(script.source())))
        .as("the script POSTs each file named in CONNECTOR_CONFIGS to /connectors")
        .contains("for file in $CONNECTOR_CONFIGS", "-X POST", "/connectors");
  }

  @Test
  void workerPropertiesHaveTheRequiredKeys() {
    Properties worker = workerProperties();
    Map<String, String> required = new LinkedHashMap<>();
    required.put("bootstrap.servers", "kafka:9092");
    required.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
    required.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
    required.put("value.converter.replace.null.with.default", "false");
    for (String store : List.of("config", "offset", "status")) {
      required.put(store + ".storage.replication.factor", "1");
    }
    required.forEach(
        (key, value) ->
            assertThat(worker.getProperty(key))
                .as("docker/connect-worker.properties: %s", key)
                .isEqualTo(value));
    for (String key :
        List.of(
            "group.id",
            "listeners",
            "config.storage.topic",
            "offset.storage.topic",
            "status.storage.topic",
            "plugin.path")) {
      assertThat(worker.getProperty(key, ""))
          .as("docker/connect-worker.properties needs a value for %s", key)
          .isNotBlank();
    }
    assertThat(environment("kafka").get("KAFKA_ADVERTISED_LISTENERS"))
        .as("bootstrap.servers kafka:9092 must be an advertised listener of the kafka service")
        .contains("://kafka:9092");
    assertThat(command("connect"))
        .as("the connect service runs connect-distributed.sh with the mounted properties")
        .containsExactly("/opt/kafka/bin/connect-distributed.sh", workerPropertiesTarget());
  }

  @Test
  void pluginPathHoldsTheArchiveDirectoriesTheBuildMakes() throws Exception {
    String pluginPath = workerProperties().getProperty("plugin.path", "");
    String owner =
        xpath(
            "/project/build/pluginManagement/plugins/plugin[artifactId='kafka-connect-maven-plugin']"
                + "/configuration/ownerUsername");
    String version = xpath("/project/version");
    List<String> expected = new ArrayList<>();
    for (String module : ARCHIVE_MODULES) {
      Document pom =
          DocumentBuilderFactory.newInstance()
              .newDocumentBuilder()
              .parse(ROOT.resolve(module).resolve("pom.xml").toFile());
      String artifactId =
          XPathFactory.newInstance().newXPath().evaluate("/project/artifactId", pom);
      expected.add(
          module + "/target/components/packages/" + owner + "-" + artifactId + "-" + version);
    }

    List<String> mounted = new ArrayList<>();
    for (Mount mount : mounts("connect")) {
      if (!mount.source().contains("/target/components/packages/")) {
        continue;
      }
      String source = Path.of(resolveVersion(mount.source())).normalize().toString();
      mounted.add(source);
      assertThat(Path.of(mount.target()).getParent().toString())
          .as("archive %s must be mounted directly under plugin.path %s", source, pluginPath)
          .isEqualTo(pluginPath);
      assertThat(mount.readOnly()).as("archive %s must be mounted read-only", source).isTrue();
    }
    assertThat(mounted)
        .as("the connect service must mount exactly the unpacked archives of %s", ARCHIVE_MODULES)
        .containsExactlyInAnyOrderElementsOf(expected);
    // The connector modules are built before e2e: their unpacked archives are what gets mounted.
    for (String archive : expected) {
      Path dir = ROOT.resolve(archive);
      Path root = dir.resolve(dir.getFileName());
      assertThat(dir)
          .as("%s is not there: the build makes it at package (./mvnw package -DskipTests)", dir)
          .isDirectory();
      assertThat(root.resolve("manifest.json"))
          .as("the unpacked archive %s holds <name>/manifest.json", dir)
          .isRegularFile();
      assertThat(root.resolve("lib"))
          .as("the unpacked archive %s holds <name>/lib", dir)
          .isDirectory();
    }
  }

  @Test
  void theProjectVersionIsOneVariableDefaultingToThePomVersion() throws Exception {
    String version = xpath("/project/version");
    Matcher matcher = VERSION_VARIABLE.matcher(composeText);
    int uses = 0;
    while (matcher.find()) {
      uses++;
      assertThat(matcher.group(1))
          .as("the default of ${PGSEARCH_VERSION:-...} must be the root pom's version")
          .isEqualTo(version);
    }
    assertThat(uses)
        .as("the archive directories are named with ${PGSEARCH_VERSION:-...}")
        .isEqualTo(ARCHIVE_MODULES.size());
    assertThat(VERSION_VARIABLE.matcher(composeText).replaceAll("").contains(version))
        .as("the version %s must appear only as ${PGSEARCH_VERSION:-%s}", version, version)
        .isFalse();
  }

  @Test
  void servicesStartInOrder() {
    Map<String, List<String>> order =
        Map.of(
            "connect", List.of("kafka"),
            "register-connectors", List.of("postgres", "elasticsearch", "connect"));
    order.forEach(
        (service, dependencies) -> {
          for (String dependency : dependencies) {
            assertThat(
                    service(service).path("depends_on").path(dependency).path("condition").asText())
                .as("%s must depend on %s with condition service_healthy", service, dependency)
                .isEqualTo("service_healthy");
            assertThat(service(dependency).path("healthcheck").path("test").isMissingNode())
                .as("%s needs a healthcheck: %s waits for it", dependency, service)
                .isFalse();
          }
        });
    assertThat(service("register-connectors").path("restart").asText())
        .as("register-connectors is a one-shot service: restart \"no\"")
        .isEqualTo("no");
  }

  @Test
  void theWorkerServesItsMetricsWithTheRepositoryRules() {
    String options = environment("connect").getOrDefault("KAFKA_OPTS", "");
    Matcher agent = Pattern.compile("-javaagent:(\\S+?)=(\\d+):(\\S+)").matcher(options);
    assertThat(agent.find())
        .as("KAFKA_OPTS of connect attaches the JMX exporter: %s", options)
        .isTrue();
    Mount jar = mountAt("connect", agent.group(1));
    assertThat(ROOT.resolve(jar.source()).normalize())
        .as("the agent is the jar dev-stack's build resolves, at the root pom's version")
        .isEqualTo(
            ROOT.resolve(
                "dev-stack/target/distributions/jmx_prometheus_javaagent-"
                    + pomProperty("jmx-exporter.version")
                    + ".jar"))
        .isRegularFile();
    Mount rules = mountAt("connect", agent.group(3));
    assertThat(ROOT.resolve(rules.source()).normalize())
        .as("the agent reads the repository's rules")
        .isEqualTo(ROOT.resolve("monitoring/jmx-exporter.yml"));
    assertThat(jar.readOnly() && rules.readOnly()).as("both mounted read-only").isTrue();
    assertServiceListens("connect", agent.group(2), "the exporter's port");
  }

  // --- helpers -------------------------------------------------------------------------------

  record Mount(String source, String target, boolean readOnly) {}

  static JsonNode service(String name) {
    JsonNode service = services.path(name);
    if (!service.isObject()) {
      fail("docker-compose.yml has no service '%s' (services: %s)", name, names(services));
    }
    return service;
  }

  static String image(String service) {
    return service(service).path("image").asText("");
  }

  static String tag(String image) {
    int colon = image.lastIndexOf(':');
    return colon > image.lastIndexOf('/') ? image.substring(colon + 1) : "";
  }

  static String repository(String image) {
    String tag = tag(image);
    return tag.isEmpty() ? image : image.substring(0, image.length() - tag.length() - 1);
  }

  static List<String> command(String service) {
    JsonNode command = service(service).path("command");
    return command.isTextual() ? List.of(command.asText().trim().split("\\s+")) : list(command);
  }

  static List<String> list(JsonNode node) {
    List<String> values = new ArrayList<>();
    node.forEach(value -> values.add(value.asText()));
    return values;
  }

  /** The environment of a service, map or list form, as strings. */
  static Map<String, String> environment(String service) {
    JsonNode env = service(service).path("environment");
    Map<String, String> values = new HashMap<>();
    if (env.isArray()) {
      env.forEach(
          entry -> {
            String[] pair = entry.asText().split("=", 2);
            values.put(pair[0], pair.length > 1 ? pair[1] : "");
          });
    } else {
      env.properties().forEach(entry -> values.put(entry.getKey(), entry.getValue().asText()));
    }
    return values;
  }

  /** Container ports of a service: targets of `ports` (short or long syntax) and `expose`. */
  static Set<String> containerPorts(String service) {
    Set<String> ports = new TreeSet<>();
    for (JsonNode port : service(service).path("ports")) {
      String target = port.isObject() ? port.path("target").asText() : port.asText();
      target = target.substring(target.lastIndexOf(':') + 1);
      ports.add(target.replaceFirst("/.*", ""));
    }
    service(service).path("expose").forEach(port -> ports.add(port.asText()));
    return ports;
  }

  static void assertServiceListens(String service, String port, String what) {
    assertThat(containerPorts(service))
        .as("%s %s must be a port the %s service publishes or exposes", what, port, service)
        .contains(port);
  }

  /** Volumes of a service, short (src:dst[:ro]) or long syntax. */
  static List<Mount> mounts(String service) {
    List<Mount> mounts = new ArrayList<>();
    for (JsonNode volume : service(service).path("volumes")) {
      if (volume.isObject()) {
        mounts.add(
            new Mount(
                volume.path("source").asText(),
                volume.path("target").asText(),
                volume.path("read_only").asBoolean(false)));
      } else {
        String[] parts = volume.asText().split(":");
        mounts.add(
            new Mount(
                parts[0],
                parts.length > 1 ? parts[1] : parts[0],
                parts.length > 2 && parts[2].contains("ro")));
      }
    }
    return mounts;
  }

  static Mount mountAt(String service, String target) {
    return mounts(service).stream()
        .filter(mount -> mount.target().equals(target))
        .findFirst()
        .orElseGet(
            () -> fail("service %s mounts nothing at %s: %s", service, target, mounts(service)));
  }

  static String workerPropertiesTarget() {
    return mounts("connect").stream()
        .map(Mount::target)
        .filter(target -> target.endsWith(".properties"))
        .findFirst()
        .orElseGet(() -> fail("the connect service mounts no worker .properties file"));
  }

  static Properties workerProperties() {
    Mount mount = mountAt("connect", workerPropertiesTarget());
    Path file = ROOT.resolve(mount.source()).normalize();
    assertThat(file)
        .as("the worker properties mounted into connect must be docker/connect-worker.properties")
        .isEqualTo(ROOT.resolve("docker/connect-worker.properties"))
        .isRegularFile();
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file)) {
      properties.load(reader);
    } catch (IOException e) {
      fail("Reading " + file, e);
    }
    return properties;
  }

  static String resolveVersion(String value) {
    return VERSION_VARIABLE
        .matcher(value)
        .replaceAll(match -> Matcher.quoteReplacement(match.group(1)));
  }

  static String pomProperty(String name) {
    String value = xpath("/project/properties/" + name);
    assertThat(value).as("root pom.xml property %s", name).isNotBlank();
    return value;
  }

  static String xpath(String expression) {
    try {
      return XPathFactory.newInstance().newXPath().evaluate(expression, rootPom).trim();
    } catch (Exception e) {
      return fail("root pom.xml: " + expression, e);
    }
  }

  static Set<String> names(JsonNode map) {
    Set<String> names = new TreeSet<>();
    map.fieldNames().forEachRemaining(names::add);
    return names;
  }
}

package io.pgsearch.connect.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsearch.connect.source.CapturePlan.CapturedTable;
import io.pgsearch.connect.source.PostgresCatalog.TableInfo;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DebeziumPropertiesTest {
  private static Map<String, String> userConfig() {
    Map<String, String> props = new HashMap<>();
    props.put("name", "Shop-Search");
    props.put("database.hostname", "db");
    props.put("database.user", "u");
    props.put("database.password", "p");
    props.put("database.dbname", "shop");
    props.put("topic.prefix", "shop");
    props.put("tables", "products");
    props.put("row.filter.public.products", "in_stock = true");
    props.put("document.catalogue", "{\"table\": \"public.products\"}");
    props.put("snapshot.fetch.size", "500");
    return props;
  }

  private static CapturePlan plan() {
    TableInfo products =
        new TableInfo(
            new TableName("public", "products"),
            List.of("id", "in_stock"),
            List.of("id"),
            'f',
            List.of(),
            true);
    TableInfo odd =
        new TableInfo(
            new TableName("public", "a.b"), List.of("id"), List.of("id"), 'd', List.of(), true);
    return new CapturePlan(
        List.of(
            new CapturedTable(products, "in_stock = true", false),
            new CapturedTable(odd, null, false)),
        List.of(),
        List.of());
  }

  @Test
  void theRootTablesOfDocumentsAreSnapshottedFirst() {
    Map<String, String> user = userConfig();
    user.put("tables", "*");
    user.remove("row.filter.public.products");
    user.put("document.catalogue", "{\"table\": \"public.orders\"}");
    List<CapturedTable> tables =
        java.util.stream.Stream.of("customers", "order_items", "orders", "products")
            .map(
                name ->
                    new CapturedTable(
                        new TableInfo(
                            new TableName("public", name),
                            List.of("id"),
                            List.of("id"),
                            'd',
                            List.of(),
                            true),
                        null,
                        false))
            .toList();
    // Debezium snapshots the tables in the order of the include list.
    assertThat(
            DebeziumProperties.forPlan(
                    new PostgresSourceConfig(user), new CapturePlan(tables, List.of(), List.of()))
                .get("table.include.list"))
        .isEqualTo("public\\.orders,public\\.customers,public\\.order_items,public\\.products");
  }

  @Test
  void ourDefaultsOurTranslationsAndEveryOtherKeyPassThrough() {
    Map<String, String> props =
        DebeziumProperties.forPlan(new PostgresSourceConfig(userConfig()), plan());
    assertThat(props)
        .containsEntry("plugin.name", "pgoutput")
        .containsEntry("slot.name", "pgsearch_shop_search")
        .containsEntry("publication.name", "pgsearch_shop_search")
        .containsEntry("publication.autocreate.mode", "disabled")
        .containsEntry("heartbeat.interval.ms", "10000")
        .containsEntry(
            "heartbeat.action.query", PostgresSourceConfig.DEFAULT_HEARTBEAT_ACTION_QUERY)
        .containsEntry("message.prefix.exclude.list", "pgsearch-heartbeat")
        .containsEntry("signal.data.collection", "public.pgsearch_shop_search_signal")
        .containsEntry("decimal.handling.mode", "precise")
        .containsEntry("time.precision.mode", "adaptive_time_microseconds")
        .containsEntry("tombstones.on.delete", "true")
        .containsEntry("table.include.list", "public\\.products,public\\.a\\.b")
        .containsEntry("snapshot.select.statement.overrides", "public.products")
        .containsEntry(
            "snapshot.select.statement.overrides.public.products",
            "SELECT * FROM \"public\".\"products\" WHERE (in_stock = true)")
        .containsEntry("snapshot.fetch.size", "500")
        .containsEntry(DocumentStage.TASK_PREFIX + "catalogue", "{\"table\": \"public.products\"}")
        .doesNotContainKeys(
            "tables", "schemas", "row.filter.public.products", "document.catalogue");
  }

  @Test
  void everyCapturedTableReselectsItsUnavailableToastValues() {
    Map<String, String> props =
        DebeziumProperties.forPlan(new PostgresSourceConfig(userConfig()), plan());
    assertThat(props)
        .containsEntry("post.processors", "pgsearchreselect")
        .containsEntry(
            "pgsearchreselect.type", "io.pgsearch.connect.source.UnchangedToastReselector")
        .containsEntry("pgsearchreselect.reselect.unavailable.values", "true")
        .containsEntry("pgsearchreselect.reselect.null.values", "false")
        .containsEntry("pgsearchreselect.reselect.use.event.key", "true")
        // Every table, filtered or not: no event leaves a column out.
        .containsEntry(
            "pgsearchreselect.reselect.columns.include.list",
            "public\\.products:.*,public\\.a\\.b:.*");
    Map<String, String> user = userConfig();
    user.put("post.processors", "");
    assertThat(DebeziumProperties.forPlan(new PostgresSourceConfig(user), plan()))
        .as("the user's own post.processors win")
        .doesNotContainKey("pgsearchreselect.type");
  }

  @Test
  void truncatesAreStreamedUnlessTheUserSkipsOperations() {
    Map<String, String> user = userConfig();
    assertThat(DebeziumProperties.base(new PostgresSourceConfig(user)))
        .containsEntry("skipped.operations", "none");
    user.put("skipped.operations", "t");
    assertThat(DebeziumProperties.base(new PostgresSourceConfig(user)))
        .containsEntry("skipped.operations", "t");
  }

  @Test
  void theTimestamptzConverterFollowsTheUsersConvertersOrIsTurnedOffByAnEmptyList() {
    Map<String, String> user = userConfig();
    String type = TimestamptzConverter.class.getName();
    assertThat(DebeziumProperties.base(new PostgresSourceConfig(user)))
        .containsEntry("converters", "pgsearchtimestamptz")
        .containsEntry("pgsearchtimestamptz.type", type);
    user.put("converters", "mine");
    user.put("mine.type", "com.example.Mine");
    assertThat(DebeziumProperties.base(new PostgresSourceConfig(user)))
        .as("a user's converters come first: the first to claim a column wins")
        .containsEntry("converters", "mine,pgsearchtimestamptz")
        .containsEntry("mine.type", "com.example.Mine")
        .containsEntry("pgsearchtimestamptz.type", type);
    user.put("converters", "pgsearchtimestamptz, mine");
    assertThat(DebeziumProperties.base(new PostgresSourceConfig(user)))
        .as("listed by the user: kept where the user put it, not twice")
        .containsEntry("converters", "pgsearchtimestamptz, mine");
    user.put("converters", " ");
    assertThat(DebeziumProperties.base(new PostgresSourceConfig(user)))
        .as("empty: no converter at all, Debezium's own conversion")
        .doesNotContainKeys("converters", "pgsearchtimestamptz.type");
  }

  @Test
  void theRowLimitIsHalfOfWhatKafkaTakesUnlessSet() {
    Map<String, String> user = userConfig();
    assertThat(DebeziumProperties.base(new PostgresSourceConfig(user)))
        .as("Kafka's defaults: 1 MiB")
        .containsEntry("pgsearch.task.row.max.bytes", "524288")
        .doesNotContainKey("row.max.bytes");
    user.put("producer.override.max.request.size", "16777216");
    user.put("topic.creation.default.max.message.bytes", "8388608");
    assertThat(DebeziumProperties.base(new PostgresSourceConfig(user)))
        .as("the smaller of the two, halved")
        .containsEntry("pgsearch.task.row.max.bytes", "4194304");
    user.put("row.max.bytes", "100000");
    assertThat(DebeziumProperties.base(new PostgresSourceConfig(user)))
        .containsEntry("pgsearch.task.row.max.bytes", "100000");
  }

  @Test
  void discoveredTablesReachTheTaskAsSnapshotRequests() {
    Map<TableName, NewTableSnapshots.Request> discovered =
        Map.of(
            new TableName("public", "reviews"),
            new NewTableSnapshots.Request("pgsearch-new-table-3", null));
    Map<String, String> user = userConfig();
    user.put("tables.discovery.interval.ms", "5000");
    Map<String, String> props =
        DebeziumProperties.forPlan(new PostgresSourceConfig(user), plan(), discovered);
    assertThat(NewTableSnapshots.readFrom(props::get))
        .containsExactly(
            new NewTableSnapshots.Entry("public.reviews", "pgsearch-new-table-3", null));
    assertThat(props).as("ours, not Debezium's").doesNotContainKey("tables.discovery.interval.ms");
  }

  @Test
  void anIncrementalLoadReadsNoDataInDebeziumAndHandsTheTaskEveryTableWithItsFilter() {
    Map<String, String> user = userConfig();
    user.put("initial.load", "incremental");
    Map<String, String> props = DebeziumProperties.forPlan(new PostgresSourceConfig(user), plan());
    assertThat(props).containsEntry("snapshot.mode", "no_data").doesNotContainKey("initial.load");
    assertThat(NewTableSnapshots.readFrom(IncrementalLoad.TASK_PREFIX, props::get))
        .as("the document's root first, as the blocking snapshot orders them")
        .containsExactly(
            new NewTableSnapshots.Entry(
                "public.products", IncrementalLoad.SIGNAL_ID_PREFIX, "in_stock = true"),
            new NewTableSnapshots.Entry("public.a.b", IncrementalLoad.SIGNAL_ID_PREFIX, null));
    assertThat(IncrementalLoad.configured(props::get)).isTrue();
  }

  @Test
  void theBlockingLoadIsTheDefaultAndLeavesTheSnapshotModeToDebezium() {
    Map<String, String> props =
        DebeziumProperties.forPlan(new PostgresSourceConfig(userConfig()), plan());
    assertThat(props).doesNotContainKey("snapshot.mode");
    assertThat(IncrementalLoad.configured(props::get)).isFalse();
    Map<String, String> user = userConfig();
    user.put("snapshot.mode", "when_needed");
    assertThat(DebeziumProperties.forPlan(new PostgresSourceConfig(user), plan()))
        .as("a user's own mode passes through")
        .containsEntry("snapshot.mode", "when_needed");
  }

  @Test
  void aCaAsPemTextBecomesPgjdbcsSingleCertFactoryWithFullVerification() {
    Map<String, String> user = userConfig();
    user.put("ssl.ca.pem", "-----BEGIN CERTIFICATE-----\nabc\n-----END CERTIFICATE-----\n");
    Map<String, String> props = DebeziumProperties.base(new PostgresSourceConfig(user));
    assertThat(props)
        .containsEntry("database.sslmode", "verify-full")
        .containsEntry("database.sslfactory", "org.postgresql.ssl.SingleCertValidatingFactory")
        .containsEntry(
            "database.sslfactoryarg", "-----BEGIN CERTIFICATE-----\nabc\n-----END CERTIFICATE-----")
        .doesNotContainKey("ssl.ca.pem");
  }

  @Test
  void anEmptyHeartbeatQueryDisablesItAndLeavesMessagesAlone() {
    Map<String, String> user = userConfig();
    user.put("heartbeat.action.query", "");
    Map<String, String> props = DebeziumProperties.base(new PostgresSourceConfig(user));
    assertThat(props).doesNotContainKeys("heartbeat.action.query", "message.prefix.exclude.list");
  }

  @Test
  void rangeColumnsCarryTheirSourceTypeUnlessTheUserChoseWhatToPropagate() {
    Map<String, String> props = DebeziumProperties.base(new PostgresSourceConfig(userConfig()));
    assertThat(props)
        .containsEntry(
            "datatype.propagate.source.type",
            ".+\\.int4range,.+\\.int8range,.+\\.numrange,.+\\.daterange,.+\\.tsrange,"
                + ".+\\.tstzrange");

    Map<String, String> ownDatatypes = userConfig();
    ownDatatypes.put("datatype.propagate.source.type", ".+\\.varchar");
    assertThat(DebeziumProperties.base(new PostgresSourceConfig(ownDatatypes)))
        .containsEntry("datatype.propagate.source.type", ".+\\.varchar");

    Map<String, String> ownColumns = userConfig();
    ownColumns.put("column.propagate.source.type", "public.products.id");
    assertThat(DebeziumProperties.base(new PostgresSourceConfig(ownColumns)))
        .containsEntry("column.propagate.source.type", "public.products.id")
        .doesNotContainKey("datatype.propagate.source.type");

    Map<String, String> off = userConfig();
    off.put("datatype.propagate.source.type", "");
    assertThat(DebeziumProperties.base(new PostgresSourceConfig(off)))
        .doesNotContainKey("datatype.propagate.source.type");
  }

  @Test
  void debeziumPollsEveryTwentyFiveMillisecondsUnlessTheUserSetsIt() {
    assertThat(DebeziumProperties.base(new PostgresSourceConfig(userConfig())))
        .containsEntry("poll.interval.ms", "25");
    Map<String, String> own = userConfig();
    own.put("poll.interval.ms", "1000");
    assertThat(DebeziumProperties.base(new PostgresSourceConfig(own)))
        .containsEntry("poll.interval.ms", "1000");
  }

  @Test
  void debeziumsContextHeadersAreOffUnlessTheUserTurnsThemOn() {
    assertThat(DebeziumProperties.base(new PostgresSourceConfig(userConfig())))
        .containsEntry("extended.headers.enabled", "false");
    Map<String, String> own = userConfig();
    own.put("extended.headers.enabled", "true");
    assertThat(DebeziumProperties.base(new PostgresSourceConfig(own)))
        .containsEntry("extended.headers.enabled", "true");
  }
}

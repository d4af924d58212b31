package io.pgsearch.connect.sink.rebuild;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgsearch.connect.sink.document.DocumentJson;
import io.pgsearch.connect.sink.index.IndexOwner;
import io.pgsearch.connect.sink.transport.SearchServerException;
import io.pgsearch.connect.sink.truncate.IndexMetaFloors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.connect.data.Schema;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RebuildsTest {
  private static final String ALIAS = "items";
  private static final String SOURCE = "public.items";
  private static final String REBUILD = "rebuild-20261126101500000000-0a1b2c3d";
  private static final String LATER = "rebuild-20261126111500000000-9f8e7d6c";

  private final FakeStore store = new FakeStore();
  private final AtomicLong clock = new AtomicLong();
  private final List<String> swapped = new ArrayList<>();

  @BeforeEach
  void liveFirstGeneration() {
    ObjectNode meta = DocumentJson.JSON.createObjectNode();
    meta.put(IndexOwner.META_KEY, SOURCE);
    meta.put(IndexMetaFloors.META_KEY, 41L);
    store
        .add("items-000001", meta)
        .putObject("aliases")
        .putObject(ALIAS)
        .put("is_write_index", true);
  }

  private static final String DEFINITION = Rebuilds.fingerprint("{}", "INFER");

  private Rebuilds rebuilds(boolean keepPrevious) {
    return new Rebuilds(store, DEFINITION, keepPrevious, swapped::add, clock::get);
  }

  @Test
  void theFirstRecordOfARebuildCreatesTheNextGenerationWithTheLiveOnesTableAndFloor()
      throws Exception {
    Rebuilds rebuilds = rebuilds(false);

    assertThat(rebuilds.building(ALIAS)).as("read once: none").isNull();
    assertThat(rebuilds.building(ALIAS)).isNull();
    assertThat(store.reads).isEqualTo(1);
    assertThat(rebuilds.target(ALIAS, REBUILD, null, SOURCE)).isEqualTo("items-000002");
    int reads = store.reads;
    assertThat(rebuilds.target(ALIAS, REBUILD, null, SOURCE)).isEqualTo("items-000002");
    assertThat(rebuilds.building(ALIAS)).isEqualTo("items-000002");
    assertThat(store.reads).as("the known generation is not read again").isEqualTo(reads);

    assertThat(store.created).containsExactly("items-000002");
    ObjectNode meta = store.createdMeta.get("items-000002");
    assertThat(meta.path(AliasGenerations.REBUILD_ID).asText()).isEqualTo(REBUILD);
    assertThat(meta.path(IndexMetaFloors.META_KEY).asLong()).isEqualTo(41L);
    assertThat(meta.path(AliasGenerations.DEFINITION).asText()).isEqualTo(DEFINITION);
    // the record's table goes into the definition as its owner
    assertThat(meta.has(IndexOwner.META_KEY)).isFalse();
  }

  @Test
  void aTaskStartedAfterItsPartitionsEndLearnsOfTheGenerationBeingBuiltAtItsFirstRecord()
      throws Exception {
    rebuilds(false).target(ALIAS, REBUILD, null, SOURCE);

    assertThat(rebuilds(false).building(ALIAS)).isEqualTo("items-000002");
  }

  @Test
  void aUserThatMayNotReadTheGenerationsWritesAsWithoutARebuild() throws Exception {
    store.forbidden = true;
    Rebuilds rebuilds = rebuilds(false);

    assertThat(rebuilds.building(ALIAS)).isNull();
    assertThat(rebuilds.building(ALIAS)).isNull();
    assertThat(store.reads).isEqualTo(1);
  }

  @Test
  void aGenerationAnotherTaskCreatedFirstIsUsed() throws Exception {
    store.createdElsewhere = true;

    assertThat(rebuilds(false).target(ALIAS, REBUILD, null, SOURCE)).isEqualTo("items-000002");
    assertThat(store.created).containsExactly("items-000002");
  }

  @Test
  void theLastPartitionsEndSwapsTheAliasAndThePreviousGenerationGoesOnceIdle() throws Exception {
    Rebuilds task0 = rebuilds(false);
    Rebuilds task1 = rebuilds(false);
    task0.target(ALIAS, REBUILD, null, SOURCE);

    task0.end(ALIAS, REBUILD, 0, 2, SOURCE);
    assertThat(store.live()).as("one partition still to come").isEqualTo("items-000001");
    task1.end(ALIAS, REBUILD, 1, 2, SOURCE);

    assertThat(store.live()).isEqualTo("items-000002");
    assertThat(store.aliasesOf("items-000002")).containsExactly(ALIAS); // markers gone
    assertThat(store.exists("items-000001")).as("kept while searches may use it").isTrue();
    assertThat(task1.target(ALIAS, REBUILD, null, SOURCE)).as("built: no second write").isNull();

    store.idle = false;
    clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(Rebuilds.RETIRE_AFTER_MS));
    assertThat(task1.retire()).as("a search runs on it").isTrue();
    assertThat(store.exists("items-000001")).isTrue();
    store.idle = true;
    clock.addAndGet(TimeUnit.SECONDS.toNanos(5));
    assertThat(task1.retire()).isFalse();
    assertThat(store.exists("items-000001")).isFalse();
  }

  @Test
  void aTaskLearnsOfASwapByAnotherWithinTheMaximumAge() throws Exception {
    Rebuilds task0 = rebuilds(false);
    Rebuilds task1 = rebuilds(false);
    task1.target(ALIAS, REBUILD, null, SOURCE);
    task0.end(ALIAS, REBUILD, 0, 1, SOURCE);

    assertThat(task1.building(ALIAS)).as("not yet read again").isEqualTo("items-000002");
    clock.addAndGet(Rebuilds.MAX_AGE_NANOS + 1);
    assertThat(task1.building(ALIAS)).isNull();
    assertThat(swapped).contains(ALIAS);
  }

  @Test
  void fingerprintsTellDefinitionsApart() {
    assertThat(Rebuilds.fingerprint("{}", "INFER"))
        .isEqualTo(DEFINITION)
        .hasSize(16)
        .isNotEqualTo(Rebuilds.fingerprint("{\"settings\": {}}", "INFER"))
        .isNotEqualTo(Rebuilds.fingerprint("{}", "DYNAMIC"));
  }

  @Test
  void aGenerationBuiltWithAnotherDefinitionIsStillSwappedIn() throws Exception {
    new Rebuilds(store, "older", false, swapped::add, clock::get)
        .target(ALIAS, REBUILD, null, SOURCE);

    rebuilds(false).end(ALIAS, REBUILD, 0, 1, SOURCE);

    assertThat(store.live()).isEqualTo("items-000002");
  }

  @Test
  void keptPreviousGenerationsStay() throws Exception {
    Rebuilds rebuilds = rebuilds(true);
    rebuilds.end(ALIAS, REBUILD, 0, 1, SOURCE);

    clock.addAndGet(TimeUnit.MINUTES.toNanos(10));
    assertThat(rebuilds.retire()).isFalse();
    assertThat(store.live()).isEqualTo("items-000002");
    assertThat(store.exists("items-000001")).isTrue();
    assertThat(store.aliasesOf("items-000001")).isEmpty();
  }

  @Test
  void anEndWithoutAnyRecordBeforeItStillBuildsAndSwaps() throws Exception {
    rebuilds(false).end(ALIAS, REBUILD, 0, 1, SOURCE);

    assertThat(store.live()).isEqualTo("items-000002");
  }

  @Test
  void aRecordOfAnOlderRebuildGoesToTheNewerOneBeingBuilt() throws Exception {
    Rebuilds rebuilds = rebuilds(false);
    rebuilds.target(ALIAS, LATER, null, SOURCE);

    assertThat(rebuilds.target(ALIAS, REBUILD, null, SOURCE)).isEqualTo("items-000002");
    assertThat(store.created).containsExactly("items-000002");
  }

  @Test
  void aLaterRebuildBuildsTheGenerationAfterTheOneAnEarlierBuilt() throws Exception {
    Rebuilds rebuilds = rebuilds(false);
    rebuilds.end(ALIAS, REBUILD, 0, 1, SOURCE);

    assertThat(rebuilds.target(ALIAS, LATER, null, SOURCE)).isEqualTo("items-000003");
  }

  @Test
  void aNameThatIsNoAliasOfGenerationsIsWrittenAsUsual() throws Exception {
    Rebuilds rebuilds = rebuilds(false);

    assertThat(rebuilds.target("legacy", REBUILD, null, SOURCE)).isNull();
    rebuilds.end("legacy", REBUILD, 0, 1, SOURCE);
    assertThat(store.created).isEmpty();
  }

  /** The generations as a server would keep them, read back through {@link AliasGenerations}. */
  private static final class FakeStore implements GenerationStore {
    final Map<String, ObjectNode> indexes = new TreeMap<>();
    final List<String> created = new ArrayList<>();
    final Map<String, ObjectNode> createdMeta = new TreeMap<>();
    boolean createdElsewhere;
    boolean idle = true;
    boolean forbidden;
    int reads;

    ObjectNode add(String index, ObjectNode meta) {
      ObjectNode node = DocumentJson.JSON.createObjectNode();
      node.putObject("mappings").set("_meta", meta);
      indexes.put(index, node);
      return node;
    }

    boolean exists(String index) {
      return indexes.containsKey(index);
    }

    List<String> aliasesOf(String index) {
      List<String> names = new ArrayList<>();
      indexes.get(index).path("aliases").fieldNames().forEachRemaining(names::add);
      return names;
    }

    String live() {
      return indexes.keySet().stream()
          .filter(index -> aliasesOf(index).contains(ALIAS))
          .findFirst()
          .orElse(null);
    }

    private ObjectNode aliases(String index) {
      ObjectNode node = indexes.get(index);
      return node.get("aliases") instanceof ObjectNode aliases
          ? aliases
          : node.putObject("aliases");
    }

    @Override
    public AliasGenerations read(String alias) {
      reads++;
      if (forbidden) {
        throw new SearchServerException(
            "GET /items", 403, "security_exception", "no view_index_metadata");
      }
      ObjectNode response = DocumentJson.JSON.createObjectNode();
      indexes.forEach(
          (name, node) -> {
            if (name.startsWith(alias + "-")) {
              response.set(name, node.deepCopy());
            }
          });
      return AliasGenerations.parse(alias, response);
    }

    @Override
    public boolean create(
        String alias, String generation, Schema valueSchema, String source, Map<String, ?> meta) {
      if (createdElsewhere) {
        createdElsewhere = false;
        create(alias, generation, valueSchema, source, meta);
        return false;
      }
      if (exists(generation)) {
        return false;
      }
      created.add(generation);
      ObjectNode node = DocumentJson.JSON.valueToTree(meta);
      createdMeta.put(generation, node);
      add(generation, node.deepCopy());
      return true;
    }

    @Override
    public void markCaughtUp(String generation, int partition) {
      aliases(generation).putObject(AliasGenerations.caughtUpAlias(generation, partition));
    }

    @Override
    public void swap(AliasGenerations state) {
      aliases(state.live()).remove(state.alias());
      state.building().markers().forEach(aliases(state.building().index())::remove);
      aliases(state.building().index()).putObject(state.alias()).put("is_write_index", true);
    }

    @Override
    public boolean idle(String index) {
      return idle;
    }

    @Override
    public void delete(String index) {
      indexes.remove(index);
    }
  }
}

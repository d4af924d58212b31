package io.pgsearch.connect.sink.rebuild;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgsearch.connect.sink.document.DocumentJson;
import org.junit.jupiter.api.Test;

class AliasGenerationsTest {
  private static JsonNode json(String text) throws Exception {
    return DocumentJson.JSON.readTree(text.replace('\'', '"'));
  }

  @Test
  void readsTheLiveAndTheBuildingGenerationAndTheCaughtUpPartitions() throws Exception {
    AliasGenerations state =
        AliasGenerations.parse(
            "items",
            json(
                "{'items-000001': {'aliases': {'items': {'is_write_index': true}},"
                    + " 'mappings': {'_meta': {'pgsearch_table': 'public.items'}}},"
                    + " 'items-000002': {'aliases': {'items-000002-rebuild-caught-up-1': {}},"
                    + " 'mappings': {'_meta': {'pgsearch_rebuild_id': 'rebuild-2'}}},"
                    + " 'items-archive-000001': {'aliases': {'items-archive': {}}}}"));

    assertThat(state.live()).isEqualTo("items-000001");
    assertThat(state.liveRebuildId()).isNull();
    assertThat(state.building().index()).isEqualTo("items-000002");
    assertThat(state.building().id()).isEqualTo("rebuild-2");
    assertThat(state.building().caughtUp()).containsExactly(1);
    assertThat(state.building().complete(2)).isFalse();
    assertThat(state.building().complete(1)).isFalse();
    assertThat(state.highest()).isEqualTo(2);
    assertThat(state.previous()).isEmpty();
  }

  @Test
  void aGenerationLeftByAnOvertakenRebuildIsNoneBeingBuiltButAPreviousOne() throws Exception {
    AliasGenerations state =
        AliasGenerations.parse(
            "items",
            json(
                "{'items-000001': {'mappings': {}},"
                    + " 'items-000002': {'aliases': {'items-000002-rebuild-caught-up-0': {}},"
                    + " 'mappings': {'_meta': {'pgsearch_rebuild_id': 'rebuild-2'}}},"
                    + " 'items-000003': {'aliases': {'items': {'is_write_index': true}},"
                    + " 'mappings': {'_meta': {'pgsearch_rebuild_id': 'rebuild-3'}}}}"));

    assertThat(state.live()).isEqualTo("items-000003");
    assertThat(state.builtBy("rebuild-2")).isTrue();
    assertThat(state.builtBy("rebuild-3")).isTrue();
    assertThat(state.builtBy("rebuild-4")).isFalse();
    assertThat(state.building()).isNull();
    assertThat(state.previous()).containsExactlyInAnyOrder("items-000001", "items-000002");
  }

  @Test
  void aConcreteIndexOfTheNameIsNoAliasOfGenerations() throws Exception {
    AliasGenerations state =
        AliasGenerations.parse("items", json("{'items': {'aliases': {}, 'mappings': {}}}"));

    assertThat(state.live()).isNull();
    assertThat(state.highest()).isZero();
  }
}

package io.pgsearch.connect.sink.rebuild;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgsearch.connect.sink.document.DocumentJson;
import io.pgsearch.connect.sink.index.IndexGenerations;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the server holds for one index name: the live generation its alias points to, the generation
 * a rebuild is filling (the one with the highest rebuild id outside the alias), and the partitions
 * whose rebuild end that generation has taken ({@link #caughtUpAlias marker aliases}, one per
 * partition: aliases are added atomically, so two tasks never overwrite each other's).
 *
 * @param live the concrete index behind the alias, or null when the name is no alias of generations
 *     (a concrete index made by other means, or nothing)
 * @param liveMeta the live generation's {@code _meta}
 * @param liveRebuildId the rebuild that built the live generation, or null
 * @param building the generation being built, or null
 * @param highest the highest generation number that exists
 * @param previous generations older than the live one that nothing points at any more: replaced by
 *     a rebuild, or left by one that a later rebuild overtook
 */
record AliasGenerations(
    String alias,
    String live,
    ObjectNode liveMeta,
    String liveRebuildId,
    Building building,
    int highest,
    List<String> previous) {

  /** The {@code _meta} key of the rebuild that built a generation. */
  static final String REBUILD_ID = "pgsearch_rebuild_id";

  /** The {@code _meta} key of the fingerprint of the definition a generation was created with. */
  static final String DEFINITION = "pgsearch_definition";

  /**
   * A generation being built.
   *
   * @param markers the marker aliases it carries
   * @param caughtUp the partitions whose rebuild end it took
   * @param definition the fingerprint of the definition it was created with, or null
   */
  record Building(
      String index,
      String id,
      List<String> markers,
      Set<Integer> caughtUp,
      int aliasCount,
      String definition) {
    boolean complete(int partitions) {
      for (int partition = 0; partition < partitions; partition++) {
        if (!caughtUp.contains(partition)) {
          return false;
        }
      }
      return true;
    }
  }

  /** The alias marking that {@code generation} took the rebuild end of a partition. */
  static String caughtUpAlias(String generation, int partition) {
    return generation + MARKER + partition;
  }

  private static final String MARKER = "-rebuild-caught-up-";

  /** The generation being built, or null. */
  String buildingIndex() {
    return building == null ? null : building.index();
  }

  /** Whether the live generation was built by this rebuild or a later one. */
  boolean builtBy(String id) {
    return liveRebuildId != null && liveRebuildId.compareTo(id) >= 0;
  }

  /**
   * Reads the answer to {@code GET /<alias>,<alias>-*} with {@code filter_path=*.aliases,
   * *.mappings._meta}: each concrete index with its aliases and {@code _meta}.
   */
  static AliasGenerations parse(String alias, JsonNode response) {
    String live = null;
    ObjectNode liveMeta = DocumentJson.JSON.createObjectNode();
    Building building = null;
    int highest = 0;
    List<Building> others = new ArrayList<>();
    var indexes = response.fields();
    while (indexes.hasNext()) {
      var index = indexes.next();
      String name = index.getKey();
      int number = IndexGenerations.number(alias, name);
      if (number == 0) {
        continue; // the name itself as a concrete index, or another name matching the pattern
      }
      highest = Math.max(highest, number);
      List<String> aliases = new ArrayList<>();
      index.getValue().path("aliases").fieldNames().forEachRemaining(aliases::add);
      JsonNode meta = index.getValue().path("mappings").path("_meta");
      String rebuildId = meta.path(REBUILD_ID).isTextual() ? meta.get(REBUILD_ID).asText() : null;
      if (aliases.contains(alias)) {
        boolean writeIndex =
            index.getValue().path("aliases").path(alias).path("is_write_index").asBoolean(false);
        if (live == null || writeIndex) {
          live = name;
          liveMeta = meta instanceof ObjectNode object ? object : liveMeta;
        }
      } else {
        Building other = building(name, rebuildId, aliases, meta.path(DEFINITION).asText(null));
        others.add(other);
        if (rebuildId != null && (building == null || rebuildId.compareTo(building.id()) > 0)) {
          building = other;
        }
      }
    }
    String liveRebuildId =
        liveMeta.path(REBUILD_ID).isTextual() ? liveMeta.get(REBUILD_ID).asText() : null;
    if (building != null && liveRebuildId != null && liveRebuildId.compareTo(building.id()) >= 0) {
      building = null; // left by an older rebuild that a later one overtook
    }
    List<String> previous = new ArrayList<>();
    int liveNumber = live == null ? 0 : IndexGenerations.number(alias, live);
    for (Building other : others) {
      if (other != building
          && other.aliasCount() == other.markers().size()
          && IndexGenerations.number(alias, other.index()) < liveNumber) {
        previous.add(other.index());
      }
    }
    return new AliasGenerations(
        alias, live, liveMeta, liveRebuildId, building, highest, List.copyOf(previous));
  }

  private static Building building(
      String name, String id, List<String> aliases, String definition) {
    List<String> markers = new ArrayList<>();
    Set<Integer> caughtUp = new HashSet<>();
    String prefix = name + MARKER;
    for (String alias : aliases) {
      if (alias.startsWith(prefix)) {
        try {
          caughtUp.add(Integer.parseInt(alias.substring(prefix.length())));
          markers.add(alias);
        } catch (NumberFormatException e) {
          // not one of ours
        }
      }
    }
    return new Building(name, id, markers, caughtUp, aliases.size(), definition);
  }
}

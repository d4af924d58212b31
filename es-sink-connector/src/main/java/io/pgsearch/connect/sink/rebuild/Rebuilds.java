package io.pgsearch.connect.sink.rebuild;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgsearch.connect.sink.document.DocumentJson;
import io.pgsearch.connect.sink.index.IndexGenerations;
import io.pgsearch.connect.sink.index.IndexOwner;
import io.pgsearch.connect.sink.transport.SearchServerException;
import io.pgsearch.connect.sink.truncate.IndexMetaFloors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.apache.kafka.connect.data.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds of indexes into a new generation, as one task takes part in them. A record of a table
 * being rebuilt (header {@code pgsearch.rebuild}) goes to the generation being built as well as to
 * the live one, the first such record creating it with the definition configured now; any other
 * record of the index goes to both too while this task knows of the rebuild, so that nothing
 * written after a row was read by the rebuild misses the new generation. A rebuild's end, once
 * every earlier record of its partition is applied, marks the partition caught up; the task that
 * marks the last partition swaps the alias.
 *
 * <p>Why this is enough: a row's read by the rebuild comes after the rebuild's start in the row's
 * partition, and every later change of the row after the read. Up to the rebuild's end every record
 * of the table carries the rebuild, and the end itself goes to every partition, so a task knows the
 * generation before it writes anything the read does not cover: from a record of the rebuild, from
 * the end (taken in as it is mapped, before the records after it), or, for a task started after its
 * partition's end, from its first reading of the index's generations. The live generation can only
 * lose its alias once every partition's records up to the rebuild's end are in the new one.
 *
 * <p>Used on the task's thread only.
 */
public final class Rebuilds {
  private static final Logger log = LoggerFactory.getLogger(Rebuilds.class);

  /**
   * How old a reading of an index's generations may be while a rebuild of it is known: a swap made
   * by another task is seen within it, and writes stop going to both generations.
   */
  static final long MAX_AGE_NANOS = TimeUnit.SECONDS.toNanos(5);

  /**
   * How long a replaced generation stays after the swap before it is deleted, and then only once no
   * search runs on it: searches that resolved the alias just before the swap finish on it.
   */
  public static final long RETIRE_AFTER_MS = 30_000;

  private static final long RETIRE_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(RETIRE_AFTER_MS);

  /** How soon a replaced generation still in use (or not deletable yet) is looked at again. */
  private static final long RETIRE_RETRY_NANOS = TimeUnit.SECONDS.toNanos(5);

  private final GenerationStore store;
  private final String definition;
  private final boolean keepPrevious;
  private final Consumer<String> swapped;
  private final LongSupplier nanoClock;
  private final Map<String, Known> known = new HashMap<>();
  private final Set<String> warned = new HashSet<>();
  private final Map<String, Long> retiring = new LinkedHashMap<>();

  /**
   * @param definition the fingerprint of the index definition this task runs ({@link
   *     #fingerprint}), recorded in each generation it creates
   * @param swapped told the name of an index whose alias now points at a new generation
   */
  public Rebuilds(
      GenerationStore store,
      String definition,
      boolean keepPrevious,
      Consumer<String> swapped,
      LongSupplier clock) {
    this.store = store;
    this.definition = definition;
    this.keepPrevious = keepPrevious;
    this.swapped = swapped;
    this.nanoClock = clock;
  }

  private record Known(AliasGenerations state, long readAtNanos) {}

  /**
   * The generation a record of rebuild {@code id} of {@code alias} also goes to, created if it is
   * not yet; null when there is none: the live generation was built by this rebuild or a later one,
   * or the name is no alias of generations.
   */
  public String target(String alias, String id, Schema valueSchema, String source)
      throws IOException {
    Known cached = known.get(alias);
    if (cached != null) {
      String decided = decided(cached.state(), id);
      if (decided != null || cached.state().builtBy(id)) {
        return decided;
      }
    }
    for (int attempt = 0; attempt < 3; attempt++) {
      AliasGenerations state = read(alias);
      if (state.live() == null) {
        warnNotRebuildable(alias, id);
        return null;
      }
      if (state.builtBy(id)) {
        return null;
      }
      String decided = decided(state, id);
      if (decided != null) {
        return decided;
      }
      String generation = IndexGenerations.name(alias, state.highest() + 1);
      if (store.create(alias, generation, valueSchema, source, meta(state, id, source))) {
        log.info(
            "Rebuild {} of index {}: building generation {} beside {}",
            id,
            alias,
            generation,
            state.live());
      }
    }
    throw new IOException("The generation of rebuild " + id + " of " + alias + " was not found");
  }

  /**
   * The generation being built that this task knows of for {@code alias} (read again when older
   * than {@link #MAX_AGE_NANOS}), or null.
   */
  public String building(String alias) throws IOException {
    Known cached = known.get(alias);
    if (cached == null) {
      // Once per index and task start: a task started after a rebuild's end in its partitions was
      // applied sees no more of its records, and must still write the generation being built.
      return firstRead(alias).buildingIndex();
    }
    if (cached.state().building() != null
        && nanoClock.getAsLong() - cached.readAtNanos() > MAX_AGE_NANOS) {
      return read(alias).buildingIndex();
    }
    return cached.state().buildingIndex();
  }

  /**
   * The first reading of an index's generations. A user that may not read them cannot rebuild: the
   * index is then taken for one without a rebuild, with a warning.
   */
  private AliasGenerations firstRead(String alias) throws IOException {
    try {
      return read(alias);
    } catch (SearchServerException e) {
      if (!e.isForbidden()) {
        throw e;
      }
      log.warn(
          "The sink's user may not read the generations of index {} ({}): a rebuild of it cannot"
              + " be applied. Grant view_index_metadata and manage on {} and {}-*",
          alias,
          e.type(),
          alias,
          alias);
      AliasGenerations none =
          new AliasGenerations(
              alias, null, DocumentJson.JSON.createObjectNode(), null, null, 0, List.of());
      known.put(alias, new Known(none, nanoClock.getAsLong()));
      return none;
    }
  }

  /**
   * Marks {@code partition} caught up for rebuild {@code id}: every earlier record of it is
   * applied. Swaps the alias when it was the last partition. Returns normally once the end is
   * applied (or moot: the rebuild was overtaken, or the name is no alias of generations).
   */
  public void end(String alias, String id, int partition, int partitions, String source)
      throws IOException {
    String generation = target(alias, id, null, source);
    if (generation == null) {
      return;
    }
    AliasGenerations state = read(alias);
    if (!generation.equals(state.buildingIndex())) {
      return; // swapped by another task since
    }
    if (!state.building().caughtUp().contains(partition)) {
      store.markCaughtUp(generation, partition);
      state = read(alias);
    }
    if (state.building() == null
        || !state.building().id().equals(id)
        || !state.building().complete(partitions)) {
      return; // swapped by another task meanwhile, or partitions still to come
    }
    String builtWith = state.building().definition();
    if (builtWith != null && !builtWith.equals(definition)) {
      log.warn(
          "Rebuild {} of index {}: {} was created by a task running another index definition than"
              + " this task's (the sink's config changed during the rebuild, or its tasks were not"
              + " restarted after the change). It takes the alias as built; run the rebuild again"
              + " to apply the definition configured now",
          id,
          alias,
          state.building().index());
    }
    try {
      store.swap(state);
    } catch (IOException e) {
      AliasGenerations now = read(alias);
      if (!now.builtBy(id)) {
        throw e;
      }
      return; // another task swapped it first
    }
    log.info(
        "Rebuild {} of index {}: {} caught up in all {} partition(s); the alias now points at it"
            + " ({} {})",
        id,
        alias,
        state.building().index(),
        partitions,
        state.live(),
        keepPrevious
            ? "kept, without the alias"
            : "deleted in " + RETIRE_AFTER_MS / 1000 + " s, once no search runs on it");
    read(alias);
  }

  /**
   * Deletes the replaced generations that are due and that no search uses; true while some wait.
   */
  public boolean retire() {
    long now = nanoClock.getAsLong();
    var each = retiring.entrySet().iterator();
    while (each.hasNext()) {
      var entry = each.next();
      if (now - entry.getValue() < 0) {
        continue;
      }
      try {
        if (store.idle(entry.getKey())) {
          store.delete(entry.getKey());
          log.info("Deleted {}, the generation a rebuild replaced", entry.getKey());
          each.remove();
        } else {
          entry.setValue(now + RETIRE_RETRY_NANOS);
        }
      } catch (IOException | RuntimeException e) {
        entry.setValue(now + RETIRE_RETRY_NANOS);
        log.warn(
            "Could not delete {}, which a rebuild replaced, yet: {}", entry.getKey(), e.toString());
      }
    }
    return !retiring.isEmpty();
  }

  /** The generation being built by {@code id} or a later rebuild, or null. */
  private static String decided(AliasGenerations state, String id) {
    AliasGenerations.Building building = state.building();
    return building != null && building.id().compareTo(id) >= 0 ? building.index() : null;
  }

  private AliasGenerations read(String alias) throws IOException {
    AliasGenerations state = store.read(alias);
    if (!keepPrevious) {
      long due = nanoClock.getAsLong() + RETIRE_AFTER_NANOS;
      state.previous().forEach(previous -> retiring.putIfAbsent(previous, due));
    }
    Known before = known.put(alias, new Known(state, nanoClock.getAsLong()));
    if (before != null
        && before.state().live() != null
        && state.live() != null
        && !before.state().live().equals(state.live())) {
      swapped.accept(alias);
    }
    return state;
  }

  /**
   * The new generation's {@code _meta}: the rebuild, and what the live one records of the table
   * (which table it holds, and its last TRUNCATE, so no older write lands in the new one either).
   */
  private Map<String, Object> meta(AliasGenerations state, String id, String source) {
    Map<String, Object> meta = new LinkedHashMap<>();
    for (String key : new String[] {IndexOwner.META_KEY, IndexMetaFloors.META_KEY}) {
      JsonNode value = state.liveMeta().get(key);
      if (value != null && !(key.equals(IndexOwner.META_KEY) && source != null)) {
        meta.put(key, value);
      }
    }
    meta.put(AliasGenerations.REBUILD_ID, id);
    meta.put(AliasGenerations.DEFINITION, definition);
    return meta;
  }

  /**
   * A short fingerprint of an index definition: the configured JSON (null when none) and the
   * mapping mode, so two tasks can tell whether they create indexes alike.
   */
  public static String fingerprint(String definitionJson, String mode) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(
                  (mode + "\n" + (definitionJson == null ? "" : definitionJson))
                      .getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private void warnNotRebuildable(String alias, String id) {
    if (warned.add(alias + "\n" + id)) {
      log.warn(
          "Rebuild {} of index {} is not applied: {} is not an alias of generations ({}-000001…)"
              + " but a concrete index made by other means or an older version of the sink, so"
              + " it cannot be swapped. Its records are written to it as usual. To rebuild it,"
              + " delete it and re-sync the table: the sink then creates it as generations",
          id,
          alias,
          alias,
          alias);
    }
  }
}

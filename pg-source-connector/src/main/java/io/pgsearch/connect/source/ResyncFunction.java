package io.pgsearch.connect.source;

import io.pgsearch.connect.source.CapturePlan.CapturedTable;
import java.util.List;

/**
 * The SQL functions that ask for a re-sync or a rebuild: each inserts a Debezium {@code
 * execute-snapshot} signal (an incremental snapshot, streaming continues) into the signal table,
 * with each table's row filter as the snapshot's {@code additional-conditions}, so a re-sync never
 * emits rows the filter excludes. Users call {@code SELECT <schema>.pgsearch_<connector>_resync()}
 * for every captured table, or pass table names; {@code _rebuild} does the same with a signal id
 * that marks the snapshot as a rebuild ({@link RebuildStamp}).
 */
final class ResyncFunction {
  /** What a function asks for: the signal ids it writes, and how its errors name it. */
  enum Kind {
    RESYNC("re-sync", "'resync-' || gen_random_uuid()::text"),
    /**
     * Ids that sort in the order the rebuilds were asked for: the sink tells an old rebuild's late
     * records from a newer rebuild's by them.
     */
    REBUILD(
        "rebuild",
        "'"
            + RebuildStamp.ID_PREFIX
            + "' || to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYYMMDDHH24MISSUS')"
            + " || '-' || left(gen_random_uuid()::text, 8)");

    private final String noun;
    private final String idExpression;

    Kind(String noun, String idExpression) {
      this.noun = noun;
      this.idExpression = idExpression;
    }
  }

  private ResyncFunction() {}

  static String createSql(TableName function, TableName signal, List<CapturedTable> captured) {
    return createSql(Kind.RESYNC, function, signal, captured);
  }

  static String createSql(
      Kind kind, TableName function, TableName signal, List<CapturedTable> captured) {
    StringBuilder tables = new StringBuilder("[");
    for (CapturedTable table : captured) {
      if (tables.length() > 1) {
        tables.append(',');
      }
      tables.append("{\"table\":").append(json(table.name().toString()));
      if (table.filter() != null) {
        tables.append(",\"filter\":").append(json(table.filter()));
      }
      tables.append('}');
    }
    tables.append(']');
    String capturedLiteral = "'" + tables.toString().replace("'", "''") + "'::jsonb";
    return "CREATE OR REPLACE FUNCTION "
        + function.quoted()
        + "(VARIADIC tables text[] DEFAULT ARRAY['*']) RETURNS text LANGUAGE plpgsql AS"
        + " $pgsearch$\n"
        + "DECLARE\n"
        + "  captured jsonb := "
        + capturedLiteral
        + ";\n"
        + "  chosen jsonb;\n"
        + "  signal_id text := "
        + kind.idExpression
        + ";\n"
        + "BEGIN\n"
        + "  SELECT jsonb_agg(c) INTO chosen FROM jsonb_array_elements(captured) c\n"
        + "    WHERE tables = ARRAY['*'] OR c->>'table' = ANY(tables);\n"
        + "  IF tables <> ARRAY['*'] AND coalesce(jsonb_array_length(chosen), 0)"
        + " <> cardinality(tables) THEN\n"
        + "    RAISE EXCEPTION 'pgsearch: "
        + kind.noun
        + " of % refused: captured tables are %', tables,\n"
        + "      (SELECT string_agg(c->>'table', ', ') FROM jsonb_array_elements(captured) c);\n"
        + "  END IF;\n"
        + "  INSERT INTO "
        + signal.quoted()
        + " (id, type, data) VALUES (signal_id, 'execute-snapshot', jsonb_build_object(\n"
        + "    'type', 'incremental',\n"
        + "    'data-collections', (SELECT jsonb_agg(c->>'table') FROM"
        + " jsonb_array_elements(chosen) c),\n"
        + "    'additional-conditions', (SELECT coalesce(jsonb_agg(jsonb_build_object("
        + "'data-collection', c->>'table', 'filter', c->>'filter')), '[]'::jsonb)\n"
        + "      FROM jsonb_array_elements(chosen) c WHERE c->>'filter' IS NOT NULL))::text);\n"
        + "  RETURN signal_id;\n"
        + "END\n"
        + "$pgsearch$";
  }

  static String json(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}

package io.pgsearch.connect.convergence;

import java.util.Locale;

/**
 * How a column's value is compared with its document field: the normalised form both sides are
 * reduced to. Chosen from the column's PostgreSQL type; arrays and range bounds use the kind of
 * their element type.
 */
enum ValueKind {
  /** Integers, numeric, money: exact decimal value, so {@code 2.50} equals {@code 2.5}. */
  NUMBER,
  /** real: the float value, whatever digits a serializer chose. */
  REAL,
  /** double precision. */
  DOUBLE,
  BOOLEAN,
  /** timestamptz: the instant, whatever the offset written. */
  INSTANT,
  /** timestamp without time zone. */
  LOCAL_DATE_TIME,
  DATE,
  TIME,
  /** timetz: the time of day in UTC. */
  OFFSET_TIME,
  /** interval: Debezium's ISO-8601 duration (30.4375-day months) or ISO-8601 period. */
  INTERVAL,
  /** json, jsonb: deep equality, numbers by exact value, key order ignored. */
  JSON,
  /** bytea: the bytes, from base64. */
  BASE64,
  /** Everything else (text, varchar, char, uuid, enums, inet, xml...): the text. */
  TEXT;

  /** The kind of a base (non-array, non-range) type, by its {@code pg_type.typname}. */
  static ValueKind ofType(String typeName) {
    switch (typeName.toLowerCase(Locale.ROOT)) {
      case "int2":
      case "int4":
      case "int8":
      case "numeric":
      case "money":
      case "oid":
      case "point":
        return NUMBER;
      case "float4":
        return REAL;
      case "float8":
        return DOUBLE;
      case "bool":
        return BOOLEAN;
      case "timestamptz":
        return INSTANT;
      case "timestamp":
        return LOCAL_DATE_TIME;
      case "date":
        return DATE;
      case "time":
        return TIME;
      case "timetz":
        return OFFSET_TIME;
      case "interval":
        return INTERVAL;
      case "json":
      case "jsonb":
        return JSON;
      case "bytea":
        return BASE64;
      default:
        return TEXT;
    }
  }
}

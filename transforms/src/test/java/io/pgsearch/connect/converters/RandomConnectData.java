package io.pgsearch.connect.converters;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;

/**
 * Schemas and values drawn from a seeded {@link Random}: every Connect type and logical type,
 * nesting, optional fields, defaults, names, versions, docs and parameters. Floats are finite
 * (non-finite ones are a documented difference from JsonConverter).
 */
final class RandomConnectData {
  private static final String[] NAMES = {
    "id", "name", "price", "a", "b_c", "\u00e9t\u00e9", "x y", "payload", "schema"
  };
  private static final String[] STRINGS = {
    "", "a", "Tea \"Earl\" \\ /", "\u4e2d\ud83d\ude00", "\n\t\u0001", "12.5"
  };

  private final Random random;

  RandomConnectData(long seed) {
    this.random = new Random(seed);
  }

  Schema schema(int depth) {
    int kinds = depth <= 0 ? 13 : 16;
    SchemaBuilder builder =
        switch (random.nextInt(kinds)) {
          case 0 -> SchemaBuilder.bool();
          case 1 -> SchemaBuilder.int8();
          case 2 -> SchemaBuilder.int16();
          case 3 -> SchemaBuilder.int32();
          case 4 -> SchemaBuilder.int64();
          case 5 -> SchemaBuilder.float32();
          case 6 -> SchemaBuilder.float64();
          case 7 -> SchemaBuilder.string();
          case 8 -> SchemaBuilder.bytes();
          case 9 -> Decimal.builder(random.nextInt(6));
          case 10 -> Date.builder();
          case 11 -> Time.builder();
          case 12 -> Timestamp.builder();
          case 13 -> SchemaBuilder.array(schema(depth - 1));
          case 14 -> map(depth);
          default -> struct(depth);
        };
    decorate(builder);
    return builder.build();
  }

  private SchemaBuilder map(int depth) {
    Schema keys =
        random.nextBoolean()
            ? Schema.STRING_SCHEMA
            : (random.nextBoolean() ? Schema.INT32_SCHEMA : Schema.OPTIONAL_INT64_SCHEMA);
    return SchemaBuilder.map(keys, schema(depth - 1));
  }

  private SchemaBuilder struct(int depth) {
    SchemaBuilder builder = SchemaBuilder.struct();
    List<String> names = new ArrayList<>(List.of(NAMES));
    int fields = random.nextInt(5);
    for (int i = 0; i < fields; i++) {
      builder.field(names.remove(random.nextInt(names.size())), schema(depth - 1));
    }
    return builder;
  }

  private void decorate(SchemaBuilder builder) {
    if (random.nextInt(3) == 0) {
      builder.optional();
    }
    if (builder.name() == null && random.nextInt(4) == 0) {
      builder.name("shop.public.t" + random.nextInt(3));
    }
    if (builder.version() == null && random.nextInt(6) == 0) {
      builder.version(random.nextInt(5));
    }
    if (random.nextInt(6) == 0) {
      builder.doc(STRINGS[random.nextInt(STRINGS.length)]);
    }
    if (random.nextInt(6) == 0) {
      builder.parameter("p" + random.nextInt(3), STRINGS[random.nextInt(STRINGS.length)]);
    }
    if (builder.type() != Schema.Type.STRUCT && random.nextInt(4) == 0) {
      builder.defaultValue(value(builder.build(), false));
    }
  }

  /** A value for {@code schema}; null now and then where the schema allows it. */
  Object value(Schema schema, boolean mayBeNull) {
    if (mayBeNull && schema.isOptional() && random.nextInt(5) == 0) {
      return null;
    }
    if (schema.name() != null) {
      switch (schema.name()) {
        case Decimal.LOGICAL_NAME:
          return new BigDecimal(
              new BigInteger(random.nextInt(90) + 1, random)
                  .subtract(BigInteger.valueOf(random.nextInt(1000))),
              Integer.parseInt(schema.parameters().get(Decimal.SCALE_FIELD)));
        case Date.LOGICAL_NAME:
          return new java.util.Date((random.nextInt(40_000) - 20_000) * 86_400_000L);
        case Time.LOGICAL_NAME:
          return new java.util.Date(random.nextInt(86_400_000));
        case Timestamp.LOGICAL_NAME:
          return new java.util.Date(random.nextLong() >> random.nextInt(40));
        default:
          break;
      }
    }
    return switch (schema.type()) {
      case BOOLEAN -> random.nextBoolean();
      case INT8 -> (byte) random.nextInt();
      case INT16 -> (short) random.nextInt();
      case INT32 -> random.nextInt() >> random.nextInt(32);
      case INT64 -> random.nextLong() >> random.nextInt(64);
      case FLOAT32 -> randomFloat();
      case FLOAT64 -> randomDouble();
      case STRING -> STRINGS[random.nextInt(STRINGS.length)] + random.nextInt(100);
      case BYTES -> bytes();
      case ARRAY -> list(schema.valueSchema());
      case MAP -> map(schema);
      case STRUCT -> struct(schema);
    };
  }

  private float randomFloat() {
    return switch (random.nextInt(4)) {
      case 0 -> Float.intBitsToFloat(random.nextInt()) % 1e30f;
      case 1 -> (float) random.nextGaussian();
      case 2 -> -0.0f;
      default -> random.nextInt(1000) / 8f;
    };
  }

  private double randomDouble() {
    double d =
        switch (random.nextInt(4)) {
          case 0 -> Double.longBitsToDouble(random.nextLong());
          case 1 -> random.nextGaussian() * Math.pow(10, random.nextInt(40) - 20);
          case 2 -> -0.0;
          default -> random.nextInt(1000) / 8.0;
        };
    return Double.isFinite(d) ? d : 1.0;
  }

  private byte[] bytes() {
    byte[] bytes = new byte[random.nextInt(6)];
    random.nextBytes(bytes);
    return bytes;
  }

  private List<Object> list(Schema elements) {
    List<Object> list = new ArrayList<>();
    int size = random.nextInt(4);
    for (int i = 0; i < size; i++) {
      list.add(value(elements, true));
    }
    return list;
  }

  private Map<Object, Object> map(Schema schema) {
    Map<Object, Object> map = new LinkedHashMap<>();
    int size = random.nextInt(4);
    for (int i = 0; i < size; i++) {
      Object key =
          schema.keySchema().type() == Schema.Type.STRING
              ? NAMES[random.nextInt(NAMES.length)]
              : value(schema.keySchema(), false);
      map.put(key, value(schema.valueSchema(), true));
    }
    return map;
  }

  private Struct struct(Schema schema) {
    Struct struct = new Struct(schema);
    for (Field field : schema.fields()) {
      Object value = value(field.schema(), true);
      if (value != null || field.schema().isOptional()) {
        struct.put(field, value);
      }
    }
    return struct;
  }
}

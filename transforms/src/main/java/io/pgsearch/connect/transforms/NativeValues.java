package io.pgsearch.connect.transforms;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.common.cache.Cache;
import org.apache.kafka.common.cache.LRUCache;
import org.apache.kafka.common.cache.SynchronizedCache;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;

/**
 * The one conversion of PostgreSQL values, as Debezium and Connect represent them, into what
 * Elasticsearch indexes natively: it rewrites a value and its schema, recursively (structs, arrays,
 * maps). {@link ElasticsearchValues} applies it in the chain; the sink applies it to every record
 * value it renders, so a row indexes the same with or without the transform. Converting a converted
 * value changes nothing. Derived schemas are cached.
 */
public final class NativeValues {
  static final String VARIABLE_SCALE_DECIMAL = "io.debezium.data.VariableScaleDecimal";
  static final String DEBEZIUM_JSON = "io.debezium.data.Json";
  static final String POINT = "io.debezium.data.geometry.Point";
  static final String GEOMETRY = "io.debezium.data.geometry.Geometry";
  static final String GEOGRAPHY = "io.debezium.data.geometry.Geography";
  static final String ZONED_TIMESTAMP = "io.debezium.time.ZonedTimestamp";
  static final String ZONED_TIME = "io.debezium.time.ZonedTime";
  static final String UUID = "io.debezium.data.Uuid";
  static final String ENUM = "io.debezium.data.Enum";

  private final DecimalStyle decimalFormat;
  private final Cache<Schema, Schema> schemas = new SynchronizedCache<>(new LRUCache<>(64));

  public NativeValues(DecimalStyle decimalFormat) {
    this.decimalFormat = decimalFormat;
  }

  /**
   * Cached for a schema that converts to itself: the cache finds entries by equality, and another
   * task's equal schema (each task's transforms and converter build their own) must come back as
   * itself, or {@link #value} would rebuild every one of its values for nothing.
   */
  private static final Schema UNCHANGED = SchemaBuilder.struct().name("unchanged").build();

  /** The schema of converted values; cached, so call it once per record. */
  public Schema schema(Schema in) {
    Schema out = schemas.get(in);
    if (out == null) {
      out = convertSchema(in);
      schemas.put(in, out == in ? UNCHANGED : out);
      return out;
    }
    return out == UNCHANGED ? in : out;
  }

  /**
   * {@code value} (of schema {@code in}) converted to {@code out}, which is {@link #schema(Schema)}
   * of {@code in}.
   */
  public Object value(Schema in, Schema out, Object value) {
    if (value == null || in == out) {
      return value;
    }
    String range = RangeValues.rangeType(in);
    if (range != null) {
      return RangeValues.toJson(range, (String) value);
    }
    String name = in.name();
    if (name != null) {
      Object converted = namedValue(name, out, value);
      if (converted != value) {
        return converted;
      }
    }
    switch (in.type()) {
      case STRUCT:
        Struct struct = (Struct) value;
        Struct result = new Struct(out);
        for (Field field : in.fields()) {
          // the converted schema keeps the fields' order
          Field target = StructValues.field(out, field.index(), field.name());
          Object converted;
          try {
            converted =
                value(field.schema(), target.schema(), StructValues.withoutDefault(struct, field));
          } catch (DataException e) {
            throw new DataException("field '" + field.name() + "': " + e.getMessage(), e);
          }
          result.put(target, converted);
        }
        return result;
      case ARRAY:
        List<Object> list = new ArrayList<>();
        for (Object element : (List<?>) value) {
          list.add(value(in.valueSchema(), out.valueSchema(), element));
        }
        return list;
      case MAP:
        Map<Object, Object> map = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
          map.put(
              value(in.keySchema(), out.keySchema(), entry.getKey()),
              value(in.valueSchema(), out.valueSchema(), entry.getValue()));
        }
        return map;
      default:
        return value;
    }
  }

  /** The converted value of a named type; {@code value} itself when the name is not handled. */
  private Object namedValue(String name, Schema out, Object value) {
    Function<Object, String> temporal = TemporalValues.BY_SCHEMA_NAME.get(name);
    if (temporal != null) {
      return temporal.apply(value);
    }
    switch (name) {
      case Decimal.LOGICAL_NAME:
        return decimalFormat == DecimalStyle.STRING ? ((BigDecimal) value).toPlainString() : value;
      case VARIABLE_SCALE_DECIMAL:
        Struct decimal = (Struct) value;
        return new BigDecimal(new BigInteger(decimal.getBytes("value")), decimal.getInt32("scale"))
            .toPlainString();
      case POINT:
        Struct point = (Struct) value;
        return new Struct(out).put("lat", point.getFloat64("y")).put("lon", point.getFloat64("x"));
      case GEOMETRY:
      case GEOGRAPHY:
        return WkbToGeoJson.convert(((Struct) value).getBytes("wkb"));
      default:
        return value;
    }
  }

  private Schema convertSchema(Schema in) {
    String range = RangeValues.rangeType(in);
    if (range != null) {
      // Optional whatever the column: an empty range has no Elasticsearch value.
      SchemaBuilder json = PgsearchSchemas.json(true);
      in.parameters().forEach(json::parameter);
      json.parameter(PgsearchSchemas.ES_TYPE, RangeValues.esType(range));
      return finish(json, in);
    }
    String name = in.name();
    SchemaBuilder named = name == null ? null : namedSchema(in);
    if (named != null) {
      return finish(named, in);
    }
    switch (in.type()) {
      case STRUCT:
        SchemaBuilder struct = SchemaBuilder.struct().name(name).version(in.version());
        if (in.parameters() != null) {
          struct.parameters(in.parameters());
        }
        for (Field field : in.fields()) {
          struct.field(field.name(), convertSchema(field.schema()));
        }
        return unchangedIfEqual(in, finish(struct, in));
      case ARRAY:
        Schema elements = convertSchema(in.valueSchema());
        if (elements == in.valueSchema()) {
          return in;
        }
        SchemaBuilder array = SchemaBuilder.array(elements);
        if (in.parameters() != null) {
          // e.g. pgsearch.es.type=nested on a document's array of related rows
          array.parameters(in.parameters());
        }
        return finish(array, in);
      case MAP:
        Schema keys = convertSchema(in.keySchema());
        Schema values = convertSchema(in.valueSchema());
        return keys == in.keySchema() && values == in.valueSchema()
            ? in
            : finish(SchemaBuilder.map(keys, values), in);
      default:
        return in;
    }
  }

  /** The builder of a named type's converted schema; null when the name is not handled. */
  private SchemaBuilder namedSchema(Schema in) {
    String name = in.name();
    if (TemporalValues.BY_SCHEMA_NAME.containsKey(name)) {
      // The field type travels with the schema, so the sink maps the text as what it means.
      return SchemaBuilder.string().parameter(PgsearchSchemas.ES_TYPE, TemporalValues.esType(name));
    }
    switch (name) {
      case Decimal.LOGICAL_NAME:
        return decimalFormat == DecimalStyle.STRING ? SchemaBuilder.string() : null;
      case VARIABLE_SCALE_DECIMAL:
        // An exact number of any scale, as JSON text: mapped like a Connect Decimal.
        return decimalFormat == DecimalStyle.STRING
            ? SchemaBuilder.string()
            : PgsearchSchemas.json(false).parameter(PgsearchSchemas.ES_TYPE, "double");
      case ZONED_TIMESTAMP:
        return typedText(in, "date");
      case ZONED_TIME:
      case UUID:
      case ENUM:
        return typedText(in, "keyword");
      case DEBEZIUM_JSON:
      case GEOMETRY:
      case GEOGRAPHY:
        return PgsearchSchemas.json(false);
      case POINT:
        return PgsearchSchemas.geoPoint();
      default:
        return null;
    }
  }

  /**
   * Text Debezium already writes as Elasticsearch reads it (ISO-8601, a UUID, an enum label): the
   * value and the schema stay, and the schema gains its field type, so the sink's mappings follow
   * this one table.
   */
  private static SchemaBuilder typedText(Schema in, String esType) {
    SchemaBuilder text = SchemaBuilder.string().name(in.name()).version(in.version());
    if (in.parameters() != null) {
      text.parameters(in.parameters());
    }
    return text.parameter(PgsearchSchemas.ES_TYPE, esType);
  }

  /** Copies optionality, doc and the converted default value of {@code in}. */
  private Schema finish(SchemaBuilder builder, Schema in) {
    if (in.isOptional()) {
      builder.optional();
    }
    if (in.doc() != null) {
      builder.doc(in.doc());
    }
    Schema withoutDefault = builder.build();
    if (in.defaultValue() == null) {
      return withoutDefault;
    }
    builder.defaultValue(value(in, withoutDefault, in.defaultValue()));
    return builder.build();
  }

  private static Schema unchangedIfEqual(Schema in, Schema out) {
    return in.equals(out) ? in : out;
  }
}

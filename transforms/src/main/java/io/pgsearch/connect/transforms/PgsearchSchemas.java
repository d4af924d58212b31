package io.pgsearch.connect.transforms;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;

/** Schema names that {@link ElasticsearchValues} emits and the Elasticsearch sink recognises. */
public final class PgsearchSchemas {
  /**
   * A STRING schema whose value is JSON text (an object, an array, or an exact number) that the
   * sink embeds as JSON, not as a quoted string. Connect cannot type arbitrary JSON as a Struct,
   * and a schemaless Map may not sit inside a Struct, hence a marked string.
   */
  public static final String JSON = "io.pgsearch.Json";

  /** A STRUCT schema {@code {lat: FLOAT64, lon: FLOAT64}}: an Elasticsearch {@code geo_point}. */
  public static final String GEO_POINT = "io.pgsearch.GeoPoint";

  /**
   * A schema parameter naming the Elasticsearch field type the sink maps the field to, set by
   * {@link NativeValues}, the one table of conversions: {@code date} for dates and timestamps,
   * {@code keyword} for times of day, durations, UUIDs and enum labels, {@code double} for exact
   * numbers of variable scale (mapped, like a Connect {@code Decimal}, with an {@code exact}
   * keyword subfield), {@code integer_range}, {@code long_range}, {@code double_range}, {@code
   * date_range} for ranges; and {@code nested} on an array of structs (a document's related rows)
   * whose objects are searched each on its own.
   */
  public static final String ES_TYPE = "pgsearch.es.type";

  private PgsearchSchemas() {}

  /** A JSON-marked string schema, optional when {@code optional} is true. */
  public static SchemaBuilder json(boolean optional) {
    SchemaBuilder builder = SchemaBuilder.string().name(JSON).version(1);
    return optional ? builder.optional() : builder;
  }

  /** A builder of the geo_point struct schema. */
  public static SchemaBuilder geoPoint() {
    return SchemaBuilder.struct()
        .name(GEO_POINT)
        .version(1)
        .field("lat", Schema.FLOAT64_SCHEMA)
        .field("lon", Schema.FLOAT64_SCHEMA);
  }
}

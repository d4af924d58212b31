package io.pgsearch.connect.transforms;

import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.transforms.Transformation;
import org.apache.kafka.connect.transforms.util.SimpleConfig;

/**
 * Rewrites the values of Debezium's PostgreSQL types into what Elasticsearch indexes natively:
 * exact decimals, ISO-8601 dates and times, JSON objects, geo points, GeoJSON shapes and range
 * objects. Use {@link Value} on documents (after {@link ChangeEventToDocument}) and {@link Key} on
 * keys.
 */
public abstract class ElasticsearchValues<R extends ConnectRecord<R>>
    implements Transformation<R>, Versioned {

  public static final String OVERVIEW_DOC =
      "Rewrites Debezium's representations of PostgreSQL values into Elasticsearch-native ones,"
          + " by schema name and recursively through structs, arrays and maps: variable-scale"
          + " numerics become exact numbers, Debezium and Connect dates, times, timestamps and"
          + " intervals become ISO-8601 strings, json/jsonb and PostGIS geometries become JSON"
          + " (a string with schema name io.pgsearch.Json that the sink embeds as JSON), points"
          + " become geo_point structs {lat, lon}, range columns (when Debezium propagates their"
          + " type with datatype.propagate.source.type) become Elasticsearch range objects such"
          + " as {\"gte\":1,\"lt\":10}. Schemaless records pass unchanged: without a"
          + " schema there is no type to go by. Use "
          + "io.pgsearch.connect.transforms.ElasticsearchValues$Value on the value (after"
          + " ChangeEventToDocument) and ...$Key on the key.";

  public static final String DECIMAL_FORMAT_CONFIG = "decimal.format";

  public static final ConfigDef CONFIG_DEF =
      new ConfigDef()
          .define(
              DECIMAL_FORMAT_CONFIG,
              Type.STRING,
              DecimalStyle.NUMBER.value(),
              DecimalStyle.VALIDATOR,
              Importance.MEDIUM,
              "How exact decimals (decimal.handling.mode=precise) are written: number keeps"
                  + " fixed-scale numerics as Connect Decimals and makes variable-scale ones"
                  + " io.pgsearch.Json number text, both written by the sink as exact JSON"
                  + " numbers; string writes every exact decimal as a plain string such as"
                  + " \"1234.5600\".");

  private NativeValues values;

  @Override
  public void configure(Map<String, ?> props) {
    SimpleConfig config = new SimpleConfig(CONFIG_DEF, props);
    values =
        new NativeValues(
            DecimalStyle.parse(DECIMAL_FORMAT_CONFIG, config.getString(DECIMAL_FORMAT_CONFIG)));
  }

  @Override
  public R apply(R record) {
    Schema schema = schema(record);
    Object value = value(record);
    if (value == null || schema == null) {
      return record;
    }
    try {
      Schema converted = values.schema(schema);
      if (converted == schema) {
        return record;
      }
      return newRecord(record, converted, values.value(schema, converted, value));
    } catch (ClassCastException | DataException e) {
      throw new DataException(
          getClass().getName()
              + " cannot convert the record from topic '"
              + record.topic()
              + "' partition "
              + record.kafkaPartition()
              + ": a value does not match its schema "
              + (schema.name() == null ? schema.type() : schema.name())
              + " ("
              + e.getMessage()
              + ")",
          e);
    }
  }

  protected abstract Schema schema(R record);

  protected abstract Object value(R record);

  protected abstract R newRecord(R record, Schema schema, Object value);

  @Override
  public ConfigDef config() {
    return CONFIG_DEF;
  }

  @Override
  public String version() {
    return PluginVersion.of(ElasticsearchValues.class, "transforms.properties");
  }

  @Override
  public void close() {}

  /** Converts the record's key. */
  public static class Key<R extends ConnectRecord<R>> extends ElasticsearchValues<R> {
    @Override
    protected Schema schema(R record) {
      return record.keySchema();
    }

    @Override
    protected Object value(R record) {
      return record.key();
    }

    @Override
    protected R newRecord(R record, Schema schema, Object value) {
      return record.newRecord(
          record.topic(),
          record.kafkaPartition(),
          schema,
          value,
          record.valueSchema(),
          record.value(),
          record.timestamp());
    }
  }

  /** Converts the record's value. */
  public static class Value<R extends ConnectRecord<R>> extends ElasticsearchValues<R> {
    @Override
    protected Schema schema(R record) {
      return record.valueSchema();
    }

    @Override
    protected Object value(R record) {
      return record.value();
    }

    @Override
    protected R newRecord(R record, Schema schema, Object value) {
      return record.newRecord(
          record.topic(),
          record.kafkaPartition(),
          record.keySchema(),
          record.key(),
          schema,
          value,
          record.timestamp());
    }
  }
}

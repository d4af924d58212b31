package io.pgsearch.connect.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.debezium.DebeziumException;
import io.debezium.processors.spi.PostProcessor;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

class UnchangedToastReselectorTest {
  private static final Schema ROW =
      SchemaBuilder.struct()
          .name("shop.public.products.Value")
          .optional()
          .field("id", Schema.INT32_SCHEMA)
          .field("description", Schema.OPTIONAL_STRING_SCHEMA)
          .build();
  private static final ChangeEvents EVENTS = new ChangeEvents(ROW);

  @Test
  void forcesDebeziumsProcessorToFailInsteadOfPassingThePlaceholderOn() {
    Map<String, Object> seen = new HashMap<>();
    UnchangedToastReselector reselector =
        new UnchangedToastReselector(new Stub(value -> {}, seen::putAll));
    reselector.configure(Map.of("reselect.error.handling.mode", "warn", "other", "x"));
    assertThat(seen)
        .containsEntry("reselect.error.handling.mode", "fail")
        .containsEntry("other", "x");
  }

  @Test
  void aReadBackRowLeavesTheEventAsItIs() {
    Struct event = update();
    new UnchangedToastReselector(new Stub(value -> fillDescription(value), props -> {}))
        .apply(null, event);
    assertThat(event.getString("op")).isEqualTo("u");
    assertThat(event.getStruct("after").getString("description")).isEqualTo("read back");
  }

  @Test
  void aFailedQueryIsRethrownWithTheSqlExceptionAsCauseSoDebeziumRestartsTheTask() {
    SQLException lost = new SQLException("An I/O error occurred", "08006");
    Struct event = update();
    UnchangedToastReselector reselector =
        new UnchangedToastReselector(
            new Stub(
                value -> {
                  throw new DebeziumException(
                      "Failed to re-select columns for table public.products and key [7]", lost);
                },
                props -> {}));
    assertThatThrownBy(() -> reselector.apply(null, event))
        .isInstanceOf(DebeziumException.class)
        .hasCause(lost)
        .hasMessageContaining("public.products")
        .hasMessageContaining("read again when the task restarts")
        .hasMessageNotContaining("[7]");
    assertThat(event.getString("op")).as("nothing reaches Kafka").isEqualTo("u");
  }

  @Test
  void aRowThatIsGoneTurnsTheEventIntoADeleteOfTheSameKey() {
    Struct event = update();
    new UnchangedToastReselector(
            new Stub(
                value -> {
                  throw new DebeziumException(
                      UnchangedToastReselector.ROW_NOT_FOUND + "public.products with key Struct{}");
                },
                props -> {}))
        .apply(null, event);
    assertThat(event.getString("op")).isEqualTo("d");
    assertThat(event.getStruct("after")).isNull();
    assertThat(event.getStruct("source").getString("table")).isEqualTo("products");
  }

  @Test
  void anyOtherErrorIsRethrownAsItIs() {
    DebeziumException other = new DebeziumException("something else");
    UnchangedToastReselector reselector =
        new UnchangedToastReselector(
            new Stub(
                value -> {
                  throw other;
                },
                props -> {}));
    assertThatThrownBy(() -> reselector.apply(null, update())).isSameAs(other);
  }

  private static Struct update() {
    return EVENTS.update(
        new Struct(ROW).put("id", 7).put("description", "__debezium_unavailable_value"));
  }

  private static void fillDescription(Struct value) {
    value.getStruct("after").put("description", "read back");
  }

  private record Stub(Consumer<Struct> onApply, Consumer<Map<String, ?>> onConfigure)
      implements PostProcessor {
    @Override
    public void configure(Map<String, ?> properties) {
      onConfigure.accept(properties);
    }

    @Override
    public void apply(Object key, Struct value) {
      onApply.accept(value);
    }

    @Override
    public void close() {}
  }
}

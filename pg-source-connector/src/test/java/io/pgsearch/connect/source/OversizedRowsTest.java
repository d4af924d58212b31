package io.pgsearch.connect.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

class OversizedRowsTest {
  private static final Schema ROW =
      SchemaBuilder.struct()
          .name("shop.public.products.Value")
          .optional()
          .field("id", Schema.INT64_SCHEMA)
          .field("name", Schema.STRING_SCHEMA)
          .field("description", Schema.OPTIONAL_STRING_SCHEMA)
          .field("manual", Schema.STRING_SCHEMA)
          .field("photo", Schema.OPTIONAL_BYTES_SCHEMA)
          .build();
  private static final ChangeEvents EVENTS = new ChangeEvents(ROW);

  @Test
  void aRowThatFitsIsLeftAlone() {
    SourceRecord record = record("small", "small", null);
    assertThat(new OversizedRows(100_000).fit(record)).isEmpty();
    assertThat(after(record).getString("description")).isEqualTo("small");
    assertThat(record.headers().lastWithName("pgsearch.omitted")).isNull();
  }

  @Test
  void theLargestValuesAreLeftOutUntilItFitsAndTheHeaderNamesThem() {
    SourceRecord record = record("d".repeat(300_000), "m".repeat(200_000), new byte[10_000]);
    List<String> omitted = new OversizedRows(250_000).fit(record);
    assertThat(omitted).containsExactly("description");
    assertThat(after(record).get("description")).isNull();
    assertThat(after(record).getString("manual")).hasSize(200_000);
    assertThat(after(record).getString("name")).isEqualTo("Red hat");
    assertThat(record.headers().lastWithName("pgsearch.omitted").value()).isEqualTo("description");

    SourceRecord tighter = record("d".repeat(300_000), "m".repeat(200_000), new byte[10_000]);
    assertThat(new OversizedRows(65_536).fit(tighter)).containsExactly("description", "manual");
    assertThat(after(tighter).getString("manual"))
        .as("NOT NULL: the empty value, never null")
        .isEmpty();
    assertThat(after(tighter).getBytes("photo")).hasSize(10_000);
  }

  @Test
  void theQuickBoundIsNeverBelowTheEstimate() {
    SourceRecord record = record("d\"\n".repeat(1000), "ünï".repeat(500), new byte[300]);
    Object value = record.value();
    assertThat(OversizedRows.Sizes.upperBound(value))
        .isGreaterThanOrEqualTo(OversizedRows.Sizes.of(value));
  }

  @Test
  void textIsMeasuredAsJsonWritesIt() {
    assertThat(OversizedRows.Sizes.utf8("abc")).isEqualTo(3);
    assertThat(OversizedRows.Sizes.utf8("é")).isEqualTo(2);
    assertThat(OversizedRows.Sizes.utf8("商")).isEqualTo(3);
    assertThat(OversizedRows.Sizes.utf8("😀")).isEqualTo(4);
    assertThat(OversizedRows.Sizes.utf8("\"\n")).isEqualTo(12);
  }

  private static SourceRecord record(String description, String manual, byte[] photo) {
    Struct after =
        new Struct(ROW)
            .put("id", 1L)
            .put("name", "Red hat")
            .put("description", description)
            .put("manual", manual)
            .put("photo", photo);
    return new SourceRecord(
        null, null, "shop.public.products", 0, null, 1L, EVENTS.envelope, EVENTS.update(after));
  }

  private static Struct after(SourceRecord record) {
    return ((Struct) record.value()).getStruct("after");
  }
}

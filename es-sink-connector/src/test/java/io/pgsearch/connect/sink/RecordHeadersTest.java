package io.pgsearch.connect.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgsearch.connect.sink.bulk.RecordPosition;
import io.pgsearch.connect.sink.bulk.SinkOperation;
import io.pgsearch.connect.sink.config.SinkConfig;
import io.pgsearch.connect.sink.document.DocumentException;
import io.pgsearch.connect.transforms.PgsearchHeaders;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

/**
 * The headers the sink routes by, read in one pass, answer as a lookup of each by name would: the
 * last of a name wins, a null value is no value, other headers are ignored.
 */
class RecordHeadersTest {
  private static final Schema ROW = SchemaBuilder.struct().field("id", Schema.INT64_SCHEMA).build();

  @Test
  void theLastHeaderOfANameWinsAsWithLastWithName() {
    ConnectHeaders headers = new ConnectHeaders();
    headers
        .addString(PgsearchHeaders.OP, "r")
        .addString(PgsearchHeaders.SCHEMA, "public")
        .addString("other", "x")
        .addString(PgsearchHeaders.TABLE, "items")
        .addLong(PgsearchHeaders.LSN, 10L)
        .addString(PgsearchHeaders.OP, "u")
        .addLong(PgsearchHeaders.LSN, 12L)
        .addString(PgsearchHeaders.REBUILD, "r1")
        .addString(PgsearchHeaders.REBUILD_PARTITIONS, "2")
        .addBoolean(PgsearchHeaders.PARTIAL, true);
    RecordHeaders read = RecordHeaders.of(record(headers), PgsearchHeaders.LSN);

    assertThat(read)
        .isEqualTo(new RecordHeaders("u", "public", "items", "r1", "2", true, 12L))
        .isEqualTo(byName(headers, PgsearchHeaders.LSN));
  }

  @Test
  void aLaterNullValueHidesAnEarlierOne() {
    ConnectHeaders headers = new ConnectHeaders();
    headers.addString(PgsearchHeaders.TABLE, "items").add(PgsearchHeaders.TABLE, null, null);
    headers.addLong("v", 5L).add("v", null, null);

    RecordHeaders read = RecordHeaders.of(record(headers), "v");

    assertThat(read.table()).isNull();
    assertThat(read.version()).isNull();
    assertThat(read).isEqualTo(byName(headers, "v"));
  }

  @Test
  void theVersionHeaderMayBeAnyHeaderAndMayBeOff() {
    ConnectHeaders headers = new ConnectHeaders();
    headers.addString(PgsearchHeaders.OP, "c").addLong("my.version", 7L);

    assertThat(RecordHeaders.of(record(headers), PgsearchHeaders.OP).version()).isEqualTo("c");
    assertThat(RecordHeaders.of(record(headers), "my.version").version()).isEqualTo(7L);
    assertThat(RecordHeaders.of(record(headers), null).version()).isNull();
    assertThat(RecordHeaders.of(record(new ConnectHeaders()), PgsearchHeaders.LSN))
        .isEqualTo(new RecordHeaders(null, null, null, null, null, null, null));
  }

  @Test
  void theMapperAnswersEachRecordFromItsOwnHeaders() {
    try (RecordMapper mapper =
        new RecordMapper(
            new SinkConfig(
                Map.of("connection.url", "http://es:9200", "index.name.template", "${table}")))) {
      SinkRecord items = row("items", "u", 20L);
      SinkRecord orders = row("orders", PgsearchHeaders.TRUNCATE_OP, 30L);
      SinkRecord unversioned = row("parts", "c", null);

      for (int round = 0; round < 2; round++) { // in turn: the kept headers are the record's own
        SinkOperation write = mapper.map(items, RecordPosition.of(items));
        assertThat(write.key().index()).isEqualTo("items");
        assertThat(write.version()).isEqualTo(20L);
        assertThat(mapper.isTruncate(items)).isFalse();
        assertThat(mapper.isTruncate(orders)).isTrue();
        assertThat(mapper.truncateVersion(orders)).isEqualTo(30L);
        assertThat(mapper.index(orders)).isEqualTo("orders");
        assertThat(mapper.sourceTable(items)).isEqualTo("public.items");
        assertThat(mapper.map(unversioned, RecordPosition.of(unversioned)).version()).isNull();
        assertThatThrownBy(() -> mapper.truncateVersion(unversioned))
            .isInstanceOf(DocumentException.class)
            .hasMessageContaining(PgsearchHeaders.LSN);
      }
    }
  }

  private static RecordHeaders byName(ConnectHeaders headers, String versionHeader) {
    return new RecordHeaders(
        text(headers, PgsearchHeaders.OP),
        text(headers, PgsearchHeaders.SCHEMA),
        text(headers, PgsearchHeaders.TABLE),
        text(headers, PgsearchHeaders.REBUILD),
        text(headers, PgsearchHeaders.REBUILD_PARTITIONS),
        value(headers, PgsearchHeaders.PARTIAL),
        value(headers, versionHeader));
  }

  private static Object value(ConnectHeaders headers, String name) {
    return headers.lastWithName(name) == null ? null : headers.lastWithName(name).value();
  }

  private static String text(ConnectHeaders headers, String name) {
    Object value = value(headers, name);
    return value == null ? null : value.toString();
  }

  private static SinkRecord record(ConnectHeaders headers) {
    return new SinkRecord("t", 0, null, null, null, null, 0L, null, null, headers);
  }

  private static SinkRecord row(String table, String op, Long lsn) {
    ConnectHeaders headers = new ConnectHeaders();
    headers
        .addString(PgsearchHeaders.OP, op)
        .addString(PgsearchHeaders.SCHEMA, "public")
        .addString(PgsearchHeaders.TABLE, table);
    if (lsn != null) {
      headers.addLong(PgsearchHeaders.LSN, lsn);
    }
    return new SinkRecord(
        "db." + table,
        0,
        Schema.INT64_SCHEMA,
        1L,
        ROW,
        new Struct(ROW).put("id", 1L),
        5L,
        null,
        null,
        headers);
  }
}

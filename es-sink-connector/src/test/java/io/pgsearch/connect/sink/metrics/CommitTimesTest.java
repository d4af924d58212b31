package io.pgsearch.connect.sink.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsearch.connect.transforms.PgsearchHeaders;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class CommitTimesTest {
  @Test
  void streamedChangesCarryTheirCommitTime() {
    for (String op : new String[] {"c", "u", "d"}) {
      SinkRecord record = record();
      record.headers().addString(PgsearchHeaders.OP, op).addLong(PgsearchHeaders.COMMIT_TS, 1234L);
      assertThat(CommitTimes.streamedChangeMs(record)).as(op).isEqualTo(1234L);
    }
  }

  @Test
  void aCommitTimeReadAsTextIsParsed() {
    SinkRecord record = record();
    record.headers().addString(PgsearchHeaders.OP, "u").addString(PgsearchHeaders.COMMIT_TS, "99");
    assertThat(CommitTimes.streamedChangeMs(record)).isEqualTo(99L);
  }

  @Test
  void snapshotRowsTruncatesAndForeignRecordsAreNotTimed() {
    for (String op : new String[] {"r", PgsearchHeaders.TRUNCATE_OP, "rebuild-end"}) {
      SinkRecord record = record();
      record.headers().addString(PgsearchHeaders.OP, op).addLong(PgsearchHeaders.COMMIT_TS, 1L);
      assertThat(CommitTimes.streamedChangeMs(record)).as(op).isNull();
    }
    assertThat(CommitTimes.streamedChangeMs(record())).as("no headers").isNull();
    SinkRecord noTime = record();
    noTime.headers().addString(PgsearchHeaders.OP, "c");
    assertThat(CommitTimes.streamedChangeMs(noTime)).as("no commit time").isNull();
    SinkRecord garbled = record();
    garbled.headers().addString(PgsearchHeaders.OP, "c").addString(PgsearchHeaders.COMMIT_TS, "x");
    assertThat(CommitTimes.streamedChangeMs(garbled)).as("not a number").isNull();
    assertThat(CommitTimes.streamedChangeMs(null)).isNull();
  }

  private static SinkRecord record() {
    return new SinkRecord("t", 0, null, "k", null, "v", 0);
  }
}

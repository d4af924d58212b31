package io.pgsearch.connect.transforms;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The kept buffer returns each record's bytes whole and keeps its capacity within a bound. */
class KeptOutputTest {
  private final KeptOutput output = new KeptOutput();

  @Test
  void aRecordLargerThanTheBufferIsWrittenWholeAndTheCapacityIsKept() {
    byte[] record = bytes(KeptOutput.INITIAL_BYTES * 3 + 7, (byte) 'a');
    output.write('{');
    output.write(record, 0, record.length);
    output.write('}');

    byte[] written = output.toByteArray();
    assertThat(written).hasSize(record.length + 2);
    assertThat(written[0]).isEqualTo((byte) '{');
    assertThat(Arrays.copyOfRange(written, 1, record.length + 1)).isEqualTo(record);
    assertThat(written[record.length + 1]).isEqualTo((byte) '}');

    int grown = output.capacity();
    assertThat(grown).isGreaterThanOrEqualTo(record.length + 2);
    output.reset();
    output.write('x');
    assertThat(output.toByteArray()).containsExactly('x');
    assertThat(output.capacity()).isEqualTo(grown);
  }

  @Test
  void aResetAfterARecordBeyondTheBoundLetsTheArrayGo() {
    byte[] record = bytes(KeptOutput.MAX_KEPT_BYTES + 1, (byte) 'b');
    output.write(record, 0, record.length);
    assertThat(output.toByteArray()).isEqualTo(record);

    output.reset();
    assertThat(output.capacity()).isEqualTo(KeptOutput.INITIAL_BYTES);
    assertThat(output.toByteArray()).isEmpty();
  }

  @Test
  void writesFromTheMiddleOfAnArrayTakeOnlyTheirSlice() {
    byte[] source = {1, 2, 3, 4, 5};
    output.write(source, 1, 3);
    assertThat(output.toByteArray()).containsExactly(2, 3, 4);
  }

  private static byte[] bytes(int length, byte value) {
    byte[] bytes = new byte[length];
    Arrays.fill(bytes, value);
    return bytes;
  }
}

package io.pgsearch.connect.sink.bulk;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * The bytes of a record as it was consumed from Kafka, which the task holds until the record is
 * applied: Connect keeps each record's consumed key, value and headers with it, to write them to
 * the dead letter queue as they were. For a change event with its schema they are most of what a
 * buffered record takes, several times its document.
 *
 * <p>Connect has no API for them: they are read from its runtime's {@code InternalSinkRecord},
 * through {@code context().original()} (Kafka 4) or {@code originalRecord()} (older Kafka). With a
 * runtime that has neither, or a record made some other way (a test's), the size is 0 and only the
 * document counts.
 */
final class ConsumedSize {
  static final String INTERNAL_RECORD = "org.apache.kafka.connect.runtime.InternalSinkRecord";

  /** Bytes counted per header besides its key and value: Kafka's own lengths and references. */
  static final int PER_HEADER = 16;

  private static volatile Reader reader;

  private ConsumedSize() {}

  /** The consumed bytes of {@code record}, or 0 when the runtime does not tell them. */
  static long of(SinkRecord record) {
    if (record == null || !record.getClass().getName().equals(INTERNAL_RECORD)) {
      return 0;
    }
    Reader current = reader;
    if (current == null) {
      current = Reader.of(record.getClass());
      reader = current;
    }
    return current.size(record);
  }

  /** The sum of a consumed record's key, value and headers. */
  static long of(ConsumerRecord<?, ?> consumed) {
    long size =
        Math.max(0, consumed.serializedKeySize()) + Math.max(0, consumed.serializedValueSize());
    for (Header header : consumed.headers()) {
      byte[] value = header.value();
      size += header.key().length() + (value == null ? 0 : value.length) + PER_HEADER;
    }
    return size;
  }

  /**
   * Reads the consumed record through the runtime's record class, looked up once: {@code
   * first.andThen(second)}, {@code second} null when {@code first} returns it.
   */
  private record Reader(MethodHandle first, MethodHandle second) {
    static Reader of(Class<?> internalRecord) {
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      try {
        Method context = internalRecord.getMethod("context");
        Method original = context.getReturnType().getMethod("original");
        return new Reader(lookup.unreflect(context), lookup.unreflect(original));
      } catch (ReflectiveOperationException | RuntimeException e) {
        // an older Kafka
      }
      try {
        return new Reader(lookup.unreflect(internalRecord.getMethod("originalRecord")), null);
      } catch (ReflectiveOperationException | RuntimeException e) {
        return new Reader(null, null); // another runtime: only documents count
      }
    }

    long size(SinkRecord record) {
      if (first == null) {
        return 0;
      }
      Object consumed;
      try {
        Object got = first.invoke(record);
        consumed = second == null ? got : second.invoke(got);
      } catch (RuntimeException e) {
        return 0;
      } catch (Error e) {
        throw e;
      } catch (Throwable e) {
        return 0; // declared by invoke; neither method throws a checked exception
      }
      return consumed instanceof ConsumerRecord<?, ?> r ? ConsumedSize.of(r) : 0;
    }
  }
}

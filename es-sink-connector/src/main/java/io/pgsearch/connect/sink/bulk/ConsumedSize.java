package io.pgsearch.connect.sink.bulk;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * The bytes of a record as it was consumed from Kafka, which the task holds until the record is
 * applied: Connect keeps each record's consumed key, value and headers with it, to write them to
 * the dead letter queue as they were. For a change event with its schema the key and value are most
 * of what a buffered record takes, several times its document. Headers are not counted: they are a
 * few dozen bytes against several KB, and walking them for every record cost more than the rest of
 * the count (2 % of the worker's CPU in a profile of the snapshot).
 *
 * <p>Connect has no API for them: they are read from its runtime's {@code InternalSinkRecord},
 * through {@code context().original()} (Kafka 4) or {@code originalRecord()} (older Kafka). With a
 * runtime that has neither, or a record made some other way (a test's), the size is 0 and only the
 * document counts.
 */
final class ConsumedSize {
  static final String INTERNAL_RECORD = "org.apache.kafka.connect.runtime.InternalSinkRecord";

  private static volatile Reader reader;

  private ConsumedSize() {}

  /** The consumed bytes of {@code record}, or 0 when the runtime does not tell them. */
  static long of(SinkRecord record) {
    if (record == null) {
      return 0;
    }
    Class<?> type = record.getClass();
    Reader current = reader;
    if (current != null && current.type() == type) {
      return current.size(record); // every record after the first: no name comparison
    }
    if (!type.getName().equals(INTERNAL_RECORD)) {
      return 0;
    }
    current = Reader.of(type);
    reader = current;
    return current.size(record);
  }

  /** The sum of a consumed record's key and value sizes (-1 when null, counted as 0). */
  static long of(ConsumerRecord<?, ?> consumed) {
    return Math.max(0, consumed.serializedKeySize()) + Math.max(0, consumed.serializedValueSize());
  }

  /**
   * Reads the consumed record through the runtime's record class {@code type}, looked up once:
   * {@code first.andThen(second)}, {@code second} null when {@code first} returns it.
   */
  private record Reader(Class<?> type, MethodHandle first, MethodHandle second) {
    static Reader of(Class<?> internalRecord) {
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      try {
        Method context = internalRecord.getMethod("context");
        Method original = context.getReturnType().getMethod("original");
        return new Reader(internalRecord, lookup.unreflect(context), lookup.unreflect(original));
      } catch (ReflectiveOperationException | RuntimeException e) {
        // an older Kafka
      }
      try {
        return new Reader(
            internalRecord, lookup.unreflect(internalRecord.getMethod("originalRecord")), null);
      } catch (ReflectiveOperationException | RuntimeException e) {
        return new Reader(internalRecord, null, null); // another runtime: only documents count
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

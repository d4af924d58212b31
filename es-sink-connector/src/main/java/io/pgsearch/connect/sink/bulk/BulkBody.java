package io.pgsearch.connect.sink.bulk;

import com.fasterxml.jackson.core.JsonGenerator;
import io.pgsearch.connect.sink.document.DocumentJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The NDJSON body of one bulk request: each operation's action line and, but for deletes, source.
 */
final class BulkBody {
  private BulkBody() {}

  static byte[] of(List<SinkOperation> operations) {
    long size = 0;
    for (SinkOperation operation : operations) {
      size += operation.sizeBytes();
    }
    ByteArrayOutputStream out =
        new ByteArrayOutputStream((int) Math.min(size, Integer.MAX_VALUE - 8));
    try (JsonGenerator json = DocumentJson.JSON.getFactory().createGenerator(out)) {
      // One line per value: no separator between the action lines the generator writes.
      json.setRootValueSeparator(null);
      for (SinkOperation operation : operations) {
        operation.writeTo(json, out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Writing a bulk body in memory", e);
    }
    return out.toByteArray();
  }
}

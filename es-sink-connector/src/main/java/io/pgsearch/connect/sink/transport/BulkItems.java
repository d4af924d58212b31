package io.pgsearch.connect.sink.transport;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the items of a bulk response, in request order, as a stream: only each item's status, id
 * and error are kept, whatever else the server adds ({@code _shards}, {@code _seq_no}…), so a
 * response of thousands of items costs no tree of them.
 */
public final class BulkItems {
  private static final JsonFactory JSON = new JsonFactory();

  private BulkItems() {}

  public static List<BulkItem> parse(InputStream body) throws IOException {
    try (JsonParser parser = JSON.createParser(body)) {
      expect(parser.nextToken(), JsonToken.START_OBJECT);
      List<BulkItem> items = new ArrayList<>();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        parser.nextToken();
        if ("items".equals(field)) {
          expect(parser.currentToken(), JsonToken.START_ARRAY);
          while (parser.nextToken() == JsonToken.START_OBJECT) {
            items.add(item(parser));
          }
        } else {
          parser.skipChildren();
        }
      }
      return items;
    }
  }

  /** One item: an object of one field, the operation ({@code index}, {@code delete}…). */
  private static BulkItem item(JsonParser parser) throws IOException {
    expect(parser.nextToken(), JsonToken.FIELD_NAME);
    expect(parser.nextToken(), JsonToken.START_OBJECT);
    int status = 0;
    String id = null;
    String errorType = null;
    String errorReason = null;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      switch (field) {
        case "status" -> status = parser.getIntValue();
        case "_id" -> id = value == JsonToken.VALUE_NULL ? null : parser.getText();
        case "error" -> {
          if (value == JsonToken.START_OBJECT) {
            String[] error = error(parser);
            errorType = error[0];
            errorReason = error[1];
          } else {
            errorType = "error";
            errorReason = parser.getText();
          }
        }
        default -> parser.skipChildren();
      }
    }
    expect(parser.nextToken(), JsonToken.END_OBJECT);
    return new BulkItem(status, id, errorType, errorReason);
  }

  private static String[] error(JsonParser parser) throws IOException {
    String[] typeAndReason = new String[2];
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      if ("type".equals(field) && value == JsonToken.VALUE_STRING) {
        typeAndReason[0] = parser.getText();
      } else if ("reason".equals(field) && value == JsonToken.VALUE_STRING) {
        typeAndReason[1] = parser.getText();
      } else {
        parser.skipChildren();
      }
    }
    return typeAndReason;
  }

  private static void expect(JsonToken actual, JsonToken expected) throws IOException {
    if (actual != expected) {
      throw new IOException("Unexpected bulk response: " + expected + " expected, got " + actual);
    }
  }
}

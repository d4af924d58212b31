package io.pgsearch.connect.converters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad input: a DataException naming the topic and what was expected, never the input's text. */
class StreamingJsonConverterErrorsTest {
  private static final String SCHEMA =
      "{\"type\":\"struct\",\"name\":\"shop.public.items.Value\",\"fields\":["
          + "{\"type\":\"int32\",\"field\":\"qty\"},"
          + "{\"type\":\"double\",\"optional\":true,\"field\":\"price\"},"
          + "{\"type\":\"array\",\"optional\":true,\"items\":{\"type\":\"string\"},\"field\":\"tags\"},"
          + "{\"type\":\"struct\",\"optional\":true,\"fields\":[{\"type\":\"boolean\",\"field\":\"ok\"}],"
          + "\"field\":\"inner\"}]}";

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          {"qty":1,"price":"SECRET"}          | expected a number (float64), not a string for field price
          {"qty":"SECRET"}                    | expected an integer (int32), not a string for field qty
          {"qty":1.5}                         | expected an integer (int32), not a number with a fraction or exponent for field qty
          {"qty":99999999999}                 | expected an integer within the range of int32 for field qty
          {"price":1}                         | expected a value, not null (int32 is required) for field qty
          {"qty":null}                        | expected a value, not null (int32 is required) for field qty
          {"qty":1,"tags":["a",7]}            | expected a string, not an integer for field tags[1]
          {"qty":1,"tags":{"SECRET":1}}       | expected an array, not an object for field tags
          {"qty":1,"inner":{"ok":"SECRET"}}   | expected a boolean, not a string for field inner.ok
          {"qty":1,"inner":[]}                | expected an object (struct), not an array for field inner
          """)
  void aPayloadThatDoesNotFitItsSchemaNamesTheFieldAndWhatWasExpected(
      String payload, String expected) {
    StreamingJsonConverter converter = converter();
    byte[] record =
        ("{\"schema\":" + SCHEMA + ",\"payload\":" + payload + "}")
            .getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> converter.toConnectData("shop.public.items", record))
        .isInstanceOf(DataException.class)
        .hasMessageStartingWith(
            "The value of a record of topic shop.public.items is not what its schema"
                + " shop.public.items.Value says")
        .hasMessageEndingWith(expected)
        .hasMessageNotContaining("SECRET");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          {"schema":{"type":"int32"},"payload":SECRET}          | not valid JSON, invalid at line 1
          {"schema":{"type":"int32"},"payload":"SECRET           | not valid JSON, invalid at line 1
          {"schema":{"type":"int32"}                            | not valid JSON, invalid at line 1
          {"schema":{"type":"int32"}}                           | not a JSON envelope
          {"schema":{"type":"int32"},"payload":1,"SECRET":2}    | not a JSON envelope
          {"payload":1}                                         | not a JSON envelope
          [1,2]                                                 | not a JSON envelope
          "SECRET"                                              | not a JSON envelope
          {"schema":{"type":"SECRET"},"payload":1}              | Unknown schema type: SECRET
          {"schema":{"typo":"int32"},"payload":1}               | Schema must contain 'type' field
          {"schema":{"type":"struct","fields":[{"type":"int32","field":"x"}]},"payload":{"x":1}SECRET} | not valid JSON, invalid at line 1
          """)
  void malformedInputIsADataExceptionThatJsonConverterAlsoRaises(String json, String expected) {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    Equivalence both = Equivalence.of(true, "BASE64", false);
    assertThatThrownBy(() -> both.kafka.toConnectData("t", bytes))
        .isInstanceOf(DataException.class);
    assertThatThrownBy(() -> both.ours.toConnectData("shop.public.items", bytes))
        .isInstanceOf(DataException.class)
        .hasMessageStartingWith("The value of a record of topic shop.public.items is ")
        .hasMessageContaining(expected)
        .satisfies(
            e -> {
              if (!expected.contains("SECRET")) {
                assertThat(e.getMessage()).doesNotContain("SECRET");
              }
            });
  }

  private static StreamingJsonConverter converter() {
    StreamingJsonConverter converter = new StreamingJsonConverter();
    converter.configure(java.util.Map.of("replace.null.with.default", "false"), false);
    return converter;
  }
}

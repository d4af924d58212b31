package io.pgsearch.connect.converters;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.connect.data.ConnectSchema;
import org.apache.kafka.connect.data.Schema;
import org.junit.jupiter.api.Test;

class EqualSchemasTest {
  /** A built schema that counts how often it is compared member by member. */
  private static final class CountingSchema extends ConnectSchema {
    int comparisons;

    CountingSchema(boolean optional) {
      super(Schema.Type.STRING, optional, null, "s", null, null);
    }

    @Override
    public boolean equals(Object o) {
      comparisons++;
      return super.equals(o);
    }

    @Override
    public int hashCode() {
      return super.hashCode();
    }
  }

  @Test
  void aPairOfEqualSchemaObjectsIsComparedOnce() {
    EqualSchemas equalSchemas = new EqualSchemas(10);
    CountingSchema a = new CountingSchema(false);
    CountingSchema b = new CountingSchema(false);

    for (int i = 0; i < 5; i++) {
      assertThat(equalSchemas.equal(a, b)).isTrue();
    }

    assertThat(a.comparisons).isEqualTo(1);
  }

  @Test
  void unequalSchemasAreComparedEveryTimeAndNeverEqual() {
    EqualSchemas equalSchemas = new EqualSchemas(10);
    CountingSchema a = new CountingSchema(false);
    CountingSchema optional = new CountingSchema(true);

    for (int i = 0; i < 3; i++) {
      assertThat(equalSchemas.equal(a, optional)).isFalse();
      assertThat(equalSchemas.equal(a, null)).isFalse();
    }

    assertThat(a.comparisons).isEqualTo(6);
  }

  @Test
  void aRememberedPairDoesNotMakeAThirdSchemaEqual() {
    EqualSchemas equalSchemas = new EqualSchemas(10);
    CountingSchema a = new CountingSchema(false);

    assertThat(equalSchemas.equal(a, new CountingSchema(false))).isTrue();

    assertThat(equalSchemas.equal(a, new CountingSchema(true))).isFalse();
  }

  @Test
  void aZeroCapacityRemembersNothing() {
    EqualSchemas none = new EqualSchemas(0);
    CountingSchema a = new CountingSchema(false);
    CountingSchema b = new CountingSchema(false);

    none.equal(a, b);
    none.equal(a, b);

    assertThat(a.comparisons).isEqualTo(2);
  }

  @Test
  void whenFullItForgetsAndComparesAgain() {
    EqualSchemas equalSchemas = new EqualSchemas(1);
    CountingSchema a = new CountingSchema(false);
    CountingSchema b = new CountingSchema(false);
    CountingSchema c = new CountingSchema(false);
    CountingSchema d = new CountingSchema(false);

    equalSchemas.equal(a, b);
    equalSchemas.equal(c, d); // evicts a's pair
    equalSchemas.equal(a, b);

    assertThat(a.comparisons).isEqualTo(2);
  }
}

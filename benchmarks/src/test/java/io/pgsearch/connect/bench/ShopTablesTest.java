package io.pgsearch.connect.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ShopTablesTest {
  @Test
  void theDefaultShopHasTenThousandOrdersWithTheRenamedProduct() {
    ShopTables shop = ShopTables.of(BenchOptions.DEFAULT_ORDERS);
    assertThat(shop.orders()).isEqualTo(100_000);
    assertThat(shop.customers()).isEqualTo(20_000);
    assertThat(shop.products()).isEqualTo(5_000);
    assertThat(shop.ordersWithRenamedProduct()).isEqualTo(10_000);
    assertThat(shop.items()).isEqualTo(300_000);
  }

  @Test
  void itemsCountTwoToFourPerOrder() {
    for (int orders : new int[] {1_000, 1_001, 1_002, 1_003}) {
      long expected = 0;
      for (int o = 1; o <= orders; o++) {
        expected += 2 + o % 3;
      }
      assertThat(ShopTables.of(orders).items()).as(orders + " orders").isEqualTo(expected);
    }
  }

  @Test
  void everyCustomerHasFiveOrders() {
    ShopTables shop = ShopTables.of(1_000);
    int[] orders = new int[shop.customers() + 1];
    for (int o = 1; o <= shop.orders(); o++) {
      orders[(int) shop.customerOf(o)]++;
    }
    for (int c = 1; c <= shop.customers(); c++) {
      assertThat(orders[c]).as("customer " + c).isEqualTo(ShopTables.ORDERS_PER_CUSTOMER);
    }
  }

  @Test
  void theSqlUsesTheSizes() {
    ShopTables shop = ShopTables.of(2_000);
    assertThat(shop.fill().get(0)).contains("generate_series(1, 400)");
    assertThat(shop.fill().get(1)).contains("generate_series(1, 100)");
    assertThat(shop.fill().get(2)).contains("1 + g % 400").contains("generate_series(1, 2000)");
    assertThat(shop.fill().get(3))
        .contains("generate_series(1, 2000)")
        .contains("THEN 1 ELSE 2 + (o * 31 + l * 17) % 99 END");
  }
}

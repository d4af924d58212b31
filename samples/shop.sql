-- Sample schema and data of the dev stack (the run command and docker-compose load it).
-- A small shop: customers, products, orders and their lines (a composite primary key).

CREATE TABLE customers (
  id          bigint PRIMARY KEY,
  email       text NOT NULL UNIQUE,
  full_name   text NOT NULL,
  country     char(2) NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE products (
  id          bigint PRIMARY KEY,
  sku         text NOT NULL UNIQUE,
  name        text NOT NULL,
  description text,
  price       numeric(12, 2) NOT NULL,
  in_stock    boolean NOT NULL DEFAULT true,
  tags        text[] NOT NULL DEFAULT '{}',
  attributes  jsonb NOT NULL DEFAULT '{}',
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Row filters on in_stock (connect-configs/examples/pg-source-row-filter.json) need the column in
-- the replica identity; a unique index keeps the identity small, so unchanged large columns
-- (description) still travel as "unchanged TOAST" and are kept by a partial update.
CREATE UNIQUE INDEX products_id_in_stock ON products (id, in_stock);
ALTER TABLE products REPLICA IDENTITY USING INDEX products_id_in_stock;

CREATE TABLE orders (
  id          bigint PRIMARY KEY,
  customer_id bigint NOT NULL REFERENCES customers (id),
  status      text NOT NULL,
  total       numeric(14, 2) NOT NULL,
  placed_at   timestamptz NOT NULL
);

CREATE TABLE order_items (
  order_id    bigint NOT NULL REFERENCES orders (id),
  line_no     int NOT NULL,
  product_id  bigint NOT NULL REFERENCES products (id),
  quantity    int NOT NULL,
  unit_price  numeric(12, 2) NOT NULL,
  PRIMARY KEY (order_id, line_no)
);

INSERT INTO customers (id, email, full_name, country, created_at)
SELECT g, 'customer' || g || '@example.com', 'Customer ' || g,
       (ARRAY['DE', 'FR', 'US', 'JP', 'BR'])[1 + g % 5],
       timestamptz '2024-01-01 00:00:00+00' + g * interval '37 minutes'
FROM generate_series(1, 1000) AS g;

INSERT INTO products (id, sku, name, description, price, in_stock, tags, attributes, updated_at)
SELECT g, 'SKU-' || lpad(g::text, 5, '0'),
       (ARRAY['Red', 'Blue', 'Green', 'Black', 'White'])[1 + g % 5] || ' '
         || (ARRAY['running shoes', 'rain jacket', 'wool hat', 'backpack', 'water bottle'])[1 + (g / 5) % 5],
       'A sturdy product number ' || g || ' for everyday use.',
       round((5 + (g * 7919 % 20000) / 100.0)::numeric, 2),
       g % 7 <> 0,
       ARRAY[(ARRAY['outdoor', 'sport', 'winter', 'travel'])[1 + g % 4], 'all'],
       jsonb_build_object('weight_g', 100 + g % 900, 'origin', (ARRAY['PT', 'VN', 'DE'])[1 + g % 3]),
       timestamptz '2024-06-01 00:00:00+00' + g * interval '11 minutes'
FROM generate_series(1, 2000) AS g;

INSERT INTO orders (id, customer_id, status, total, placed_at)
SELECT g, 1 + g % 1000, (ARRAY['placed', 'paid', 'shipped', 'delivered'])[1 + g % 4], 0,
       timestamptz '2024-07-01 00:00:00+00' + g * interval '5 minutes'
FROM generate_series(1, 1500) AS g;

INSERT INTO order_items (order_id, line_no, product_id, quantity, unit_price)
SELECT o, l, 1 + (o * 31 + l * 17) % 2000, 1 + (o + l) % 3, p.price
FROM generate_series(1, 1500) AS o
CROSS JOIN generate_series(1, 3) AS l
JOIN products p ON p.id = 1 + (o * 31 + l * 17) % 2000;

UPDATE orders o SET total = t.total
FROM (SELECT order_id, sum(quantity * unit_price) AS total FROM order_items GROUP BY order_id) t
WHERE t.order_id = o.id;

-- TroupeDB compatibility script: run with psql against PostgreSQL 15 and TroupeDB and diff the
-- outputs (see README.md). Rules: plain SQL any PostgreSQL-compatible system should support;
-- every query that can return more than one row has an ORDER BY that fixes the order completely;
-- no now()/random(); floating-point values are exactly representable (1.5, 0.25, ...).
-- Errors appear only in the section marked "Errors".
SET TimeZone = 'UTC';

-- ---------------------------------------------------------------- DDL
CREATE TABLE all_types (
  id        INTEGER PRIMARY KEY,
  b         BOOLEAN,
  si        SMALLINT,
  i         INTEGER,
  bi        BIGINT,
  r         REAL,
  d         DOUBLE PRECISION,
  n         NUMERIC(10, 2),
  vc        VARCHAR(20),
  c         CHAR(5),
  t         TEXT,
  dt        DATE,
  ts        TIMESTAMP,
  tstz      TIMESTAMPTZ,
  bin       BYTEA
);

CREATE TABLE customers (
  id      SERIAL PRIMARY KEY,
  email   VARCHAR(100) NOT NULL UNIQUE,
  name    TEXT NOT NULL,
  city    TEXT,
  active  BOOLEAN NOT NULL DEFAULT TRUE
);

CREATE TABLE products (
  sku    VARCHAR(10) PRIMARY KEY,
  title  TEXT NOT NULL,
  price  NUMERIC(8, 2) NOT NULL,
  stock  INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE orders (
  customer_id  INTEGER NOT NULL,
  order_no     INTEGER NOT NULL,
  placed       DATE NOT NULL,
  status       TEXT NOT NULL DEFAULT 'new',
  PRIMARY KEY (customer_id, order_no)
);

CREATE TABLE order_lines (
  customer_id  INTEGER NOT NULL,
  order_no     INTEGER NOT NULL,
  line_no      SMALLINT NOT NULL,
  sku          VARCHAR(10) NOT NULL,
  qty          INTEGER NOT NULL,
  PRIMARY KEY (customer_id, order_no, line_no)
);

CREATE INDEX orders_placed_idx ON orders (placed);
CREATE INDEX customers_city_idx ON customers (city, name);

-- ---------------------------------------------------------------- writes
INSERT INTO all_types VALUES
  (1, TRUE, 1, 10, 10000000000, 1.5, 2.25, 12.34, 'hello', 'ab', 'some text',
   DATE '2024-01-15', TIMESTAMP '2024-01-15 10:30:00', TIMESTAMPTZ '2024-01-15 10:30:00+00',
   '\xdeadbeef'),
  (2, FALSE, -32768, -2147483648, -9223372036854775808, -0.25, -1e10, -99999999.99, '', 'abcde',
   'quote''s', DATE '1999-12-31', TIMESTAMP '1999-12-31 23:59:59.5',
   TIMESTAMPTZ '2000-01-01 01:00:00+02', '\x00'),
  (3, NULL, 32767, 2147483647, 9223372036854775807, 0, 0.5, 0, NULL, NULL, NULL, NULL, NULL,
   NULL, NULL);

SELECT * FROM all_types ORDER BY id;
SELECT id, b IS NULL AS b_null, c || '|' AS c_bar, length(c) AS c_len, octet_length(bin) AS bin_len
FROM all_types ORDER BY id;

INSERT INTO customers (email, name, city) VALUES
  ('ann@example.com', 'Ann', 'Berlin'),
  ('bob@example.com', 'Bob', 'Paris'),
  ('cat@example.com', 'Cat', 'Berlin');
INSERT INTO customers (email, name, city, active) VALUES
  ('dan@example.com', 'Dan', NULL, FALSE),
  ('eve@example.com', 'Eve', 'Rome', TRUE)
RETURNING id, email, active;

INSERT INTO products VALUES
  ('A1', 'Apple', 0.50, 100),
  ('B2', 'Banana', 0.25, 150),
  ('C3', 'Cherry', 3.10, 0),
  ('D4', 'Durian', 12.00, 5);
INSERT INTO products (sku, title, price) VALUES ('E5', 'Elderberry', 7.75);

INSERT INTO orders (customer_id, order_no, placed) VALUES
  (1, 1, DATE '2024-01-05'),
  (1, 2, DATE '2024-02-10'),
  (2, 1, DATE '2024-01-20'),
  (3, 1, DATE '2024-03-01');
INSERT INTO orders VALUES (5, 1, DATE '2024-03-15', 'paid');

INSERT INTO order_lines VALUES
  (1, 1, 1, 'A1', 10),
  (1, 1, 2, 'B2', 6),
  (1, 2, 1, 'C3', 1),
  (2, 1, 1, 'A1', 3),
  (2, 1, 2, 'D4', 1),
  (2, 1, 3, 'E5', 2),
  (3, 1, 1, 'B2', 12),
  (5, 1, 1, 'A1', 1);

-- INSERT ... SELECT
CREATE TABLE berlin_customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
INSERT INTO berlin_customers SELECT id, name FROM customers WHERE city = 'Berlin';
SELECT * FROM berlin_customers ORDER BY id;

-- ON CONFLICT
INSERT INTO products VALUES ('A1', 'Apricot', 9.99, 1) ON CONFLICT DO NOTHING;
INSERT INTO products VALUES ('F6', 'Fig', 2.00, 20) ON CONFLICT (sku) DO NOTHING;
INSERT INTO products VALUES ('B2', 'Banana', 0.30, 50)
  ON CONFLICT (sku) DO UPDATE SET price = EXCLUDED.price, stock = products.stock + EXCLUDED.stock;
INSERT INTO products VALUES ('C3', 'Cherry', 3.20, 7)
  ON CONFLICT (sku) DO UPDATE SET stock = EXCLUDED.stock RETURNING sku, price, stock;
SELECT * FROM products ORDER BY sku;

-- UPDATE / DELETE
UPDATE products SET stock = stock - 1 WHERE stock > 0;
UPDATE products SET price = price * 2 WHERE sku = 'A1' RETURNING sku, price;
UPDATE customers SET city = 'Munich' WHERE city IS NULL;
UPDATE orders SET status = 'shipped' WHERE placed < DATE '2024-02-01';
UPDATE products SET stock = 0 WHERE sku = 'nope';
DELETE FROM products WHERE sku = 'F6' RETURNING sku, title;
DELETE FROM order_lines WHERE qty >= 12;
SELECT * FROM products ORDER BY sku;
SELECT * FROM orders ORDER BY customer_id, order_no;
SELECT * FROM order_lines ORDER BY customer_id, order_no, line_no;

-- ---------------------------------------------------------------- queries
-- WHERE
SELECT id, name FROM customers WHERE city = 'Berlin' AND active ORDER BY id;
SELECT sku FROM products WHERE price BETWEEN 0.50 AND 7.75 ORDER BY sku;
SELECT id, name FROM customers WHERE name LIKE '_a%' OR city IS NULL ORDER BY id;
SELECT sku FROM products WHERE sku IN ('A1', 'C3', 'Z9') ORDER BY sku;
SELECT sku FROM products WHERE NOT (stock > 0) ORDER BY sku;
SELECT * FROM orders WHERE customer_id = 1 AND order_no = 2;

-- joins
SELECT c.name, o.order_no, o.placed
FROM customers c JOIN orders o ON o.customer_id = c.id
ORDER BY c.name, o.order_no;
SELECT c.name, o.order_no
FROM customers c LEFT JOIN orders o ON o.customer_id = c.id
ORDER BY c.name, o.order_no;
SELECT c.name, p.sku
FROM customers c CROSS JOIN products p
WHERE c.id <= 2 AND p.price > 5
ORDER BY c.name, p.sku;
SELECT o.customer_id, o.order_no, l.line_no, p.title, l.qty * p.price AS amount
FROM orders o
JOIN order_lines l ON l.customer_id = o.customer_id AND l.order_no = o.order_no
JOIN products p ON p.sku = l.sku
ORDER BY o.customer_id, o.order_no, l.line_no;

-- aggregates
SELECT count(*) AS n, count(city) AS with_city, count(DISTINCT city) AS cities FROM customers;
SELECT sum(qty) AS total, min(qty) AS smallest, max(qty) AS largest, avg(qty) AS mean
FROM order_lines;
SELECT sku, count(*) AS lines, sum(qty) AS qty, round(avg(qty), 2) AS avg_qty
FROM order_lines GROUP BY sku ORDER BY sku;
SELECT customer_id, count(*) AS lines
FROM order_lines GROUP BY customer_id HAVING count(*) > 1 ORDER BY customer_id;
SELECT city, count(*) AS n, min(name) AS first_name, max(id) AS last_id
FROM customers GROUP BY city HAVING count(*) >= 1 AND max(id) > 2 ORDER BY city;
SELECT sum(price) AS total_price, min(price), max(price) FROM products;
SELECT count(*) AS n_rows, sum(qty) AS no_sum FROM order_lines WHERE qty > 1000;

-- ORDER BY / LIMIT / OFFSET / DISTINCT
SELECT sku, price FROM products ORDER BY price DESC, sku LIMIT 2;
SELECT sku FROM products ORDER BY sku LIMIT 2 OFFSET 1;
SELECT sku FROM products ORDER BY sku OFFSET 3;
SELECT DISTINCT city FROM customers ORDER BY city;
SELECT DISTINCT customer_id, status FROM orders ORDER BY customer_id, status;
SELECT name, city FROM customers ORDER BY city DESC NULLS LAST, name;

-- subqueries
SELECT name FROM customers
WHERE id IN (SELECT customer_id FROM orders WHERE status = 'shipped') ORDER BY name;
SELECT name FROM customers c
WHERE EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id AND o.placed >= DATE '2024-02-01')
ORDER BY name;
SELECT name FROM customers c
WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id) ORDER BY name;
SELECT c.name, (SELECT count(*) FROM orders o WHERE o.customer_id = c.id) AS orders
FROM customers c ORDER BY c.id;
SELECT sku, price FROM products WHERE price > (SELECT avg(price) FROM products) ORDER BY sku;
SELECT t.city, t.n FROM (SELECT city, count(*) AS n FROM customers GROUP BY city) AS t
WHERE t.n >= 1 ORDER BY t.city;

-- set operations
SELECT city FROM customers WHERE city IS NOT NULL UNION SELECT 'Paris' ORDER BY 1;
SELECT customer_id FROM orders UNION ALL SELECT id FROM customers WHERE id > 3 ORDER BY 1;

-- CASE, CAST, ::
SELECT sku,
       CASE WHEN stock = 0 THEN 'out' WHEN stock < 10 THEN 'low' ELSE 'ok' END AS stock_level,
       CASE sku WHEN 'A1' THEN 1 ELSE 0 END AS is_a1
FROM products ORDER BY sku;
SELECT CAST('42' AS INTEGER) AS i, CAST(3.7 AS INTEGER) AS rounded, '12.5'::NUMERIC(5, 2) AS n,
       CAST(7 AS TEXT) || 'x' AS t, 1::BOOLEAN AS b, CAST('2024-02-29' AS DATE) AS d,
       '2024-02-29 12:00:00'::TIMESTAMP AS ts, CAST(TIMESTAMP '2024-02-29 23:59:59' AS DATE) AS dd,
       CAST(2.5 AS DOUBLE PRECISION) AS dp, 'abc'::VARCHAR(2) AS vc;

-- string functions
SELECT upper(name) AS u, lower(email) AS l, length(email) AS len,
       substring(email FROM 1 FOR 3) AS sub, position('@' IN email) AS at_pos,
       replace(email, 'example.com', 'x.org') AS repl, trim('  ' || name || '  ') AS trimmed,
       name || '/' || coalesce(city, '?') AS joined
FROM customers ORDER BY id;
SELECT coalesce(NULL, 'b', 'c') AS co, nullif(1, 1) AS nu, nullif(1, 2) AS nn,
       'ab' < 'b' AS lt, 'Ab' = 'ab' AS eq;
-- escape strings (E'...') and Unicode strings (U&'...') are text like any other; non-Latin-1 text
SELECT name || E'\t' || 'x' AS tabbed, 'x' || E'\n' || name AS two_lines, name || e'\\n' AS backslash_n,
       E'' || name AS empty_e, concat(name, E'\t', id) AS c
FROM customers ORDER BY id;
SELECT id FROM customers WHERE name = E'\x41nn' OR city = U&'P\0061ris' ORDER BY id;
SELECT E'it''s', E'it\'s', E'\\', E'\x41\101', E'\u00e9\U0001F600', E'\q', E'\47', E'\xg', E'\303\251',
       length(E'a\tb') AS len, upper(E'\x61bc') AS up;
SELECT U&'d\0061t\+000061' AS u, U&'a\\b' AS u2, '€' || 'x' AS euro, 'ö' || 'x' AS umlaut;

-- math functions
SELECT 7 / 2 AS int_div, 7 % 3 AS int_mod, mod(-7, 3) AS neg_mod, 7.0 / 2 AS num_div,
       abs(-5) AS abs_i, abs(-2.50) AS abs_n, round(2.567, 2) AS r2, round(2.5) AS r0,
       ceil(1.2) AS ce, floor(-1.2) AS fl, 1.10 * 3 AS mul, 2 + 3 * 4 AS prec,
       -2147483648::BIGINT - 1 AS bigsub, 0.1 + 0.2 AS num_sum;
SELECT sku, price * stock AS stock_value, round(price * 1.19, 2) AS gross FROM products ORDER BY sku;

-- date and time functions
SELECT placed, placed + 30 AS plus30, DATE '2024-03-01' - placed AS days_before_march,
       EXTRACT(YEAR FROM placed) AS y, EXTRACT(MONTH FROM placed) AS m,
       EXTRACT(DAY FROM placed) AS d
FROM orders ORDER BY customer_id, order_no;
SELECT ts, date_trunc('month', ts) AS month_start, ts + INTERVAL '1 day' AS next_day,
       tstz, CAST(tstz AS DATE) AS tstz_date, EXTRACT(HOUR FROM ts) AS h
FROM all_types WHERE ts IS NOT NULL ORDER BY id;
SELECT TIMESTAMP '2024-03-01 00:00:00' - TIMESTAMP '2024-02-28 12:00:00' AS diff,
       DATE '2024-01-31' < DATE '2024-02-01' AS is_before;

-- NULL semantics
SELECT NULL = NULL AS eq, NULL IS NULL AS is_null, 1 + NULL AS plus,
       'a' || NULL AS cat, TRUE AND NULL AS and_null, FALSE AND NULL AS false_and_null;

-- ---------------------------------------------------------------- Errors
SELECT * FROM no_such_table;
SELECT no_such_column FROM customers;
INSERT INTO products VALUES ('A1', 'Again', 1.00, 1);
INSERT INTO customers (email, name) VALUES ('ann@example.com', 'Ann again');
INSERT INTO products (sku, title, price) VALUES ('G7', NULL, 1.00);
SELECT 'abc'::INTEGER;
SELECT 2147483647 + 1;
INSERT INTO all_types (id, si) VALUES (4, 40000);
SELEC 1;
-- the failed statements changed nothing
SELECT count(*) AS products FROM products;
SELECT count(*) AS customers FROM customers;

-- ---------------------------------------------------------------- cleanup
DROP INDEX customers_city_idx;
DROP TABLE berlin_customers;
DROP TABLE order_lines;
DROP TABLE orders;
DROP TABLE products;
DROP TABLE customers;
DROP TABLE all_types;

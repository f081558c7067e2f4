-- psql meta-commands over a fixed schema (PsqlMetaIT): what \d and friends show must match
-- PostgreSQL's output for the same schema.
CREATE TABLE customers (id SERIAL PRIMARY KEY, email VARCHAR(100) NOT NULL UNIQUE, name TEXT, created DATE DEFAULT '2020-01-01');
CREATE TABLE orders (id BIGINT PRIMARY KEY, customer_id INT NOT NULL, total NUMERIC(10,2) DEFAULT 0, note CHAR(5), placed TIMESTAMP);
CREATE INDEX orders_customer_idx ON orders (customer_id);
CREATE UNIQUE INDEX orders_note_uidx ON orders (note);
CREATE TABLE items (order_id BIGINT, line INT, qty SMALLINT NOT NULL DEFAULT 1, price DOUBLE PRECISION, flag BOOLEAN, PRIMARY KEY (order_id, line));
CREATE TABLE notes (body TEXT, rating REAL);
\dn
\dt
\d
\d customers
\d orders
\d items
\d notes
\di
\dt orders
\d nosuchtable
DROP TABLE customers;
DROP TABLE orders;
DROP TABLE items;
DROP TABLE notes;
\dt

-- Schema changes (issue 14): ALTER TABLE ADD COLUMN with DEFAULT / NOT NULL, DROP COLUMN, RENAME
-- COLUMN / RENAME TO, ALTER COLUMN SET / DROP DEFAULT, SET / DROP NOT NULL and TYPE (widening).
-- Compared with PostgreSQL 15 by CompatScriptsIT; errors are in the last section.
SET TimeZone = 'UTC';
SET client_min_messages = warning; -- TroupeDB sends no NOTICEs (IF [NOT] EXISTS … skipping)
CREATE TABLE alt_t (id INT PRIMARY KEY, a INT, b TEXT);
INSERT INTO alt_t VALUES (1, 10, 'x'), (2, NULL, 'y'), (3, 30, NULL);

-- ADD COLUMN with a constant DEFAULT: rows already there read the default
ALTER TABLE alt_t ADD COLUMN c INT NOT NULL DEFAULT 5;
ALTER TABLE alt_t ADD COLUMN d TEXT DEFAULT 'de';
ALTER TABLE alt_t ADD e NUMERIC(6,2) DEFAULT 1.25;
ALTER TABLE alt_t ADD COLUMN IF NOT EXISTS a INT;
SELECT * FROM alt_t ORDER BY id;
INSERT INTO alt_t (id) VALUES (4);
INSERT INTO alt_t VALUES (5, 50, 'z', 7, NULL, NULL);
SELECT id, c, d, e FROM alt_t ORDER BY id;
UPDATE alt_t SET d = NULL WHERE id = 1;
SELECT id, d, d IS NULL AS null_d FROM alt_t ORDER BY id;
SELECT count(*) FROM alt_t WHERE c = 5;

-- SET / DROP DEFAULT: old rows keep their value
ALTER TABLE alt_t ALTER COLUMN c SET DEFAULT 6;
INSERT INTO alt_t (id) VALUES (6);
ALTER TABLE alt_t ALTER c DROP DEFAULT;
ALTER TABLE alt_t ALTER COLUMN c DROP NOT NULL;
INSERT INTO alt_t (id) VALUES (7);
SELECT id, c FROM alt_t ORDER BY id;

-- SET NOT NULL on a column without NULLs
ALTER TABLE alt_t ALTER COLUMN id SET NOT NULL;
UPDATE alt_t SET b = '?' WHERE b IS NULL;
ALTER TABLE alt_t ALTER COLUMN b SET NOT NULL;
SELECT column_name, is_nullable, column_default IS NOT NULL AS has_default FROM information_schema.columns
  WHERE table_name = 'alt_t' ORDER BY ordinal_position;

-- DROP COLUMN: gone from *, INSERT without a column list and the catalog
ALTER TABLE alt_t DROP COLUMN a;
ALTER TABLE alt_t DROP e;
ALTER TABLE alt_t DROP COLUMN IF EXISTS e;
SELECT * FROM alt_t ORDER BY id;
INSERT INTO alt_t VALUES (8, 'w', 8, 'dd');
SELECT * FROM alt_t WHERE id = 8;
SELECT column_name FROM information_schema.columns WHERE table_name = 'alt_t' ORDER BY ordinal_position;
SELECT attname FROM pg_attribute WHERE attrelid = 'alt_t'::regclass AND attnum > 0 AND NOT attisdropped
  ORDER BY attnum;
ALTER TABLE alt_t ADD COLUMN a TEXT;
SELECT id, a FROM alt_t ORDER BY id;
\d alt_t

-- DROP COLUMN takes the column's indexes and CHECK constraints with it
CREATE TABLE alt_c (id INT PRIMARY KEY, x INT, y INT CHECK (y > 0), z INT, w INT UNIQUE);
CREATE INDEX alt_c_x ON alt_c (x);
INSERT INTO alt_c VALUES (1, 1, 1, 1, 1), (2, 2, 2, 2, 2);
ALTER TABLE alt_c DROP COLUMN x;
ALTER TABLE alt_c DROP COLUMN y;
SELECT indexname FROM pg_indexes WHERE tablename = 'alt_c' ORDER BY indexname;
SELECT conname FROM pg_constraint WHERE conrelid = 'alt_c'::regclass ORDER BY conname;
INSERT INTO alt_c VALUES (3, 3, 3);
SELECT * FROM alt_c ORDER BY id;

-- RENAME COLUMN and RENAME TO
ALTER TABLE alt_c RENAME COLUMN z TO zz;
ALTER TABLE alt_c RENAME zz TO z2;
SELECT id, z2 FROM alt_c ORDER BY id;
ALTER TABLE alt_c RENAME TO alt_c2;
SELECT count(*) FROM alt_c2;
SELECT relname FROM pg_class WHERE relname LIKE 'alt_c%' ORDER BY relname;

-- ALTER COLUMN TYPE, widening
CREATE TABLE alt_w (id SMALLINT PRIMARY KEY, i INT, r REAL, v VARCHAR(3), n INT, m NUMERIC(5,2));
CREATE INDEX alt_w_i ON alt_w (i);
INSERT INTO alt_w VALUES (1, 2147483647, 1.5, 'abc', 7, 123.45);
ALTER TABLE alt_w ALTER COLUMN id TYPE INT;
ALTER TABLE alt_w ALTER COLUMN i TYPE BIGINT;
ALTER TABLE alt_w ALTER COLUMN r TYPE DOUBLE PRECISION;
ALTER TABLE alt_w ALTER COLUMN v TYPE VARCHAR(10);
ALTER TABLE alt_w ALTER COLUMN n SET DATA TYPE NUMERIC;
ALTER TABLE alt_w ALTER COLUMN m TYPE NUMERIC(7,2);
INSERT INTO alt_w VALUES (30000, 9000000000, 2.25, 'abcdefgh', NULL, 12345.67);
SELECT * FROM alt_w ORDER BY id;
SELECT id FROM alt_w WHERE i = 9000000000;
SELECT column_name, data_type, character_maximum_length, numeric_precision, numeric_scale
  FROM information_schema.columns WHERE table_name = 'alt_w' ORDER BY ordinal_position;
ALTER TABLE alt_w ALTER COLUMN v TYPE TEXT;
SELECT v || '!' FROM alt_w ORDER BY id;
\d alt_w

-- Views that name a column
CREATE VIEW alt_v AS SELECT id, z2 FROM alt_c2;
ALTER TABLE alt_c2 RENAME COLUMN w TO w2;
SELECT * FROM alt_v ORDER BY id;

-- A volatile DEFAULT is evaluated for each existing row
CREATE SEQUENCE alt_s;
ALTER TABLE alt_c2 ADD COLUMN seqno BIGINT NOT NULL DEFAULT nextval('alt_s');
SELECT id, seqno FROM alt_c2 ORDER BY id;

-- Errors
ALTER TABLE alt_t ADD COLUMN f INT NOT NULL;
ALTER TABLE alt_t ADD COLUMN c INT;
ALTER TABLE alt_t DROP COLUMN nope;
ALTER TABLE alt_t RENAME COLUMN nope TO x;
ALTER TABLE alt_t RENAME COLUMN c TO d;
ALTER TABLE alt_t RENAME TO alt_w;
ALTER TABLE alt_t ALTER COLUMN nope SET NOT NULL;
ALTER TABLE alt_t ALTER COLUMN a SET NOT NULL;
ALTER TABLE alt_t ALTER COLUMN id DROP NOT NULL;
ALTER TABLE alt_c2 DROP COLUMN z2;
ALTER TABLE nope ADD COLUMN x INT;
ALTER TABLE IF EXISTS nope ADD COLUMN x INT;
INSERT INTO alt_t (id, b, c) VALUES (9, NULL, 1);

-- Dependencies: a foreign key through a unique column, a view's column type
CREATE TABLE xp (id int PRIMARY KEY, u int UNIQUE, t text);
CREATE TABLE xc (id int PRIMARY KEY, pu int REFERENCES xp (u));
ALTER TABLE xp DROP COLUMN u;
CREATE VIEW xv AS SELECT t FROM xp;
ALTER TABLE xp ALTER COLUMN t TYPE varchar(20);
ALTER TABLE xp ALTER COLUMN nope DROP DEFAULT;
ALTER TABLE xp ALTER COLUMN t SET DEFAULT 'q';
INSERT INTO xp (id) VALUES (1);
SELECT * FROM xp;
ALTER TABLE xc DROP COLUMN pu;
INSERT INTO xc VALUES (1);
SELECT * FROM xc;

DROP VIEW alt_v;
DROP VIEW xv;
DROP TABLE xc;
DROP TABLE xp;
DROP TABLE alt_t;
DROP TABLE alt_c2;
DROP TABLE alt_w;
DROP SEQUENCE alt_s;

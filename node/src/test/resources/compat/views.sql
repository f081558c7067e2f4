-- Views and CREATE TABLE AS (issue 14): views queried through joins, WHERE and other views,
-- CREATE OR REPLACE's column rules, DROP VIEW / DROP TABLE with dependent views, what psql's \dv
-- and \d show, pg_views / pg_tables / pg_indexes / information_schema, COMMENT ON with
-- obj_description / col_description, and the errors PostgreSQL gives. Notices (DROP ...
-- CASCADE, IF EXISTS) are not sent by TroupeDB; client_min_messages hides PostgreSQL's.
SET TimeZone = 'UTC';
SET client_min_messages = warning;
CREATE TABLE vt (id int PRIMARY KEY, a int, b text);
CREATE TABLE vu (id int PRIMARY KEY, vt_id int, note varchar(20));
CREATE INDEX vu_note ON vu (note);
INSERT INTO vt VALUES (1, 10, 'x'), (2, 20, 'y'), (3, NULL, 'z');
INSERT INTO vu VALUES (1, 1, 'one'), (2, 1, 'uno'), (3, 2, 'two');
CREATE VIEW vbig AS SELECT id, a * 2 AS a2, b FROM vt WHERE a >= 10;
SELECT * FROM vbig ORDER BY id;
SELECT b FROM vbig WHERE a2 > 30;
SELECT vt.id, g.a2 FROM vt LEFT JOIN vbig g ON g.id = vt.id ORDER BY vt.id;
CREATE VIEW vnamed (k, doubled) AS SELECT id, a2 FROM vbig;
SELECT k, doubled, x.b FROM vnamed JOIN public.vbig x ON x.id = k ORDER BY k DESC;
SELECT count(*) FROM vnamed n WHERE n.k IN (SELECT id FROM vbig);
CREATE VIEW vjoin AS SELECT t.id, t.b, u.note FROM vt t JOIN vu u ON u.vt_id = t.id;
SELECT * FROM vjoin ORDER BY note;
CREATE VIEW vagg AS SELECT vt_id, count(*) AS n, max(note) AS last_note FROM vu GROUP BY vt_id;
SELECT * FROM vagg ORDER BY vt_id;
SELECT v.b, a.n FROM vt v JOIN vagg a ON a.vt_id = v.id ORDER BY v.b;
WITH vbig AS (SELECT 7 AS id) SELECT id FROM vbig;
INSERT INTO vt VALUES (4, 50, 'w');
SELECT k FROM vnamed ORDER BY k;
CREATE OR REPLACE VIEW vbig AS SELECT id, a * 2 AS a2, b, a FROM vt WHERE a >= 20;
SELECT * FROM vbig ORDER BY id;
SELECT k, doubled FROM vnamed ORDER BY k;
\dv
\d vjoin
\d vagg
SELECT schemaname, viewname, viewowner FROM pg_views WHERE schemaname = 'public' ORDER BY viewname;
SELECT c.relname, c.relkind, c.relnatts FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v') ORDER BY c.relname;
SELECT table_name, table_type, is_insertable_into FROM information_schema.tables
  WHERE table_schema = 'public' ORDER BY table_name;
SELECT table_name, check_option, is_insertable_into FROM information_schema.views
  WHERE table_schema = 'public' AND table_name <> 'vbig' ORDER BY table_name;
SELECT table_name, column_name, data_type, ordinal_position FROM information_schema.columns
  WHERE table_name IN ('vjoin', 'vagg') ORDER BY table_name, ordinal_position;
SELECT schemaname, tablename, tableowner, tablespace, hasindexes, hasrules, hastriggers, rowsecurity
  FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename;
SELECT count(*) > 0 AS has_catalog_tables FROM pg_tables WHERE schemaname = 'pg_catalog' AND tablename = 'pg_class';
SELECT schemaname, tablename, indexname, tablespace, indexdef FROM pg_indexes
  WHERE schemaname = 'public' ORDER BY indexname;
CREATE TABLE vcopy AS SELECT id, b AS label FROM vt WHERE a IS NOT NULL;
SELECT * FROM vcopy ORDER BY id;
CREATE TABLE vempty (k, l) AS SELECT id, note FROM vu WITH NO DATA;
INSERT INTO vempty VALUES (9, 'nine');
SELECT * FROM vempty;
CREATE TABLE vfromview AS SELECT * FROM vagg WITH DATA;
SELECT * FROM vfromview ORDER BY vt_id;
\d vempty
DROP VIEW IF EXISTS nope, vnamed;
DROP VIEW vjoin, vagg;
CREATE VIEW v1 AS SELECT id, a FROM vt;
CREATE VIEW v2 AS SELECT id FROM v1 WHERE a > 10;
COMMENT ON TABLE vu IS 'child rows';
COMMENT ON COLUMN vu.note IS 'free text';
COMMENT ON VIEW vbig IS 'big ones';
COMMENT ON COLUMN vbig.a2 IS 'doubled';
SELECT obj_description('vu'::regclass, 'pg_class') AS t, col_description('vu'::regclass, 3) AS c,
  obj_description('vbig'::regclass, 'pg_class') AS v, col_description('vbig'::regclass, 2) AS vc;
COMMENT ON COLUMN vu.note IS NULL;
COMMENT ON TABLE vu IS 'rows';
SELECT objsubid, description FROM pg_description WHERE objoid = 'vu'::regclass ORDER BY objsubid;
\dt+ vu
\dv+ vbig
-- Errors
COMMENT ON TABLE vbig IS 'x';
COMMENT ON VIEW vt IS 'x';
COMMENT ON COLUMN vt.nope IS 'x';
COMMENT ON TABLE nope IS 'x';
CREATE VIEW vbig AS SELECT 1 AS one;
CREATE OR REPLACE VIEW v1 AS SELECT id FROM vt;
CREATE OR REPLACE VIEW v1 AS SELECT id, b FROM vt;
CREATE OR REPLACE VIEW v1 AS SELECT id, b AS a FROM vt;
CREATE OR REPLACE VIEW vt AS SELECT 1 AS x;
CREATE VIEW vw (p, q) AS SELECT 1;
CREATE VIEW vbad AS SELECT nope FROM vt;
CREATE VIEW vbad AS SELECT * FROM nope;
CREATE TABLE v1 (x int);
CREATE TABLE vcopy AS SELECT 1;
CREATE TABLE vbad (x, y) AS SELECT 1;
DROP TABLE vt;
DROP VIEW v1;
DROP VIEW vt;
DROP TABLE v1;
DROP VIEW nope;
INSERT INTO vbig VALUES (9, 9, 'q', 9);
CREATE VIEW vgrp AS SELECT a, count(*) AS n FROM vt GROUP BY a;
INSERT INTO vgrp VALUES (1, 1);
UPDATE vgrp SET n = 2;
DELETE FROM vgrp;
CREATE VIEW vj AS SELECT x.id FROM vt x JOIN vu y ON x.id = y.id;
UPDATE vj SET id = 1;
CREATE VIEW vd AS SELECT DISTINCT a FROM vt;
DELETE FROM vd;
CREATE VIEW vl AS SELECT a FROM vt LIMIT 1;
DELETE FROM vl;
DROP TABLE vt CASCADE;
SELECT * FROM v2;
SELECT relname FROM pg_class WHERE relname IN ('vt', 'v1', 'v2', 'vbig', 'vgrp', 'vj', 'vd', 'vl');
DROP TABLE vu, vcopy, vempty, vfromview;

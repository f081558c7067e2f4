-- What migration tools and ORMs send (issue 14, "Real tools"): advisory locks in one session,
-- Flyway's and SQLAlchemy's catalog spellings. Compared with PostgreSQL 15 by CompatScriptsIT.
SET TimeZone = 'UTC';

-- Advisory locks (one session; two sessions: AdvisoryLockIT)
SELECT pg_advisory_lock(1);
SELECT pg_try_advisory_lock(1);
SELECT pg_advisory_unlock(1);
SELECT pg_advisory_unlock(1);
SELECT pg_try_advisory_lock(7, 8), pg_try_advisory_lock_shared(9);
SELECT pg_advisory_unlock(7, 8), pg_advisory_unlock_shared(9);
SELECT pg_advisory_lock(NULL::bigint) IS NULL AS strict;
BEGIN;
SELECT pg_advisory_xact_lock(42);
SELECT pg_try_advisory_xact_lock(42);
SELECT pg_try_advisory_xact_lock_shared(43);
COMMIT;
SELECT pg_advisory_lock(77431708279161);
SELECT pg_advisory_unlock_all();
SELECT pg_try_advisory_lock(77431708279161) AS "pg_try_advisory_lock";
SELECT pg_advisory_unlock(77431708279161);

-- Flyway
SELECT current_schema;
SELECT current_schema();
SELECT set_config('search_path', 'public', false);
SHOW search_path;
SELECT set_config('search_path', '"$user", public', false);
SET ROLE 'root';
SHOW role;
SET ROLE NONE;
SHOW role;

-- SQLAlchemy's reflection spellings
CREATE TABLE tools_parent (id SERIAL PRIMARY KEY, code VARCHAR(10) NOT NULL UNIQUE, note TEXT DEFAULT 'n');
CREATE TABLE tools_child (id INT, parent_id INT NOT NULL REFERENCES tools_parent (id) ON DELETE CASCADE,
  PRIMARY KEY (parent_id, id));
CREATE INDEX tools_child_id_idx ON tools_child (id);
SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.relname = 'tools_parent'),
  EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.relname = 'no_such_table');
SELECT 1 AS default, 2 AS user, 3 AS from, 4 AS select;
SELECT pg_get_serial_sequence('tools_parent', 'id'), pg_get_serial_sequence('public.tools_parent', 'id'),
  pg_get_serial_sequence('tools_parent', 'code') IS NULL AS not_serial;
SELECT json_build_object('always', false, 'start', 1, 'name', 'a"b', 'none', NULL);
SELECT i.relname, ix.indkey::varchar, ix.indoption::varchar
  FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid
  WHERE t.relname IN ('tools_parent', 'tools_child') ORDER BY i.relname;
SELECT a.attname
  FROM pg_attribute a JOIN (
    SELECT unnest(ix.indkey) attnum, generate_subscripts(ix.indkey, 1) ord
    FROM pg_index ix WHERE ix.indrelid = 'tools_child'::regclass AND ix.indisprimary
  ) k ON a.attnum = k.attnum
  WHERE a.attrelid = 'tools_child'::regclass ORDER BY k.ord;
SELECT cons.conname, cons.conkey FROM pg_constraint cons
  WHERE cons.conrelid = 'tools_parent'::regclass AND cons.contype = 'u';
SELECT r.conname, pg_get_constraintdef(r.oid, true) FROM pg_constraint r
  WHERE r.conrelid = 'tools_child'::regclass AND r.contype = 'f' ORDER BY 1;
SELECT t.typname FROM pg_type t LEFT JOIN pg_enum e ON t.oid = e.enumtypid WHERE t.typtype = 'e';
DROP TABLE tools_child;
DROP TABLE tools_parent;

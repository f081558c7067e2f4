-- One-dimensional arrays (issue 14): columns of the scalar element types, the text form, ARRAY[...]
-- and casts, subscripts and array functions, ANY/ALL with NULLs, array_agg and unnest, diffed with
-- PostgreSQL 15.
SET TimeZone = 'UTC';

-- 1. Columns, text form (quoting, NULL elements, empty arrays).
CREATE TABLE arr (id int PRIMARY KEY, i int[], b bigint[], s smallint[], t text[], v varchar(5)[],
  n numeric(6,2)[], f float8[], ok bool[], d date[], ts timestamp[], u uuid[], ia integer ARRAY);
INSERT INTO arr VALUES (1, '{1,NULL,3}', ARRAY[10000000000, -1], '{7}',
  '{a,"b c",NULL,"","NULL","q\"x","back\\slash","x,y", " pad "}', '{abc,de}', '{1.5,-2.25}',
  '{1.5,0.25}', '{t,f,NULL}', '{2024-01-02}', '{"2024-01-02 03:04:05.5"}',
  '{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}', ARRAY[4, 5]);
INSERT INTO arr (id, i, t) VALUES (2, ARRAY[]::int[], '{}');
INSERT INTO arr (id) VALUES (3);
SELECT * FROM arr ORDER BY id;

-- 2. Subscripts (from 1, out of range is NULL), functions, updates.
SELECT id, i[1], i[2], i[3], i[4], cardinality(i), array_length(i, 1), array_length(i, 2),
  array_position(i, 3) FROM arr ORDER BY id;
UPDATE arr SET i = i || ARRAY[4, 5] WHERE id = 1;
SELECT i, t[2], t[3] IS NULL AS third_null, u[1], ts[1], n[2] FROM arr WHERE id = 1;

-- 3. Constructors and casts.
SELECT ARRAY[1, 2, NULL], ARRAY['a', 'b c'], ARRAY[true, NULL];
SELECT '{1,2}'::int[], CAST('{a,"b c"}' AS text[]), '{ 1 , 2 }'::bigint[], ARRAY[1, 2]::bigint[];
SELECT '{}'::int[], cardinality('{}'::text[]), ARRAY[]::text[];
SELECT ARRAY[1, 2] = ARRAY[1, 2] AS eq, ARRAY[1, 2] || ARRAY[3] AS cat;

-- 4. ANY / ALL with NULLs.
CREATE TABLE q (id int PRIMARY KEY, x int);
INSERT INTO q VALUES (1, 10), (2, NULL), (3, 30);
SELECT id FROM q WHERE x = ANY(ARRAY[10, 20]) ORDER BY id;
SELECT id, x = ANY('{30,NULL}'::int[]) AS any_eq, x <> ALL(ARRAY[10, NULL]) AS all_ne,
  x > ALL(ARRAY[5, 20]) AS all_gt, x = SOME(ARRAY[]::int[]) AS none FROM q ORDER BY id;
SELECT 1 = ANY('{}'::int[]) AS any_empty, 1 = ALL('{}'::int[]) AS all_empty;
SELECT id FROM q WHERE id = ANY(SELECT 1) ORDER BY id;

-- 5. array_agg keeps NULLs; unnest.
SELECT array_agg(x ORDER BY id) FROM q;
SELECT array_agg(x ORDER BY id DESC) FROM q WHERE id > 1;
SELECT array_agg(x) FROM q WHERE id > 5;
SELECT id % 2 AS k, array_agg(x ORDER BY id) FROM q GROUP BY id % 2 ORDER BY k;
SELECT * FROM unnest(ARRAY[3, NULL, 1]);
SELECT u FROM unnest('{b,a}'::text[]) AS u ORDER BY u;

-- 6. Errors.
SELECT '{1,x}'::int[];
SELECT 'x'::int[];
SELECT '{1'::int[];
SELECT '{1} x'::int[];
SELECT 1 = ANY(1);
INSERT INTO arr (id, v) VALUES (9, '{abcdef}');
SELECT ARRAY[];
DROP TABLE arr;
DROP TABLE q;

-- Planner regressions (issue 14): silent wrong answers and internal errors found by hand and by
-- the differential tester (node's DifferentialIT), each next to PostgreSQL 15's answer. Same rules
-- as basic.sql: ORDER BY on every multi-row query; errors only in the "Errors" section.
SET TimeZone = 'UTC';

CREATE TABLE rq (pk int PRIMARY KEY, a int, b int);
INSERT INTO rq VALUES (1, 10, 100), (2, 60, 5), (3, NULL, 50);

-- ---------------------------------------------------------------- IN / EXISTS sub-queries
-- An empty IN sub-query OR-ed with another condition emptied the result (SemiJoinRule).
SELECT pk FROM rq WHERE a > 50 OR a IN (SELECT b FROM rq WHERE a BETWEEN 88 AND 74);
SELECT pk FROM rq WHERE a > 50 OR a IN (SELECT b FROM rq WHERE 1 > 2);
SELECT pk FROM rq WHERE a > 50 OR EXISTS (SELECT 1 FROM rq WHERE 1 > 2);
SELECT pk FROM rq WHERE a > 50 OR a NOT IN (SELECT b FROM rq WHERE 1 > 2) ORDER BY pk;
SELECT pk FROM rq WHERE a IN (SELECT b FROM rq WHERE 1 > 2);
SELECT pk FROM rq WHERE a < 20 OR a IN (SELECT b + 55 FROM rq) ORDER BY pk;

-- ---------------------------------------------------------------- CASE / COALESCE over GROUP BY
SELECT COALESCE(c.a, c.a) FROM rq c GROUP BY c.a ORDER BY 1;
SELECT CASE c.a WHEN 10 THEN 'ten' WHEN 60 THEN 'sixty' END AS name FROM rq c GROUP BY c.a ORDER BY 1;
SELECT CASE WHEN a > 20 THEN a END AS big, count(*) FROM rq GROUP BY a ORDER BY 1, 2;
SELECT NULLIF(a, 10), count(*) FROM rq GROUP BY a ORDER BY 1;
-- PostgreSQL's functional dependency: columns of a table whose primary key is grouped.
SELECT pk, a, b FROM rq GROUP BY pk ORDER BY pk;
SELECT r.pk, r.b, count(*) FROM rq r JOIN rq s ON s.a = r.a GROUP BY r.pk ORDER BY r.pk;

-- ---------------------------------------------------------------- NULL arithmetic and predicates
SELECT CAST(NULL AS INTEGER) / a * a AS x FROM rq ORDER BY pk;
SELECT a * (NULL::int / a) AS x FROM rq ORDER BY pk;
SELECT count(*) FROM rq WHERE pk * (NULL::int - a) IS NULL;
SELECT count(*), sum(a), min(b), max(pk), avg(a) FROM rq WHERE NULL < NULL;
SELECT count(*), count(a), sum(b) FROM rq WHERE NOT NULL BETWEEN 1 AND 2;
SELECT count(*) FROM rq WHERE NULL < NULL GROUP BY a;
SELECT count(*) FROM rq WHERE a IN (10, NULL);
-- COALESCE's NOT NULL cast outlived its IS NOT NULL guard.
SELECT pk FROM rq WHERE pk <> COALESCE(a, pk) ORDER BY pk;
SELECT count(*) FROM rq WHERE a <> COALESCE(b, a);
SELECT count(*) FROM rq WHERE a NOT IN (10, NULL);
-- COALESCE in predicates: the CASE it was rewritten to split, and a NULL first argument passed.
SELECT pk FROM rq WHERE NOT (COALESCE(a, b) > 20) ORDER BY pk;
SELECT pk FROM rq WHERE b > COALESCE(a, b) ORDER BY pk;
SELECT pk FROM rq WHERE b NOT BETWEEN COALESCE(a, b) AND 60 ORDER BY pk;
SELECT sum(pk) FROM rq WHERE NOT (COALESCE(a, a) = 10);
SELECT COALESCE(a, a) AS x, COALESCE(a, b, pk) AS y, COALESCE(a, 7) > 8 AS z FROM rq ORDER BY pk;
SELECT COALESCE(CAST(a AS BIGINT), b) AS x FROM rq ORDER BY pk;
-- A NULL left of [NOT] IN over a correlated sub-query: false over no rows, unknown otherwise.
SELECT pk FROM rq x WHERE CAST(NULL AS INTEGER) NOT IN (SELECT y.pk FROM rq y WHERE y.b = x.a) ORDER BY pk;
SELECT pk FROM rq x WHERE (6 - NULL) NOT IN (SELECT y.pk FROM rq y WHERE y.b = x.a + 40) ORDER BY pk;
SELECT pk, CAST(NULL AS INTEGER) IN (SELECT y.pk FROM rq y WHERE y.b = x.a + 40) AS n FROM rq x ORDER BY pk;

-- ---------------------------------------------------------------- Correlated sub-query under GROUP BY
SELECT a, a, count(*) FROM rq x WHERE NOT EXISTS (SELECT 1 FROM rq y WHERE y.b >= x.a) GROUP BY a, a ORDER BY 1;

-- DISTINCT over constants with a correlated EXISTS over an empty table (decorrelator).
CREATE TABLE e3 (id int PRIMARY KEY, c1 int);
SELECT DISTINCT 3 AS three FROM rq x0 WHERE EXISTS (SELECT 1 FROM e3 x1 WHERE x1.c1 <> x0.a);
INSERT INTO e3 VALUES (1, 10);
SELECT DISTINCT 3 AS three FROM rq x0 WHERE EXISTS (SELECT 1 FROM e3 x1 WHERE x1.c1 <> x0.a);
DROP TABLE e3;

-- ---------------------------------------------------------------- Outer join then join on its right side
-- A merge join's output passed for sorted on the outer join's right-hand keys (NULLs there).
CREATE TABLE mj3 (id int PRIMARY KEY, c0 int);
INSERT INTO mj3 VALUES (1, 2), (2, 0), (3, NULL), (4, 5), (5, NULL), (6, 5);
CREATE TABLE mj4 (id int PRIMARY KEY, c0 int);
INSERT INTO mj4 VALUES (1, -1), (2, 5), (3, 0), (4, 5), (5, 1);
SELECT x0.id, x1.id, x2.id FROM mj3 x0 LEFT JOIN mj4 x1 ON x0.c0 = x1.c0 JOIN mj3 x2 ON x1.c0 = x2.c0
ORDER BY 1, 2, 3;
SELECT count(*) FROM mj3 x0 LEFT JOIN mj4 x1 ON x0.c0 = x1.c0 JOIN mj3 x2 ON x1.c0 = x2.c0;
DROP TABLE mj3;
DROP TABLE mj4;

-- ---------------------------------------------------------------- Aggregate over an argument simplified to NOT NULL
-- sql2rel typed the sum nullable but simplified NULLIF(3, 0) to a NOT NULL 3: "Type mismatch" (XX000).
SELECT x0.a, x0.a, sum(CAST(NULLIF(3, 0) AS BIGINT)), avg(x0.pk) FROM rq x0
WHERE NOT EXISTS (SELECT x1.b FROM rq x1 WHERE x1.b >= x0.a) GROUP BY x0.a ORDER BY 1;
SELECT a, sum(NULLIF(3, 0)), min(CASE WHEN 0 IS NULL THEN 1 ELSE 2 END), max(COALESCE(b, 7)) FROM rq
WHERE EXISTS (SELECT 1 FROM rq x1 WHERE x1.b = rq.b) GROUP BY a ORDER BY a;

-- ---------------------------------------------------------------- Errors
SELECT a, b FROM rq GROUP BY a;
SELECT a + b FROM rq GROUP BY a;

DROP TABLE rq;

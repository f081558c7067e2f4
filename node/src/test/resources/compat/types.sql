-- Types and expressions compared with PostgreSQL (TypesIT). Each section names the issue-2 item.
\set VERBOSITY terse

-- 3. numeric mixed with integer types
CREATE TABLE n3 (id INT PRIMARY KEY, x BIGINT, y NUMERIC(10,2), z INT, s SMALLINT, u NUMERIC);
INSERT INTO n3 VALUES (1, 10, 1.50, 3, 2, 7), (2, 20, 2.25, 4, 5, 1.125);
SELECT y + (SELECT sum(x) FROM n3) FROM n3 ORDER BY id;
SELECT y + x, y - x, y * x, x + y FROM n3 ORDER BY id;
SELECT y + z, z * y, s + y, y > x, x < y, y = z FROM n3 ORDER BY id;
SELECT 1.5 + (SELECT sum(x) FROM n3), (SELECT sum(x) FROM n3) * 2.5;
SELECT y FROM n3 WHERE y > (SELECT sum(x) FROM n3) - 100 ORDER BY y;
SELECT (SELECT sum(x) FROM n3 b WHERE b.id <= a.id) + a.y FROM n3 a ORDER BY a.id;
SELECT avg(x) + y FROM n3 GROUP BY y ORDER BY 1;
SELECT avg(x), avg(z), avg(s), sum(x), sum(z), sum(y) + sum(x) FROM n3;
SELECT x::numeric, x::numeric + 1, u + x, u * z FROM n3 ORDER BY id;
SELECT CASE WHEN id = 1 THEN u ELSE x END, coalesce(u, x), coalesce(x, u) FROM n3 ORDER BY id;
SELECT u FROM n3 UNION SELECT x FROM n3 ORDER BY 1;
SELECT x + 1.5, z + 1.5, s - 1.5, x * 0.5, 1.5 * z FROM n3 ORDER BY id;
SELECT coalesce(sum(x), 0) + 0.5 FROM n3 WHERE id > 5;

-- 1. microseconds
CREATE TABLE ts1 (k TIMESTAMP PRIMARY KEY, a TIMESTAMPTZ, t TEXT);
INSERT INTO ts1 VALUES ('2024-01-02 03:04:05.123456', '2024-01-02 03:04:05.654321+00', '2024-01-01 00:00:00.000001'), (TIMESTAMP '2024-01-02 03:04:05.123457', NULL, NULL);
SELECT k, a, t::timestamp AS tt, k::text AS kt, a::text AS az FROM ts1 ORDER BY 1;
SELECT k FROM ts1 WHERE k = '2024-01-02 03:04:05.123456';
SELECT k FROM ts1 WHERE k > TIMESTAMP '2024-01-02 03:04:05.123456';
SELECT max(k), min(a), count(DISTINCT k) FROM ts1;
SELECT '2024-01-02 03:04:05.123456'::timestamp, '2024-01-02 03:04:05.999999+02'::timestamptz, k::timestamptz FROM ts1 ORDER BY k;
SELECT extract(year FROM k), k::date, date_trunc('day', k) FROM ts1 ORDER BY k;

-- 2. timestamptz and the session TimeZone
CREATE TABLE tz2 (id INT PRIMARY KEY, b TIMESTAMPTZ, t TEXT);
INSERT INTO tz2 VALUES (1, '2024-01-02 03:04:05', '2024-01-01 00:00:00+00'), (2, '2024-07-01 12:00:00+02', '2024-07-01 12:00');
SELECT id, b, t::timestamptz FROM tz2 ORDER BY id;
SET TIME ZONE '+05:30';
SHOW TimeZone;
SELECT id, b, t::timestamptz FROM tz2 ORDER BY id;
SELECT '2024-01-01 10:00'::timestamptz, TIMESTAMPTZ '2024-01-01 10:00', '2024-01-01 10:00+01'::timestamptz;
INSERT INTO tz2 VALUES (3, '2024-03-03 03:03:03', NULL);
SET TimeZone = 'UTC+3';
SHOW TimeZone;
SELECT id, b FROM tz2 ORDER BY id;
SET TIME ZONE -2;
SHOW TimeZone;
SELECT id, b FROM tz2 ORDER BY id;
SET TIME ZONE 'America/New_York';
SELECT id, b, t::timestamptz FROM tz2 ORDER BY id;
SELECT '2024-07-01 12:00'::timestamptz = '2024-07-01 16:00+00'::timestamptz;
SET TIME ZONE 'UTC';
SELECT id, b FROM tz2 ORDER BY id;
SELECT 'nonsense'::text::timestamptz;

-- 5. casts and functions
SELECT 123.456::numeric(6,2), (-123.455)::numeric(6,2), 1.5::numeric, -2.50::numeric, 3::numeric;
SELECT 99999::numeric(4,1);
SELECT 'abc'::int;
SELECT 99999::smallint;
SELECT 3000000000::int;
SELECT 9223372036854775808::bigint;
SELECT 32767::smallint, 2147483647::int, 9223372036854775807::bigint, 2.5::int;
SELECT extract(dow FROM date '2024-05-17'), extract(dow FROM timestamp '2024-05-19 10:00:00'), extract(doy FROM date '2024-05-17');
SELECT 'true'::bool, ' YES '::boolean, 'off'::bool, true::text, false::varchar, 'f'::bool::int, 1::bool, 0::boolean;
SELECT 'maybe'::text::bool;
SELECT round(2.567, 2), round(2.5), round(-2.5), ceil(2.1), floor(-2.1), mod(7, 3), mod(-7, 3), 7 % 3, abs(-3.5), sign(-2);
SELECT substring('hello world' from 2 for 3), position('lo' in 'hello'), overlay('hello' placing 'XX' from 2 for 2);
SELECT lpad('ab', 5, '*'), rpad('ab', 5, '*'), initcap('hello wORLD'), replace('aaa', 'a', 'b'), translate('abc', 'ab', 'xy');
SELECT concat_ws('-', 'a', 'b', null, 'c'), repeat('ab', 3), reverse('abc'), md5('abc'), strpos('hello', 'l');

-- 6. functions taking integers, lengths, formatting, aggregates (issue-2 function sweep)
CREATE TABLE fn6 (id INT PRIMARY KEY, i INT, b BIGINT, t TEXT, y BYTEA, ts TIMESTAMP, tz TIMESTAMPTZ, d DATE, n NUMERIC(10,2), f BOOLEAN);
INSERT INTO fn6 VALUES (1, 3, 4, 'héllo', '\x00ff10', '2024-01-02 03:04:05.123456', '2024-01-02 03:04:05.654321+00', '2024-03-04', -1234.56, true), (2, 2, 5, 'b', '\x', '2024-12-31 23:59:59', NULL, '2024-12-31', 0.5, false), (3, NULL, 6, 'c', NULL, NULL, NULL, NULL, 12, NULL);
SELECT lpad('ab', 5, '*'), rpad('ab', 5), split_part('a,b,c', ',', 2), left('abcdef', 2), right('abcdef', -2), substr('abcdef', 2, 3), substr('abc', 2), chr(65), round(2.567, 2), round(-2.5), greatest(1, 2, 3), least(1.5, 2);
SELECT id, lpad(t, i, '.'), repeat('x', i), split_part('a,b,c', ',', i), round(2.5678, i), greatest(i, b), least(i, 2.5) FROM fn6 ORDER BY id;
SELECT ltrim('xxa', 'x'), rtrim('axx', 'x'), btrim('xyaxy', 'xy'), ltrim('  a'), rtrim('a  ') || '|', strpos('hello', 'l'), md5('abc'), LPAD('ab', 3), initcap('hello wORLD');
SELECT id, length(t), octet_length(t), char_length(t), length(y), octet_length(y) FROM fn6 ORDER BY id;
SELECT regexp_replace('abcabc', 'b', 'X'), regexp_replace('aBcabc', 'b', 'X', 'gi'), regexp_replace('abc', '(b)', '[\1]'), 'abc' ~ 'b', 'abc' ~* 'B';
SELECT id, to_char(ts, 'YYYY-MM-DD HH24:MI:SS'), to_char(ts, 'DD Mon YYYY HH12:MI:SS AM MS US'), to_char(ts, 'FMDay FMMonth DD, YYYY'), to_char(ts, 'Dy DY dy Mon MON mon Q DDD D') FROM fn6 ORDER BY id;
SELECT id, to_char(d, 'YYYY/MM/DD'), to_char(d, 'Month, Day'), to_char(tz, 'YYYY-MM-DD HH24:MI:SS.MS') FROM fn6 ORDER BY id;
SELECT id, to_char(n, '99G999D99'), to_char(n, 'FM99,999.00'), to_char(i, '000'), to_char(b, '9999'), to_char(n, 'S99999.9'), to_char(n, '99999.99MI') FROM fn6 ORDER BY id;
SELECT to_char(1234.5, 'FM9,999.90'), to_char(0.5, '9.99'), to_char(0, '999'), to_char(-12, '9999'), to_char(12345, '999'), to_char(12, 'FM99.99'), to_char(485, '"n="999'), to_char(3.14159, '9.999');
SELECT to_date('2024-01-02', 'YYYY-MM-DD'), to_date('05 Mar 2023', 'DD Mon YYYY'), to_timestamp('2024-01-02 13:14:15', 'YYYY-MM-DD HH24:MI:SS'), to_timestamp('02/01/2024 01:14 PM', 'DD/MM/YYYY HH12:MI AM');
SELECT id, date_part('year', ts), date_part('month', d), date_part('epoch', ts), date_part('second', ts), date_part('dow', d), date_part('doy', ts), date_part('quarter', d) FROM fn6 ORDER BY id;
SELECT id, extract(year FROM ts), extract(second FROM ts), extract(epoch FROM ts), extract(dow FROM d), extract(epoch FROM d), extract(milliseconds FROM ts), extract(hour FROM tz), extract(isodow FROM d) FROM fn6 ORDER BY id;
SELECT extract(day FROM interval '3 days 04:05:06'), extract(hour FROM interval '3 days 04:05:06'), extract(epoch FROM interval '1 hour'), extract(year FROM interval '14 months'), extract(month FROM interval '14 months');
SELECT extract(hour FROM d) FROM fn6;
SELECT TIMESTAMP '2024-01-01 10:00', timestamp '2024-05-06T07:08:09.5', TIMESTAMP '2024-01-02 03:04:05.123456';
SELECT make_date(2024, 2, 29), make_timestamp(2024, 1, 2, 3, 4, 5.5), to_timestamp(86400.5);
SELECT make_date(2023, 2, 29);
SELECT trunc(2.567, 2), trunc(-2.567), trunc(1234.5, -2), div(7, 2), div(-7.5, 2), log(100), ln(1), mod(7, 3), power(2, 10), sqrt(16);
SELECT string_agg(t, ',' ORDER BY t DESC), string_agg(t, '-'), bool_and(f), bool_or(f), every(f) FROM fn6;
SELECT i % 2 AS k, string_agg(t, ';' ORDER BY id), count(*) FROM fn6 GROUP BY i % 2 ORDER BY 1;
SELECT nullif(1, 1), nullif(2, 1), coalesce(NULL, 2.5, 1), coalesce(b, i) FROM fn6 ORDER BY 4;
SELECT to_hex(255), to_hex(-1::bigint), to_hex(-1), bit_length('ab'), bit_length('\x00ff'::bytea), starts_with('abc', 'a'), ascii('A');
SELECT encode('\x00ff'::bytea, 'hex'), encode('ab'::bytea, 'base64'), decode('00ff', 'hex'), decode('YWI=', 'base64'), encode('a\\b'::bytea, 'escape'), encode(decode('a\\000b', 'escape'), 'hex');
SELECT id, encode(y, 'hex'), encode(y, 'escape'), encode(y, 'base64') FROM fn6 ORDER BY id;
SELECT decode('0g', 'hex');
SELECT encode('a'::bytea, 'foo');
SELECT trunc(2.5::float8), trunc(-2.5::real);
SELECT clock_timestamp() IS NOT NULL, statement_timestamp() IS NOT NULL, transaction_timestamp() IS NOT NULL;
SELECT substring('hello123' from '[0-9]+'), substring('foobar' from 'o(.)b'), substring('abc' from 'x'), substring('hello' from 2), substring('hello' from 2 for 2);
SELECT id, substring(t from '^.(.)') FROM fn6 ORDER BY id;
SELECT to_char(true, 'x');
SELECT foo(1);
SELECT lpad('x');
SELECT '1.5'::numeric, ' -2.50 '::numeric, '1.5'::numeric(5,2), '.5'::numeric, '-3'::numeric;

-- 7. uuid (issue 14): input forms, keys, indexes, order, casts, gen_random_uuid
CREATE TABLE uu7 (id uuid PRIMARY KEY, n int, v uuid);
INSERT INTO uu7 VALUES ('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 1, '{A0EEBC99-9C0B4EF8-BB6D6BB9-BD380A12}'), ('f0eebc999c0b4ef8bb6d6bb9bd380a11', 2, NULL), ('00000000-0000-0000-0000-000000000001', 3, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11');
SELECT * FROM uu7 ORDER BY id;
SELECT n, v FROM uu7 ORDER BY v DESC NULLS LAST, n;
SELECT n FROM uu7 WHERE id = 'F0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11';
SELECT n FROM uu7 WHERE id > 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11' ORDER BY n;
SELECT n FROM uu7 WHERE id < v ORDER BY n;
SELECT a.n, b.n FROM uu7 a JOIN uu7 b ON a.v = b.id ORDER BY 1;
SELECT count(DISTINCT id), count(v), id IS NULL FROM uu7 GROUP BY id IS NULL;
SELECT id::text, upper(id::text), v::text || '!' FROM uu7 ORDER BY n;
SELECT '{a0eebc999c0b4ef8bb6d6bb9bd380a11}'::uuid, CAST('A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11' AS uuid), 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid = 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'::uuid;
CREATE INDEX uu7_v ON uu7 (v);
SELECT n FROM uu7 WHERE v = 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12';
UPDATE uu7 SET v = 'f0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11' WHERE id = '00000000-0000-0000-0000-000000000001';
DELETE FROM uu7 WHERE id = 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11';
SELECT * FROM uu7 ORDER BY id DESC;
CREATE TABLE uu7g (id uuid DEFAULT gen_random_uuid() PRIMARY KEY, n int);
INSERT INTO uu7g (n) VALUES (1), (2), (3);
SELECT count(DISTINCT id), min(length(id::text)), min(substr(id::text, 15, 1)) FROM uu7g;
SELECT 'nope'::uuid;
SELECT 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1'::uuid;
INSERT INTO uu7 VALUES ('xyz', 4, NULL);
INSERT INTO uu7 VALUES ('00000000-0000-0000-0000-000000000001', 5, NULL);
SELECT 1::uuid;
DROP TABLE uu7;
DROP TABLE uu7g;

-- 8. time (issue 14): input forms, keys, order, casts, extract
CREATE TABLE tm8 (t time PRIMARY KEY, n int, u time without time zone);
INSERT INTO tm8 VALUES ('04:05:06.5', 1, '23:59:59'), ('00:00', 2, NULL), ('16:05', 3, '4:05 PM');
SELECT * FROM tm8 ORDER BY t;
SELECT n, u FROM tm8 ORDER BY u DESC NULLS LAST;
SELECT n FROM tm8 WHERE t > '04:05:06' AND t < u ORDER BY n;
SELECT n FROM tm8 WHERE t = '16:05:00';
SELECT t::text, u::varchar FROM tm8 ORDER BY n;
SELECT '4:05 PM'::time, CAST('040506' AS time), time '12:34:56.25', '23:59:59.125'::time;
SELECT extract(hour FROM t), extract(minute FROM t), extract(second FROM t), extract(epoch FROM t) FROM tm8 ORDER BY n;
SELECT max(t), min(u), count(DISTINCT t) FROM tm8;
SELECT n, date '2024-05-06' + t, u - t, t - time '01:00:00', t - '01:00'::time FROM tm8 ORDER BY n;
UPDATE tm8 SET u = '01:02:03' WHERE n = 2;
DELETE FROM tm8 WHERE t = '00:00';
SELECT * FROM tm8 ORDER BY t DESC;
SELECT 'nope'::time;
SELECT '25:00'::time;
INSERT INTO tm8 VALUES ('16:05', 4, NULL);
CREATE TABLE cp9 (id uuid PRIMARY KEY, t time, n int);
COPY cp9 FROM STDIN;
a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11	04:05:06.5	1
{F0EEBC99-9C0B4EF8-BB6D6BB9-BD380A11}	\N	2
\.
COPY cp9 TO STDOUT;
COPY cp9 TO STDOUT (FORMAT csv);
DROP TABLE cp9;
DROP TABLE tm8;

-- COPY through psql (\copy and COPY ... FROM STDIN with inline data): compared with PostgreSQL by CopyIT.
SET TimeZone = 'UTC';
CREATE TABLE copyt (id int PRIMARY KEY, t text, v varchar(10), n numeric(12,3), f double precision, ts timestamp, tz timestamptz, d date, b bytea, ok boolean);
\copy copyt from stdin
1	plain	abc	1.5	0.1	2024-01-02 03:04:05	2024-01-02 03:04:05+00	2024-01-02	\\x00ff	t
2	\N	\N	\N	\N	\N	\N	\N	\N	\N
3	tab\there\nnewline "dq" 'sq' back\\slash	ünï€	-12345.678	-1e-10	1999-12-31 23:59:59.5	2000-01-01 00:00:00+00	1999-12-31	\\x	f
\.
\copy copyt to stdout
\copy copyt to stdout with (format csv, header true)
COPY copyt (id, t) TO STDOUT WITH CSV DELIMITER ';' NULL 'NULL' QUOTE '''';
COPY copyt (id, t, v) FROM STDIN WITH (FORMAT csv, HEADER true);
id,t,v
10,"multi
line, with comma",x
11,,""
12,"","say ""hi"""
\.
SELECT id, t IS NULL AS t_null, t, v IS NULL AS v_null, v FROM copyt WHERE id >= 10 ORDER BY id;
-- errors name the line; a failed COPY leaves no rows
\copy copyt (id, t) from stdin
20	ok
bad	row
\.
\copy copyt (id, t) from stdin
21
\.
\copy copyt (id, t) from stdin
22	a	extra
\.
\copy copyt (id, v) from stdin
23	this is too long
\.
\copy copyt (id, t) from stdin
24	fine
1	dup
\.
\copy copyt (id, t) from stdin with (format csv)
25,"never closed
\.
SELECT count(*) FROM copyt;
BEGIN;
\copy copyt (id, t) from stdin
30	in block
\.
SELECT count(*) FROM copyt;
\copy copyt (id, t) from stdin
x	y
\.
SELECT 1;
ROLLBACK;
SELECT count(*) FROM copyt;
COPY nosuch FROM STDIN;
COPY copyt (nope) FROM STDIN;
COPY copyt FROM STDIN (DELIMITER 'ab');
DROP TABLE copyt;

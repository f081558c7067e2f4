-- One statement per line, run against PostgreSQL and a TroupeDB session (SessionStatementsIT):
-- each prints OK, its rows, or its SQLSTATE; the two transcripts must be equal.
SET default_transaction_isolation = 'serializable'
SET application_name TO 'compat'
SHOW application_name
CREATE TABLE t (id INT PRIMARY KEY, v TEXT DEFAULT 'x' || 'y;z', n INT DEFAULT (1 + 2) * 3)
INSERT INTO t (id) VALUES (1)
SELECT id, v, n FROM t
SET SESSION extra_float_digits = 2
SHOW extra_float_digits
SET search_path = public, '$user', "My Schema"
SHOW search_path
SET search_path TO DEFAULT
SHOW search_path
SET TIME ZONE 'america/new_york'
SHOW TimeZone
SET TIME ZONE -5
SHOW TIME ZONE
CREATE TABLE tz (id INT PRIMARY KEY, ts TIMESTAMPTZ)
INSERT INTO tz VALUES (1, '2024-07-01 12:00+00'), (2, '2024-01-01 03:00+00')
SET TIME ZONE 'America/New_York'
SELECT id, ts::timestamp, ts::date FROM tz ORDER BY id
SET TimeZone = 'UTC'
SHOW timezone
SELECT id, ts::timestamp, ts::date FROM tz ORDER BY id
DROP TABLE tz
SET datestyle = 'iso, dmy'
SHOW DateStyle
RESET datestyle
SHOW DateStyle
SET my.custom = 42
SHOW my.custom
SET no_such_thing = 1
SHOW no_such_thing
SET TIME ZONE 'Mars/Olympus'
SET server_version = '1'
SET datestyle = 'yesterday'
BEGIN
SET application_name = 'inside'
ROLLBACK
SHOW application_name
BEGIN
SET LOCAL application_name = 'local'
SHOW application_name
COMMIT
SHOW application_name
SAVEPOINT a
ROLLBACK TO SAVEPOINT a
RELEASE a
BEGIN READ ONLY
SHOW transaction_read_only
SELECT count(*) FROM t
INSERT INTO t (id) VALUES (2)
SELECT 1
ROLLBACK
SHOW transaction_read_only
BEGIN ISOLATION LEVEL SERIALIZABLE
SHOW transaction isolation level
SET TRANSACTION READ ONLY
CREATE TABLE u (a INT)
END
SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY
SHOW default_transaction_read_only
DELETE FROM t
SET default_transaction_read_only = off
BEGIN
VACUUM t
ROLLBACK
VACUUM nope
ANALYZE t
VACUUM ANALYZE t
CREATE TABLE other.q (id INT)
CREATE TABLE public.q (id INT PRIMARY KEY)
CREATE INDEX q_id ON public.q (id)
DROP TABLE public.q
TRUNCATE nope
FROB the table
SELECT 'a;b', $$c;d$$
START TRANSACTION READ WRITE
INSERT INTO t (id) VALUES (3)
END
SELECT count(*) FROM t
ALTER TABLE t ADD COLUMN IF NOT EXISTS n INT
ALTER TABLE IF EXISTS nope ADD COLUMN x INT
DROP INDEX IF EXISTS nope
DROP TABLE IF EXISTS nope
DROP SEQUENCE IF EXISTS nope
CREATE SEQUENCE s AS integer START WITH 5
SELECT nextval('s')
CREATE SEQUENCE s
DROP SEQUENCE s
TRUNCATE TABLE t
SELECT count(*) FROM t
DROP TABLE t

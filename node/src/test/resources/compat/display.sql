-- psql's display settings and \copy to / from files (PsqlMetaIT compares the transcript and the
-- written files with PostgreSQL's; {file} is a fresh name in psql's working directory).
CREATE TABLE shows (id INT PRIMARY KEY, title TEXT, rating NUMERIC(3,1), seen DATE, note VARCHAR(20));
INSERT INTO shows VALUES (1, 'Alpha', 7.5, '2024-01-02', NULL), (2, 'Beta, "the sequel"', 8.0, '2024-02-03', 'tab	here'), (3, 'Gamma', NULL, NULL, 'x\y');
\x on
SELECT * FROM shows ORDER BY id;
SELECT id, title FROM shows WHERE id = 99;
\x off
\x
SELECT count(*) AS n FROM shows;
\x
SELECT title, rating FROM shows ORDER BY id;
\timing on
SELECT title FROM shows WHERE id = 2;
INSERT INTO shows VALUES (4, 'Delta', 1.0, '2024-04-04', 'timed');
\timing off
SELECT count(*) FROM shows;
DELETE FROM shows WHERE id = 4;
\copy shows to '{file}.txt'
\copy shows (id, title, note) to '{file}.csv' with (format csv, header true)
CREATE TABLE shows_again (id INT PRIMARY KEY, title TEXT, rating NUMERIC(3,1), seen DATE, note VARCHAR(20));
\copy shows_again from '{file}.txt'
SELECT * FROM shows_again ORDER BY id;
CREATE TABLE titles (id INT PRIMARY KEY, title TEXT, note TEXT);
\copy titles from '{file}.csv' with (format csv, header true)
SELECT * FROM titles ORDER BY id;
\copy titles from '{file}.csv' with (format csv, header true)
SELECT count(*) FROM titles;
\copy titles from '{file}-missing.txt'
DROP TABLE shows;
DROP TABLE shows_again;
DROP TABLE titles;

-- Savepoints: the same transcript from PostgreSQL and TroupeDB (SavepointIT.psqlTranscriptMatchesPostgres).
CREATE TABLE spc (id INT PRIMARY KEY, v TEXT);
-- outside a block (a multi-statement string is no block either)
SAVEPOINT a;
RELEASE SAVEPOINT a;
ROLLBACK TO SAVEPOINT a;
SAVEPOINT a\; SELECT 1;
-- unknown names, and the aborted block
BEGIN;
RELEASE nosuch;
ROLLBACK TO a;
SAVEPOINT b;
ROLLBACK;
-- nesting, repeated names, overwrites at several levels
BEGIN;
INSERT INTO spc VALUES (1, 'a');
SAVEPOINT a;
UPDATE spc SET v = 'b' WHERE id = 1;
SAVEPOINT a;
UPDATE spc SET v = 'c' WHERE id = 1;
INSERT INTO spc VALUES (1, 'dup');
SELECT 1;
ROLLBACK TO a;
SELECT * FROM spc;
RELEASE a;
SELECT * FROM spc;
ROLLBACK TO SAVEPOINT a;
SELECT * FROM spc;
ROLLBACK WORK TO a;
RELEASE SAVEPOINT a;
ROLLBACK TRANSACTION TO a;
COMMIT;
SELECT * FROM spc;
-- psql's ON_ERROR_ROLLBACK: a savepoint around every statement of a block
\set ON_ERROR_ROLLBACK on
BEGIN;
INSERT INTO spc VALUES (2, 'x');
INSERT INTO spc VALUES (2, 'again');
SELECT 1 / 0;
INSERT INTO spc VALUES (3, 'y');
COMMIT;
\set ON_ERROR_ROLLBACK off
SELECT * FROM spc ORDER BY id;
DROP TABLE spc;

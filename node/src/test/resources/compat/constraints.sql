-- Constraints (issue 14): CHECK and FOREIGN KEY with their referential actions, ALTER TABLE ADD /
-- DROP CONSTRAINT, the catalog rows psql's \d reads, and the errors PostgreSQL gives. The
-- referencing columns lead a primary key here, so TroupeDB needs no index of its own for them
-- (it creates one otherwise, which \d would show).
SET TimeZone = 'UTC';
CREATE TABLE ck (a int CHECK (a > 0), b int, c text, CONSTRAINT bc CHECK (b > a), CHECK (b < 100), CHECK ((a + b) < 1000));
INSERT INTO ck VALUES (1, 2, 'x'), (NULL, NULL, 'nulls pass');
SELECT * FROM ck ORDER BY c;
\d ck
CREATE TABLE cp (id int PRIMARY KEY, u int UNIQUE, v int);
CREATE TABLE cc (pid int REFERENCES cp ON DELETE CASCADE, id int, note text, PRIMARY KEY (pid, id));
CREATE TABLE cu (pu int, id int, PRIMARY KEY (pu, id), FOREIGN KEY (pu) REFERENCES cp (u) ON UPDATE CASCADE ON DELETE RESTRICT);
CREATE TABLE cn (p1 int, p2 int, id int, PRIMARY KEY (p1, p2, id), CONSTRAINT cn_pair FOREIGN KEY (p1, p2) REFERENCES cc (pid, id) ON DELETE CASCADE);
INSERT INTO cp VALUES (1, 10, 0), (2, 20, 0), (3, 30, 0);
INSERT INTO cc VALUES (1, 1, 'a'), (1, 2, 'b'), (2, 1, 'c');
INSERT INTO cn VALUES (1, 1, 1), (1, 2, 1), (2, 1, 1);
INSERT INTO cu VALUES (20, 1);
UPDATE cp SET u = 21 WHERE id = 2;
SELECT * FROM cu ORDER BY pu, id;
DELETE FROM cp WHERE id = 1;
SELECT * FROM cc ORDER BY pid, id;
SELECT * FROM cn ORDER BY p1, p2, id;
\d cc
\d cu
\d cp
SELECT conname, contype, conkey, confkey, confupdtype, confdeltype, confmatchtype, condeferrable
  FROM pg_constraint WHERE conrelid IN ('cc'::regclass, 'cu'::regclass, 'ck'::regclass, 'cn'::regclass)
  ORDER BY conname;
SELECT conname, pg_get_constraintdef(oid, true) FROM pg_constraint
  WHERE contype IN ('c', 'f') AND conrelid IN ('cc'::regclass, 'cu'::regclass, 'ck'::regclass, 'cn'::regclass)
  ORDER BY conname;
ALTER TABLE cp ADD CONSTRAINT v_small CHECK (v < 10);
ALTER TABLE cp DROP CONSTRAINT v_small;
ALTER TABLE cp ADD CONSTRAINT cp_uv UNIQUE (u, v);
ALTER TABLE cp DROP CONSTRAINT cp_uv;
-- Errors
INSERT INTO ck VALUES (0, 1, 'x');
INSERT INTO ck VALUES (1, 0, NULL);
UPDATE ck SET b = 200;
INSERT INTO cc VALUES (9, 1, 'orphan');
DELETE FROM cp WHERE id = 2;
UPDATE cu SET pu = 99;
INSERT INTO cn VALUES (3, 3, 1);
CREATE TABLE bad (a int REFERENCES ck (a));
CREATE TABLE bad (a text REFERENCES cp (id));
CREATE TABLE bad (a int REFERENCES nope);
ALTER TABLE cp ADD CHECK (v > 5);
ALTER TABLE cp ADD CONSTRAINT cp_v_key UNIQUE (v);
ALTER TABLE cp DROP CONSTRAINT nope;
DROP TABLE cp;
DROP TABLE cn, cu, cc, cp, ck;

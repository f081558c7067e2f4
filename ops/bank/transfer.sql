-- pgbench custom script: one transfer between two random accounts of table bank (id, balance).
-- Run with --max-tries so a serialization failure (40001) is retried, e.g.
--   pgbench -n -f ops/bank/transfer.sql -D accounts=10 -c 4 -T 30 --max-tries=10 ...
\set src random(1, :accounts)
\set dst random(1, :accounts)
\set amount random(1, 100)
BEGIN;
UPDATE bank SET balance = balance - :amount WHERE id = :src;
UPDATE bank SET balance = balance + :amount WHERE id = :dst;
COMMIT;

-- pgbench custom script: the bank transfer of issue 16 (BankWorkload's shape): read the source
-- balance, move the amount, record it in bank_history, in one transaction. ops/bench-profile runs
-- it with --max-tries so a serialization failure (40001) is retried.
\set src random(1, :accounts)
\set dst random(1, :accounts)
\set amount random(1, 100)
\set hid random(1, 9000000000000000000)
BEGIN;
SELECT balance FROM bank WHERE id = :src;
UPDATE bank SET balance = balance - :amount WHERE id = :src;
UPDATE bank SET balance = balance + :amount WHERE id = :dst;
INSERT INTO bank_history VALUES (:hid, :src, :dst, :amount);
COMMIT;

-- Flyway migration 4: a later ALTER TABLE ADD COLUMN, filled by an UPDATE.
ALTER TABLE book ADD COLUMN published INTEGER;
UPDATE book SET published = 1961 WHERE id = 20;

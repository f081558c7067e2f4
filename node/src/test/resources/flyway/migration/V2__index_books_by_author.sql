-- Flyway migration 2: a secondary index.
CREATE INDEX book_author_idx ON book (author_id);

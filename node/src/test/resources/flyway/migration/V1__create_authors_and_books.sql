-- Flyway migration 1: two tables joined by a foreign key.
CREATE TABLE author (
  id BIGINT PRIMARY KEY,
  name VARCHAR(100) NOT NULL UNIQUE
);

CREATE TABLE book (
  id BIGINT PRIMARY KEY,
  author_id BIGINT NOT NULL REFERENCES author (id),
  title TEXT NOT NULL,
  pages INTEGER CHECK (pages > 0)
);

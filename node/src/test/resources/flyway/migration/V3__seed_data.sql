-- Flyway migration 3: data.
INSERT INTO author (id, name) VALUES (1, 'Ursula K. Le Guin'), (2, 'Stanislaw Lem');
INSERT INTO book (id, author_id, title, pages) VALUES
  (10, 1, 'The Dispossessed', 387),
  (11, 1, 'The Left Hand of Darkness', 304),
  (20, 2, 'Solaris', 204);

-- An Isso database at schema version 5 (the tables as isso/db creates them), small and made up.
PRAGMA user_version = 5;
CREATE TABLE preferences (key VARCHAR PRIMARY KEY, value VARCHAR);
INSERT INTO preferences VALUES ('session-key', 'a3f1c0ffee0ddba11deadbeef0123456789abcdef0123456');
CREATE TABLE threads (id INTEGER PRIMARY KEY, uri VARCHAR(256) UNIQUE, title VARCHAR(256));
CREATE TABLE comments (
  tid REFERENCES threads(id), id INTEGER PRIMARY KEY, parent INTEGER,
  created FLOAT NOT NULL, modified FLOAT, mode INTEGER, remote_addr VARCHAR,
  text VARCHAR NOT NULL, author VARCHAR, email VARCHAR, website VARCHAR,
  likes INTEGER DEFAULT 0, dislikes INTEGER DEFAULT 0, voters BLOB NOT NULL,
  notification INTEGER DEFAULT 0);
CREATE TRIGGER remove_stale_threads AFTER DELETE ON comments
  BEGIN DELETE FROM threads WHERE id NOT IN (SELECT tid FROM comments); END;
INSERT INTO threads VALUES (1, '/2024/02/19/harbour-wall/', 'The harbour wall');
INSERT INTO threads VALUES (2, '/about/', NULL);
-- Markdown as typed, microseconds in the epoch, an IPv4 address anonymised by Isso
INSERT INTO comments VALUES (1, 1, NULL, 1708347600.123456, NULL, 1, '203.0.113.0',
  'Is the wall *finished*?' || char(10) || char(10) || '> quoting the article', 'Ana', 'ana@example.org', 'https://ana.example.org', 3, 1, X'00', 1);
-- a deleted comment with a reply: text and author emptied, email, votes and address kept
INSERT INTO comments VALUES (1, 2, NULL, 1708351200.5, NULL, 4, '2001:0db8:85a3:0000:0000:0000:0000:0000',
  '', NULL, 'gone@example.org', NULL, 2, 0, X'00', 0);
-- replies are flat: parent is always a top-level comment
INSERT INTO comments VALUES (1, 3, 2, 1708354800.0, 1708358400.0, 1, '198.51.100.0',
  'Replying to a deleted one', NULL, NULL, NULL, 0, 0, X'00', 0);
-- pending, and HTML from a Disqus import run through Isso
INSERT INTO comments VALUES (2, 4, NULL, 1708358400.0, NULL, 2, '0.0.0.0',
  '<p>Imported from <b>Disqus</b> &amp; kept</p>', 'Bo', NULL, NULL, 0, 0, X'00', 0);
INSERT INTO comments VALUES (1, 5, 1, 1708362000.0, NULL, 1, '203.0.113.0',
  'Markdown with <em>inline HTML</em> too', 'Ana', 'ana@example.org', NULL, 0, 2, X'00', 0);

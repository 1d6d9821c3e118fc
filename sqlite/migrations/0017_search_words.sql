-- The words of the search index, so that a search can name them (issue 16).
-- A query term is a word prefix: FTS5 answers "exploitation"* by merging
-- the whole document list of every word that starts with it before the
-- first row comes out, and at 100 times the synthetic record that merge
-- was most of a search page's cost. Looked up here, the prefix becomes
-- ("exploitation" OR "exploitations"), which FTS5 walks newest first and
-- stops after the candidates it needs (sqlite/search.go, matchTerm).
--
-- Only words of five characters or more are kept: shorter prefixes are
-- answered by the index's own prefix indexes (prefix = '2 3 4', 0003).
-- A word stays after its last document goes; looking for it then finds
-- nothing, which costs nothing.
CREATE TABLE search_words (word TEXT PRIMARY KEY) WITHOUT ROWID;

-- The words of a document are found by FTS5's own tokenizer, with the
-- options of search_fts, so that a word here is exactly a term of the
-- index: each new or changed document is put alone in this empty
-- contentless table, its terms read, and the table emptied again.
CREATE VIRTUAL TABLE search_words_probe USING fts5 (title, body, extra,
	content = '', tokenize = 'unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE search_words_probe_terms USING fts5vocab (search_words_probe, row);

CREATE TRIGGER search_docs_words_insert AFTER INSERT ON search_docs BEGIN
	INSERT INTO search_words_probe (rowid, title, body, extra) VALUES (1, new.title, new.body, new.extra);
	INSERT INTO search_words (word) SELECT term FROM search_words_probe_terms
		WHERE length(term) >= 5 AND NOT EXISTS (SELECT 1 FROM search_words w WHERE w.word = term);
	INSERT INTO search_words_probe (search_words_probe) VALUES ('delete-all');
END;
CREATE TRIGGER search_docs_words_update AFTER UPDATE OF title, body, extra ON search_docs BEGIN
	INSERT INTO search_words_probe (rowid, title, body, extra) VALUES (1, new.title, new.body, new.extra);
	INSERT INTO search_words (word) SELECT term FROM search_words_probe_terms
		WHERE length(term) >= 5 AND NOT EXISTS (SELECT 1 FROM search_words w WHERE w.word = term);
	INSERT INTO search_words_probe (search_words_probe) VALUES ('delete-all');
END;

-- (Not INSERT OR IGNORE: a trigger's conflict clause gives way to the
-- statement's that fired it.)

-- What the index holds now: one walk of its whole vocabulary.
CREATE VIRTUAL TABLE search_fts_terms USING fts5vocab (search_fts, row);
INSERT OR IGNORE INTO search_words (word) SELECT term FROM search_fts_terms WHERE length(term) >= 5;
DROP TABLE search_fts_terms;

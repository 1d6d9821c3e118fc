-- The words of documents written in batches (issue 16): a transaction
-- rewrites the index rows of the documents it changed a batch at a time
-- (sqlite/search.go, writeDocs) and lists their words in one probe of the
-- whole batch, with this flag set so that the trigger of 0017 does not
-- probe each row again. Only writeDocs sets it, and clears it before it
-- returns; every other insert into search_docs (the sources that
-- public_citations' triggers index, 0013) still probes its row.
CREATE TABLE search_words_deferred (deferred INTEGER PRIMARY KEY);

DROP TRIGGER search_docs_words_insert;
CREATE TRIGGER search_docs_words_insert AFTER INSERT ON search_docs
	WHEN NOT EXISTS (SELECT 1 FROM search_words_deferred) BEGIN
	INSERT INTO search_words_probe (rowid, title, body, extra) VALUES (1, new.title, new.body, new.extra);
	INSERT INTO search_words (word) SELECT term FROM search_words_probe_terms
		WHERE length(term) >= 5 AND NOT EXISTS (SELECT 1 FROM search_words w WHERE w.word = term);
	INSERT INTO search_words_probe (search_words_probe) VALUES ('delete-all');
END;

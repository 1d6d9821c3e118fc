-- Citations that need a look (issue #14): the importer read them from a
-- source line that reads more than one way. Editors see them in the
-- workspace; saving the assessment deletes its rows. seq keeps the order
-- in which the import flagged them.
CREATE TABLE citation_flags (
	country    TEXT NOT NULL,
	indicator  TEXT NOT NULL,
	seq        INTEGER NOT NULL,
	title      TEXT NOT NULL,
	year       INTEGER NOT NULL DEFAULT 0,
	note       TEXT NOT NULL DEFAULT '',
	origin     TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL,
	PRIMARY KEY (country, indicator, seq)
);

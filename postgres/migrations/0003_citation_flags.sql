-- Citations that need a look (issue #14): the importer read them from a
-- source line that reads more than one way. Editors see them in the
-- workspace; saving the assessment deletes its rows. seq keeps the order
-- in which the import flagged them.
CREATE TABLE citation_flags (
	country    text NOT NULL,
	indicator  text NOT NULL,
	seq        integer NOT NULL,
	title      text NOT NULL,
	year       integer NOT NULL DEFAULT 0,
	note       text NOT NULL DEFAULT '',
	origin     text NOT NULL DEFAULT '',
	created_at timestamptz NOT NULL,
	PRIMARY KEY (country, indicator, seq)
);

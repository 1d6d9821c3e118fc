-- Reference data. Country names live in the binary; the table exists so
-- that every row naming a country is checked by a foreign key.
CREATE TABLE countries (
	iso2 TEXT PRIMARY KEY,
	slug TEXT NOT NULL UNIQUE
);

CREATE TABLE indicators (
	key        TEXT PRIMARY KEY,
	name       TEXT NOT NULL,
	rationale  TEXT NOT NULL DEFAULT '',
	value_kind TEXT NOT NULL DEFAULT '',
	position   INTEGER NOT NULL
);

CREATE TABLE ratings (
	key      TEXT PRIMARY KEY,
	label    TEXT NOT NULL,
	meaning  TEXT NOT NULL DEFAULT '',
	assessed INTEGER NOT NULL,
	position INTEGER NOT NULL
);

-- One row per law or publication, however many assessments cite it.
CREATE TABLE sources (
	id           INTEGER PRIMARY KEY,
	kind         TEXT NOT NULL CHECK (kind IN ('law', 'publication')),
	title        TEXT NOT NULL,
	title_key    TEXT NOT NULL, -- folded title, for matching
	identifier   TEXT NOT NULL DEFAULT '',
	publisher    TEXT NOT NULL DEFAULT '',
	year         INTEGER NOT NULL DEFAULT 0,
	status_as_of INTEGER NOT NULL DEFAULT 0,
	link         TEXT NOT NULL DEFAULT '',
	UNIQUE (kind, title_key, year, status_as_of)
);

-- Every write to an assessment is a revision holding its full content.
CREATE TABLE revisions (
	id          INTEGER PRIMARY KEY,
	country     TEXT NOT NULL REFERENCES countries (iso2),
	indicator   TEXT NOT NULL REFERENCES indicators (key),
	number      INTEGER NOT NULL,
	state       TEXT NOT NULL,
	author      TEXT NOT NULL,
	reason      TEXT NOT NULL DEFAULT '',
	created_at  TEXT NOT NULL,
	rating      TEXT NOT NULL REFERENCES ratings (key),
	value       INTEGER,
	explanation TEXT NOT NULL DEFAULT '',
	as_of       TEXT NOT NULL DEFAULT '',
	UNIQUE (country, indicator, number)
);

CREATE TABLE revision_citations (
	revision_id INTEGER NOT NULL REFERENCES revisions (id),
	position    INTEGER NOT NULL,
	source_id   INTEGER NOT NULL REFERENCES sources (id),
	articles    TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (revision_id, position)
);

-- The published state: which revision of each assessment the public sees.
CREATE TABLE assessments (
	country            TEXT NOT NULL REFERENCES countries (iso2),
	indicator          TEXT NOT NULL REFERENCES indicators (key),
	published_revision INTEGER NOT NULL REFERENCES revisions (id),
	PRIMARY KEY (country, indicator)
);
CREATE INDEX assessments_by_indicator ON assessments (indicator);

CREATE TABLE organisations (
	id            INTEGER PRIMARY KEY,
	slug          TEXT NOT NULL UNIQUE,
	country       TEXT NOT NULL REFERENCES countries (iso2),
	name          TEXT NOT NULL,
	acronym       TEXT NOT NULL DEFAULT '',
	description   TEXT NOT NULL DEFAULT '',
	founded       TEXT NOT NULL DEFAULT '',
	office_city   TEXT NOT NULL DEFAULT '',
	regions       TEXT NOT NULL DEFAULT '[]', -- JSON array of strings
	areas_of_work TEXT NOT NULL DEFAULT '[]', -- JSON array of strings
	website       TEXT NOT NULL DEFAULT '',
	UNIQUE (country, name)
);

CREATE TABLE contacts (
	organisation_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
	position        INTEGER NOT NULL,
	name            TEXT NOT NULL,
	title           TEXT NOT NULL DEFAULT '',
	phone           TEXT NOT NULL DEFAULT '',
	email           TEXT NOT NULL DEFAULT '',
	address         TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (organisation_id, position)
);

CREATE TABLE publications (
	id         INTEGER PRIMARY KEY,
	slug       TEXT NOT NULL UNIQUE,
	title      TEXT NOT NULL,
	type       TEXT NOT NULL,
	year       INTEGER NOT NULL DEFAULT 0,
	publishers TEXT NOT NULL DEFAULT '[]', -- JSON array of strings
	link       TEXT NOT NULL DEFAULT '',
	language   TEXT NOT NULL DEFAULT ''
);

CREATE TABLE publication_countries (
	publication_id INTEGER NOT NULL REFERENCES publications (id) ON DELETE CASCADE,
	country        TEXT NOT NULL REFERENCES countries (iso2),
	PRIMARY KEY (publication_id, country)
);

CREATE TABLE news (
	id      INTEGER PRIMARY KEY,
	slug    TEXT NOT NULL UNIQUE,
	title   TEXT NOT NULL,
	date    TEXT NOT NULL DEFAULT '',
	summary TEXT NOT NULL DEFAULT '',
	body    TEXT NOT NULL DEFAULT ''
);

CREATE TABLE news_countries (
	news_id INTEGER NOT NULL REFERENCES news (id) ON DELETE CASCADE,
	country TEXT NOT NULL REFERENCES countries (iso2),
	PRIMARY KEY (news_id, country)
);

CREATE TABLE settings (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

-- Grows with every committed change; caches and other processes compare it.
CREATE TABLE data_version (
	id      INTEGER PRIMARY KEY CHECK (id = 1),
	version INTEGER NOT NULL
);
INSERT INTO data_version (id, version) VALUES (1, 1);

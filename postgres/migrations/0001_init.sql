-- Vigie's schema on PostgreSQL: the same tables as sqlite/migrations, with
-- PostgreSQL's types — identity keys, timestamptz, date, boolean, text[].

-- Reference data. Country names live in the binary; the table exists so
-- that every row naming a country is checked by a foreign key.
CREATE TABLE countries (
	iso2 text PRIMARY KEY,
	slug text NOT NULL UNIQUE
);

CREATE TABLE indicators (
	key        text PRIMARY KEY,
	name       text NOT NULL,
	rationale  text NOT NULL DEFAULT '',
	value_kind text NOT NULL DEFAULT '',
	position   integer NOT NULL
);

CREATE TABLE ratings (
	key      text PRIMARY KEY,
	label    text NOT NULL,
	meaning  text NOT NULL DEFAULT '',
	assessed boolean NOT NULL,
	position integer NOT NULL
);

CREATE TABLE users (
	id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	email         text NOT NULL UNIQUE,
	name          text NOT NULL DEFAULT '',
	role          text NOT NULL CHECK (role IN ('admin', 'researcher', 'reviewer', 'member')),
	countries     text[] NOT NULL DEFAULT '{}', -- ISO alpha-2 codes
	disabled      boolean NOT NULL DEFAULT false,
	created_at    timestamptz NOT NULL,
	password_hash text NOT NULL DEFAULT ''
);

-- One row per law or publication, however many assessments cite it.
CREATE TABLE sources (
	id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	kind         text NOT NULL CHECK (kind IN ('law', 'publication')),
	title        text NOT NULL,
	title_key    text NOT NULL, -- folded title, for matching
	identifier   text NOT NULL DEFAULT '',
	publisher    text NOT NULL DEFAULT '',
	year         integer NOT NULL DEFAULT 0,
	status_as_of integer NOT NULL DEFAULT 0,
	link         text NOT NULL DEFAULT '',
	UNIQUE (kind, title_key, year, status_as_of)
);

-- Every write to an assessment is a revision holding its full content.
-- as_of keeps the partial date as written: "2012", "2012-05", "2012-05-03".
CREATE TABLE revisions (
	id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	country        text NOT NULL REFERENCES countries (iso2),
	indicator      text NOT NULL REFERENCES indicators (key),
	number         integer NOT NULL CHECK (number > 0),
	base           integer NOT NULL DEFAULT 0,
	state          text NOT NULL CHECK (state IN ('draft', 'submitted', 'returned', 'published')),
	author_id      bigint REFERENCES users (id),
	author         text NOT NULL,
	reason         text NOT NULL DEFAULT '',
	created_at     timestamptz NOT NULL,
	published_at   timestamptz, -- NULL while not public
	-- timestamptz keeps microseconds; these are the nanoseconds below
	-- them, so that history restored from an export (Go and SQLite keep
	-- nanoseconds) reads back exactly as it was written.
	created_ns     integer NOT NULL DEFAULT 0 CHECK (created_ns BETWEEN 0 AND 999),
	published_ns   integer NOT NULL DEFAULT 0 CHECK (published_ns BETWEEN 0 AND 999),
	reviewer_id    bigint REFERENCES users (id),
	reviewer       text NOT NULL DEFAULT '',
	review_comment text NOT NULL DEFAULT '',
	rating         text NOT NULL REFERENCES ratings (key),
	value          integer,
	explanation    text NOT NULL DEFAULT '',
	as_of          text NOT NULL DEFAULT '' CHECK (as_of ~ '^([0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?)?$'),
	-- Two editors on one base both write number base+1: one of them fails.
	UNIQUE (country, indicator, number)
);
CREATE INDEX revisions_by_state ON revisions (state, created_at, id);
-- The public history and time travel read published revisions by date.
CREATE INDEX revisions_published ON revisions (country, indicator, published_at, published_ns) WHERE state = 'published';

CREATE TABLE revision_citations (
	revision_id bigint NOT NULL REFERENCES revisions (id),
	position    integer NOT NULL,
	source_id   bigint NOT NULL REFERENCES sources (id),
	articles    text NOT NULL DEFAULT '',
	PRIMARY KEY (revision_id, position)
);
CREATE INDEX revision_citations_by_source ON revision_citations (source_id);

-- The published state: which revision of each assessment the public sees.
CREATE TABLE assessments (
	country            text NOT NULL REFERENCES countries (iso2),
	indicator          text NOT NULL REFERENCES indicators (key),
	published_revision bigint NOT NULL REFERENCES revisions (id),
	PRIMARY KEY (country, indicator)
);
CREATE INDEX assessments_by_indicator ON assessments (indicator);

CREATE TABLE organisations (
	id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	slug          text NOT NULL UNIQUE,
	country       text NOT NULL REFERENCES countries (iso2),
	name          text NOT NULL,
	acronym       text NOT NULL DEFAULT '',
	description   text NOT NULL DEFAULT '',
	founded       text NOT NULL DEFAULT '' CHECK (founded ~ '^([0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?)?$'),
	office_city   text NOT NULL DEFAULT '',
	regions       text[] NOT NULL DEFAULT '{}',
	areas_of_work text[] NOT NULL DEFAULT '{}',
	website       text NOT NULL DEFAULT '',
	UNIQUE (country, name)
);

CREATE TABLE contacts (
	organisation_id bigint NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
	position        integer NOT NULL,
	name            text NOT NULL,
	title           text NOT NULL DEFAULT '',
	phone           text NOT NULL DEFAULT '',
	email           text NOT NULL DEFAULT '',
	address         text NOT NULL DEFAULT '',
	PRIMARY KEY (organisation_id, position)
);

CREATE TABLE publications (
	id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	slug       text NOT NULL UNIQUE,
	title      text NOT NULL,
	type       text NOT NULL,
	year       integer NOT NULL DEFAULT 0,
	publishers text[] NOT NULL DEFAULT '{}',
	link       text NOT NULL DEFAULT '',
	language   text NOT NULL DEFAULT '',
	-- An uploaded PDF, named by the SHA-256 of its content in the file
	-- store beside the database; '' and 0 when there is none.
	file_hash  text NOT NULL DEFAULT '' CHECK (file_hash ~ '^([0-9a-f]{64})?$'),
	file_size  bigint NOT NULL DEFAULT 0
);

CREATE TABLE publication_countries (
	publication_id bigint NOT NULL REFERENCES publications (id) ON DELETE CASCADE,
	country        text NOT NULL REFERENCES countries (iso2),
	PRIMARY KEY (publication_id, country)
);
CREATE INDEX publication_countries_by_country ON publication_countries (country);

CREATE TABLE news (
	id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	slug    text NOT NULL UNIQUE,
	title   text NOT NULL,
	date    date NOT NULL,
	summary text NOT NULL DEFAULT '',
	body    text NOT NULL DEFAULT ''
);

CREATE TABLE news_countries (
	news_id bigint NOT NULL REFERENCES news (id) ON DELETE CASCADE,
	country text NOT NULL REFERENCES countries (iso2),
	PRIMARY KEY (news_id, country)
);
CREATE INDEX news_countries_by_country ON news_countries (country);

CREATE TABLE settings (
	key   text PRIMARY KEY,
	value text NOT NULL
);

-- Sessions, one-time set-password links and API tokens; only hashes.
CREATE TABLE tokens (
	hash       text PRIMARY KEY,
	kind       text NOT NULL CHECK (kind IN ('session', 'reset', 'api')),
	user_id    bigint NOT NULL REFERENCES users (id),
	created_at timestamptz NOT NULL,
	expires_at timestamptz, -- NULL: never
	addr       text NOT NULL DEFAULT ''
);
CREATE INDEX tokens_by_user ON tokens (user_id, kind);

CREATE TABLE audit_log (
	id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at      timestamptz NOT NULL,
	user_id bigint REFERENCES users (id),
	actor   text NOT NULL,
	action  text NOT NULL,
	target  text NOT NULL DEFAULT '',
	detail  text NOT NULL DEFAULT '',
	addr    text NOT NULL DEFAULT ''
);

CREATE TABLE movement_reports (
	id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	country    text NOT NULL REFERENCES countries (iso2),
	indicator  text REFERENCES indicators (key),
	change     text NOT NULL,
	link       text NOT NULL DEFAULT '',
	contact    text NOT NULL DEFAULT '',
	created_at timestamptz NOT NULL,
	addr       text NOT NULL DEFAULT '',
	state      text NOT NULL DEFAULT 'open'
);
CREATE INDEX movement_reports_by_state ON movement_reports (state, id);

-- Grows with every committed change; caches and other processes compare
-- it. Writers also lock this row first, so that they run one at a time.
CREATE TABLE data_version (
	id      integer PRIMARY KEY CHECK (id = 1),
	version bigint NOT NULL
);
INSERT INTO data_version (id, version) VALUES (1, 1);

-- Citable, frozen snapshots of the published data. The snapshot is the
-- JSON export exactly as readers download it; sha256 is its hex digest.
-- Rows are never updated.
CREATE TABLE editions (
	name         text PRIMARY KEY,
	published_at timestamptz NOT NULL,
	data_version bigint NOT NULL,
	sha256       text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
	size         bigint NOT NULL,
	snapshot     bytea NOT NULL
);

-- Full-text search: one row per public document, with what hits show and
-- the document's words, split and folded by the store (see search.go).
CREATE TABLE search_docs (
	id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	kind       text NOT NULL CHECK (kind IN ('assessment', 'source', 'publication', 'organisation', 'news')),
	ref        text NOT NULL, -- 'ML/age-of-consent' for assessments, else the row's id
	slug       text NOT NULL DEFAULT '',
	title      text NOT NULL,
	body       text NOT NULL DEFAULT '', -- searched and shown in snippets
	countries  text[] NOT NULL DEFAULT '{}',
	indicators text[] NOT NULL DEFAULT '{}',
	date       timestamptz,
	link       text NOT NULL DEFAULT '',
	words      tsvector NOT NULL,
	UNIQUE (kind, ref)
);
CREATE INDEX search_docs_words ON search_docs USING gin (words);

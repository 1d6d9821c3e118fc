CREATE TABLE users (
	id            INTEGER PRIMARY KEY,
	email         TEXT NOT NULL UNIQUE,
	name          TEXT NOT NULL DEFAULT '',
	role          TEXT NOT NULL CHECK (role IN ('admin', 'researcher', 'reviewer', 'member')),
	countries     TEXT NOT NULL DEFAULT '[]', -- JSON array of ISO alpha-2 codes
	disabled      INTEGER NOT NULL DEFAULT 0,
	created_at    TEXT NOT NULL,
	password_hash TEXT NOT NULL DEFAULT ''
);

-- Review workflow: who based a revision on what, who reviewed it, and
-- when it became public.
ALTER TABLE revisions ADD COLUMN base INTEGER NOT NULL DEFAULT 0;
ALTER TABLE revisions ADD COLUMN author_id INTEGER REFERENCES users (id);
ALTER TABLE revisions ADD COLUMN published_at TEXT NOT NULL DEFAULT '';
ALTER TABLE revisions ADD COLUMN reviewer_id INTEGER REFERENCES users (id);
ALTER TABLE revisions ADD COLUMN reviewer TEXT NOT NULL DEFAULT '';
ALTER TABLE revisions ADD COLUMN review_comment TEXT NOT NULL DEFAULT '';
UPDATE revisions SET published_at = created_at, base = number - 1 WHERE state = 'published';
CREATE INDEX revisions_by_state ON revisions (state);

-- Sessions, one-time set-password links and API tokens; only hashes.
CREATE TABLE tokens (
	hash       TEXT PRIMARY KEY,
	kind       TEXT NOT NULL CHECK (kind IN ('session', 'reset', 'api')),
	user_id    INTEGER NOT NULL REFERENCES users (id),
	created_at TEXT NOT NULL,
	expires_at TEXT NOT NULL DEFAULT '',
	addr       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX tokens_by_user ON tokens (user_id, kind);

CREATE TABLE audit_log (
	id      INTEGER PRIMARY KEY,
	at      TEXT NOT NULL,
	user_id INTEGER REFERENCES users (id),
	actor   TEXT NOT NULL,
	action  TEXT NOT NULL,
	target  TEXT NOT NULL DEFAULT '',
	detail  TEXT NOT NULL DEFAULT '',
	addr    TEXT NOT NULL DEFAULT ''
);

CREATE TABLE movement_reports (
	id         INTEGER PRIMARY KEY,
	country    TEXT NOT NULL REFERENCES countries (iso2),
	indicator  TEXT REFERENCES indicators (key),
	change     TEXT NOT NULL,
	link       TEXT NOT NULL DEFAULT '',
	contact    TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL,
	addr       TEXT NOT NULL DEFAULT '',
	state      TEXT NOT NULL DEFAULT 'open'
);
CREATE INDEX movement_reports_by_state ON movement_reports (state, id);

-- Citable, frozen snapshots of the published data. The snapshot is the
-- JSON export exactly as readers download it; sha256 is its hex digest.
-- Rows are never updated.
CREATE TABLE editions (
	name         TEXT PRIMARY KEY,
	published_at TEXT NOT NULL,
	data_version INTEGER NOT NULL,
	sha256       TEXT NOT NULL,
	size         INTEGER NOT NULL,
	snapshot     BLOB NOT NULL
);

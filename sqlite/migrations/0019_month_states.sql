-- The published state of every assessment at the end of each past month
-- (issue 16). The changes page compares two states; for a month, the
-- states at its start and its end. Found from the revisions, each costs
-- a seek per assessment into an index that grows with the whole history
-- (/changes for January 2012: 2.3–2.7 times slower at 100 times the
-- synthetic record than at 1×). Read from here it costs the rows shown.
--
-- The rows are a copy kept beside the revisions, never the record:
-- readers use a month's rows only while month_states_built names it, a
-- write that publishes, changes or removes a revision in a month takes
-- that month and every later one out of month_states_built in its own
-- transaction (the triggers below), and the server's upkeep builds the
-- missing months again (sqlite/month_states.go). A month not built is
-- read from the revisions as before.
CREATE TABLE month_states (
	month        TEXT NOT NULL, -- 'YYYY-MM': the state at the last instant of this month (UTC)
	country      TEXT NOT NULL,
	indicator    TEXT NOT NULL,
	revision_id  INTEGER NOT NULL,
	number       INTEGER NOT NULL,
	published_at TEXT NOT NULL,
	rating       TEXT NOT NULL,
	value        INTEGER,
	as_of        TEXT NOT NULL,
	PRIMARY KEY (month, country, indicator)
) WITHOUT ROWID;

-- A month whose state is known, and the month whose rows hold it: an
-- earlier one when nothing was published in between, so that quiet
-- months cost a row here rather than a copy of every assessment.
CREATE TABLE month_states_built (
	month      TEXT PRIMARY KEY,
	rows_month TEXT NOT NULL
) WITHOUT ROWID;

-- published_at is RFC 3339 in UTC, so its first seven characters are
-- the month. A revision published now touches no built month (only
-- months already over are built); a restored or reviewed one published
-- in the past takes its month and every later one out.
CREATE TRIGGER month_states_insert AFTER INSERT ON revisions
	WHEN NEW.state = 'published' BEGIN
	DELETE FROM month_states_built WHERE month >= substr(NEW.published_at, 1, 7);
END;

CREATE TRIGGER month_states_update
	AFTER UPDATE OF state, published_at, rating, value, as_of, country, indicator, number ON revisions
	WHEN OLD.state = 'published' OR NEW.state = 'published' BEGIN
	DELETE FROM month_states_built
	WHERE (OLD.state = 'published' AND month >= substr(OLD.published_at, 1, 7))
		OR (NEW.state = 'published' AND month >= substr(NEW.published_at, 1, 7));
END;

CREATE TRIGGER month_states_delete AFTER DELETE ON revisions
	WHEN OLD.state = 'published' BEGIN
	DELETE FROM month_states_built WHERE month >= substr(OLD.published_at, 1, 7);
END;

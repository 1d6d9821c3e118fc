-- The rating changes (issue 16): each published revision whose rating
-- differs from the one published before it for the same assessment (the
-- first of each included), in order of publication. A country's timeline
-- and the progress charts read these rows instead of comparing every
-- published revision with the one before: their cost follows the changes
-- shown, not the years of history behind them.
--
-- Triggers keep the list in the same transaction as every write that
-- publishes, restores, unpublishes or removes a revision, whatever the
-- order: a revision published between two others is compared with the one
-- before it, and the one after it is compared with it again. The rating,
-- value and as_of of a published revision never change, so the copies
-- here stay true. The neighbours are found through revisions_ratings
-- (0008): the time bound is written apart from the tie on number so that
-- SQLite seeks to it instead of reading the assessment's whole history.
CREATE TABLE rating_changes (
	revision_id  INTEGER PRIMARY KEY,
	country      TEXT NOT NULL,
	indicator    TEXT NOT NULL,
	at           TEXT NOT NULL, -- rtrim(published_at, 'Z'), which sorts as time (see 0005)
	number       INTEGER NOT NULL,
	published_at TEXT NOT NULL,
	rating       TEXT NOT NULL,
	value        INTEGER,
	as_of        TEXT NOT NULL
);
CREATE INDEX rating_changes_by_country ON rating_changes
	(country, at, indicator, number, published_at, rating, value, as_of);
CREATE INDEX rating_changes_by_indicator ON rating_changes (indicator, at, country, number);
CREATE INDEX rating_changes_by_time ON rating_changes (at, country, indicator, number);

INSERT INTO rating_changes (revision_id, country, indicator, at, number, published_at, rating, value, as_of)
SELECT id, country, indicator, rtrim(published_at, 'Z'), number, published_at, rating, value, as_of FROM (
	SELECT r.id, r.country, r.indicator, r.number, r.published_at, r.rating, r.value, r.as_of,
		lag(r.rating) OVER (PARTITION BY r.country, r.indicator ORDER BY rtrim(r.published_at, 'Z'), r.number) AS previous
	FROM revisions r WHERE r.state = 'published')
WHERE previous IS NULL OR previous <> rating;

-- A restore of many revisions at once (an import) sets this flag while it
-- inserts them, then lists the changes of the assessments it wrote in one
-- pass (sqlite/restore.go): comparing each row with its neighbours as it
-- is inserted would cost several lookups per row.
CREATE TABLE rating_changes_deferred (deferred INTEGER PRIMARY KEY);

CREATE TRIGGER rating_changes_insert AFTER INSERT ON revisions
	WHEN NEW.state = 'published' AND NOT EXISTS (SELECT 1 FROM rating_changes_deferred) BEGIN
	DELETE FROM rating_changes WHERE revision_id = NEW.id;
	INSERT INTO rating_changes (revision_id, country, indicator, at, number, published_at, rating, value, as_of)
	SELECT r.id, r.country, r.indicator, rtrim(r.published_at, 'Z'), r.number, r.published_at, r.rating, r.value, r.as_of
	FROM revisions r WHERE r.id = NEW.id AND r.state = 'published'
		AND r.rating IS NOT (SELECT p.rating FROM revisions p
			WHERE p.state = 'published' AND p.country = r.country AND p.indicator = r.indicator
				AND rtrim(p.published_at, 'Z') <= rtrim(r.published_at, 'Z')
				AND (rtrim(p.published_at, 'Z') < rtrim(r.published_at, 'Z') OR p.number < r.number)
			ORDER BY rtrim(p.published_at, 'Z') DESC, p.number DESC LIMIT 1);
	DELETE FROM rating_changes WHERE revision_id = (SELECT s.id FROM revisions s
		WHERE s.state = 'published' AND s.country = NEW.country AND s.indicator = NEW.indicator
			AND rtrim(s.published_at, 'Z') >= rtrim(NEW.published_at, 'Z')
			AND (rtrim(s.published_at, 'Z') > rtrim(NEW.published_at, 'Z') OR s.number > NEW.number)
		ORDER BY rtrim(s.published_at, 'Z'), s.number LIMIT 1);
	INSERT INTO rating_changes (revision_id, country, indicator, at, number, published_at, rating, value, as_of)
	SELECT r.id, r.country, r.indicator, rtrim(r.published_at, 'Z'), r.number, r.published_at, r.rating, r.value, r.as_of
	FROM revisions r WHERE r.id = (SELECT s.id FROM revisions s
		WHERE s.state = 'published' AND s.country = NEW.country AND s.indicator = NEW.indicator
			AND rtrim(s.published_at, 'Z') >= rtrim(NEW.published_at, 'Z')
			AND (rtrim(s.published_at, 'Z') > rtrim(NEW.published_at, 'Z') OR s.number > NEW.number)
		ORDER BY rtrim(s.published_at, 'Z'), s.number LIMIT 1) AND r.state = 'published'
		AND r.rating IS NOT (SELECT p.rating FROM revisions p
			WHERE p.state = 'published' AND p.country = r.country AND p.indicator = r.indicator
				AND rtrim(p.published_at, 'Z') <= rtrim(r.published_at, 'Z')
				AND (rtrim(p.published_at, 'Z') < rtrim(r.published_at, 'Z') OR p.number < r.number)
			ORDER BY rtrim(p.published_at, 'Z') DESC, p.number DESC LIMIT 1);
END;

CREATE TRIGGER rating_changes_update
	AFTER UPDATE OF state, published_at, rating, value, as_of, country, indicator, number ON revisions
	WHEN OLD.state = 'published' OR NEW.state = 'published' BEGIN
	DELETE FROM rating_changes WHERE revision_id = OLD.id;
	DELETE FROM rating_changes WHERE revision_id = (SELECT s.id FROM revisions s
		WHERE s.state = 'published' AND s.country = OLD.country AND s.indicator = OLD.indicator
			AND rtrim(s.published_at, 'Z') >= rtrim(OLD.published_at, 'Z')
			AND (rtrim(s.published_at, 'Z') > rtrim(OLD.published_at, 'Z') OR s.number > OLD.number)
		ORDER BY rtrim(s.published_at, 'Z'), s.number LIMIT 1);
	INSERT INTO rating_changes (revision_id, country, indicator, at, number, published_at, rating, value, as_of)
	SELECT r.id, r.country, r.indicator, rtrim(r.published_at, 'Z'), r.number, r.published_at, r.rating, r.value, r.as_of
	FROM revisions r WHERE r.id = (SELECT s.id FROM revisions s
		WHERE s.state = 'published' AND s.country = OLD.country AND s.indicator = OLD.indicator
			AND rtrim(s.published_at, 'Z') >= rtrim(OLD.published_at, 'Z')
			AND (rtrim(s.published_at, 'Z') > rtrim(OLD.published_at, 'Z') OR s.number > OLD.number)
		ORDER BY rtrim(s.published_at, 'Z'), s.number LIMIT 1) AND r.state = 'published'
		AND r.rating IS NOT (SELECT p.rating FROM revisions p
			WHERE p.state = 'published' AND p.country = r.country AND p.indicator = r.indicator
				AND rtrim(p.published_at, 'Z') <= rtrim(r.published_at, 'Z')
				AND (rtrim(p.published_at, 'Z') < rtrim(r.published_at, 'Z') OR p.number < r.number)
			ORDER BY rtrim(p.published_at, 'Z') DESC, p.number DESC LIMIT 1);
	DELETE FROM rating_changes WHERE revision_id = NEW.id;
	INSERT INTO rating_changes (revision_id, country, indicator, at, number, published_at, rating, value, as_of)
	SELECT r.id, r.country, r.indicator, rtrim(r.published_at, 'Z'), r.number, r.published_at, r.rating, r.value, r.as_of
	FROM revisions r WHERE r.id = NEW.id AND r.state = 'published'
		AND r.rating IS NOT (SELECT p.rating FROM revisions p
			WHERE p.state = 'published' AND p.country = r.country AND p.indicator = r.indicator
				AND rtrim(p.published_at, 'Z') <= rtrim(r.published_at, 'Z')
				AND (rtrim(p.published_at, 'Z') < rtrim(r.published_at, 'Z') OR p.number < r.number)
			ORDER BY rtrim(p.published_at, 'Z') DESC, p.number DESC LIMIT 1);
	DELETE FROM rating_changes WHERE revision_id = (SELECT s.id FROM revisions s
		WHERE s.state = 'published' AND s.country = NEW.country AND s.indicator = NEW.indicator
			AND rtrim(s.published_at, 'Z') >= rtrim(NEW.published_at, 'Z')
			AND (rtrim(s.published_at, 'Z') > rtrim(NEW.published_at, 'Z') OR s.number > NEW.number)
		ORDER BY rtrim(s.published_at, 'Z'), s.number LIMIT 1);
	INSERT INTO rating_changes (revision_id, country, indicator, at, number, published_at, rating, value, as_of)
	SELECT r.id, r.country, r.indicator, rtrim(r.published_at, 'Z'), r.number, r.published_at, r.rating, r.value, r.as_of
	FROM revisions r WHERE r.id = (SELECT s.id FROM revisions s
		WHERE s.state = 'published' AND s.country = NEW.country AND s.indicator = NEW.indicator
			AND rtrim(s.published_at, 'Z') >= rtrim(NEW.published_at, 'Z')
			AND (rtrim(s.published_at, 'Z') > rtrim(NEW.published_at, 'Z') OR s.number > NEW.number)
		ORDER BY rtrim(s.published_at, 'Z'), s.number LIMIT 1) AND r.state = 'published'
		AND r.rating IS NOT (SELECT p.rating FROM revisions p
			WHERE p.state = 'published' AND p.country = r.country AND p.indicator = r.indicator
				AND rtrim(p.published_at, 'Z') <= rtrim(r.published_at, 'Z')
				AND (rtrim(p.published_at, 'Z') < rtrim(r.published_at, 'Z') OR p.number < r.number)
			ORDER BY rtrim(p.published_at, 'Z') DESC, p.number DESC LIMIT 1);
END;

CREATE TRIGGER rating_changes_delete AFTER DELETE ON revisions WHEN OLD.state = 'published' BEGIN
	DELETE FROM rating_changes WHERE revision_id = OLD.id;
	DELETE FROM rating_changes WHERE revision_id = (SELECT s.id FROM revisions s
		WHERE s.state = 'published' AND s.country = OLD.country AND s.indicator = OLD.indicator
			AND rtrim(s.published_at, 'Z') >= rtrim(OLD.published_at, 'Z')
			AND (rtrim(s.published_at, 'Z') > rtrim(OLD.published_at, 'Z') OR s.number > OLD.number)
		ORDER BY rtrim(s.published_at, 'Z'), s.number LIMIT 1);
	INSERT INTO rating_changes (revision_id, country, indicator, at, number, published_at, rating, value, as_of)
	SELECT r.id, r.country, r.indicator, rtrim(r.published_at, 'Z'), r.number, r.published_at, r.rating, r.value, r.as_of
	FROM revisions r WHERE r.id = (SELECT s.id FROM revisions s
		WHERE s.state = 'published' AND s.country = OLD.country AND s.indicator = OLD.indicator
			AND rtrim(s.published_at, 'Z') >= rtrim(OLD.published_at, 'Z')
			AND (rtrim(s.published_at, 'Z') > rtrim(OLD.published_at, 'Z') OR s.number > OLD.number)
		ORDER BY rtrim(s.published_at, 'Z'), s.number LIMIT 1) AND r.state = 'published'
		AND r.rating IS NOT (SELECT p.rating FROM revisions p
			WHERE p.state = 'published' AND p.country = r.country AND p.indicator = r.indicator
				AND rtrim(p.published_at, 'Z') <= rtrim(r.published_at, 'Z')
				AND (rtrim(p.published_at, 'Z') < rtrim(r.published_at, 'Z') OR p.number < r.number)
			ORDER BY rtrim(p.published_at, 'Z') DESC, p.number DESC LIMIT 1);
END;

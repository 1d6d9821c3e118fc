-- The rating changes (issue 16): each published revision whose rating
-- differs from the one published before it for the same assessment (the
-- first of each included), in order of publication. A country's timeline
-- and the progress charts read these rows instead of comparing every
-- published revision with the one before: their cost follows the changes
-- shown, not the years of history behind them.
--
-- A trigger keeps the list in the same transaction as every write that
-- publishes, restores, unpublishes or removes a revision, whatever the
-- order: a revision published between two others is compared with the one
-- before it, and the one after it is compared with it again.
CREATE TABLE rating_changes (
	revision_id  bigint PRIMARY KEY REFERENCES revisions (id) ON DELETE CASCADE,
	country      text NOT NULL,
	indicator    text NOT NULL,
	published_at timestamptz NOT NULL,
	published_ns integer NOT NULL,
	number       integer NOT NULL
);
CREATE INDEX rating_changes_by_country ON rating_changes (country, published_at, published_ns, indicator, number);
CREATE INDEX rating_changes_by_indicator ON rating_changes (indicator, published_at, published_ns, country, number);
CREATE INDEX rating_changes_by_time ON rating_changes (published_at, published_ns, country, indicator, number);

INSERT INTO rating_changes (revision_id, country, indicator, published_at, published_ns, number)
SELECT id, country, indicator, published_at, published_ns, number FROM (
	SELECT r.id, r.country, r.indicator, r.published_at, r.published_ns, r.number, r.rating,
		lag(r.rating) OVER (PARTITION BY r.country, r.indicator ORDER BY r.published_at, r.published_ns, r.number) AS previous
	FROM revisions r WHERE r.state = 'published') r
WHERE previous IS NULL OR previous <> rating;

-- rating_change_check puts the revision rev in the list, or takes it out,
-- after comparing it with the one published before it.
CREATE FUNCTION rating_change_check(rev bigint) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM rating_changes WHERE revision_id = rev;
	INSERT INTO rating_changes (revision_id, country, indicator, published_at, published_ns, number)
	SELECT r.id, r.country, r.indicator, r.published_at, r.published_ns, r.number FROM revisions r
	WHERE r.id = rev AND r.state = 'published' AND r.rating IS DISTINCT FROM (
		SELECT p.rating FROM revisions p
		WHERE p.state = 'published' AND p.country = r.country AND p.indicator = r.indicator
			AND (p.published_at, p.published_ns, p.number) < (r.published_at, r.published_ns, r.number)
		ORDER BY p.published_at DESC, p.published_ns DESC, p.number DESC LIMIT 1);
END $$;

-- rating_change_next is the revision of the assessment published right
-- after the given instant and number.
CREATE FUNCTION rating_change_next(c text, i text, at timestamptz, ns integer, n integer) RETURNS bigint
LANGUAGE sql STABLE AS $$
	SELECT s.id FROM revisions s
	WHERE s.state = 'published' AND s.country = c AND s.indicator = i
		AND (s.published_at, s.published_ns, s.number) > (at, ns, n)
	ORDER BY s.published_at, s.published_ns, s.number LIMIT 1
$$;

CREATE FUNCTION rating_changes_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP <> 'INSERT' THEN
		IF OLD.state = 'published' THEN
			DELETE FROM rating_changes WHERE revision_id = OLD.id;
			PERFORM rating_change_check(rating_change_next(OLD.country, OLD.indicator, OLD.published_at, OLD.published_ns, OLD.number));
		END IF;
	END IF;
	IF TG_OP <> 'DELETE' THEN
		IF NEW.state = 'published' THEN
			PERFORM rating_change_check(NEW.id);
			PERFORM rating_change_check(rating_change_next(NEW.country, NEW.indicator, NEW.published_at, NEW.published_ns, NEW.number));
		END IF;
	END IF;
	RETURN NULL;
END $$;

CREATE TRIGGER rating_changes_follow
	AFTER INSERT OR UPDATE OF state, published_at, published_ns, rating, country, indicator, number OR DELETE ON revisions
	FOR EACH ROW EXECUTE FUNCTION rating_changes_follow();

-- The published state of every assessment at the end of each past month,
-- as SQLite keeps it (its migration 0019 says why): the changes page for
-- a month reads the two states it compares instead of seeking each
-- assessment's revision at both ends. Here a state is the revisions'
-- ids, read back through the primary key.
--
-- Readers use a month only while month_states_built names it; a write
-- that publishes, changes or removes a revision dated in a month takes
-- that month and every later one out, in its own transaction (the
-- triggers below, once per statement so that a restore's batches cost
-- one delete each); the server's upkeep builds the missing months again
-- under a SHARE lock on revisions (postgres/month_states.go), so that no
-- write lands between reading a state and marking it built.
CREATE TABLE month_states (
	month       date NOT NULL, -- the state at the last instant of this month (UTC)
	country     text NOT NULL,
	indicator   text NOT NULL,
	revision_id bigint NOT NULL,
	PRIMARY KEY (month, country, indicator)
);

-- A month whose state is known, and the month whose rows hold it: an
-- earlier one when nothing was published in between.
CREATE TABLE month_states_built (
	month      date PRIMARY KEY,
	rows_month date NOT NULL
);

CREATE FUNCTION month_states_take_out() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	touched date;
BEGIN
	IF TG_OP = 'INSERT' THEN
		SELECT min(published_at AT TIME ZONE 'UTC')::date INTO touched FROM new_revisions WHERE state = 'published';
	ELSIF TG_OP = 'DELETE' THEN
		SELECT min(published_at AT TIME ZONE 'UTC')::date INTO touched FROM old_revisions WHERE state = 'published';
	ELSE
		SELECT min(t)::date INTO touched FROM (
			SELECT published_at AT TIME ZONE 'UTC' AS t FROM old_revisions WHERE state = 'published'
			UNION ALL
			SELECT published_at AT TIME ZONE 'UTC' FROM new_revisions WHERE state = 'published') changed;
	END IF;
	IF touched IS NOT NULL THEN
		DELETE FROM month_states_built WHERE month >= date_trunc('month', touched)::date;
	END IF;
	RETURN NULL;
END $$;

CREATE TRIGGER month_states_insert AFTER INSERT ON revisions
	REFERENCING NEW TABLE AS new_revisions
	FOR EACH STATEMENT EXECUTE FUNCTION month_states_take_out();
CREATE TRIGGER month_states_update AFTER UPDATE ON revisions
	REFERENCING OLD TABLE AS old_revisions NEW TABLE AS new_revisions
	FOR EACH STATEMENT EXECUTE FUNCTION month_states_take_out();
CREATE TRIGGER month_states_delete AFTER DELETE ON revisions
	REFERENCING OLD TABLE AS old_revisions
	FOR EACH STATEMENT EXECUTE FUNCTION month_states_take_out();

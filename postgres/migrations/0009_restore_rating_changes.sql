-- A restore writes a whole history at once (issue 16): the rating-change
-- trigger of 0005, a row at a time, took most of an import's time (about
-- 45 s of the 1× dataset's). While the transaction-local setting
-- vigie.restoring is on, the trigger leaves the list alone, and the
-- restore lists again the changes of every assessment it wrote, in one
-- statement (postgres/restore.go, listRatingChanges).
CREATE OR REPLACE FUNCTION rating_changes_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF current_setting('vigie.restoring', true) = 'on' THEN
		RETURN NULL;
	END IF;
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

-- Readers of the current ratings only (/countries, the changes
-- page) read them from this small table instead of looking up each
-- published revision among millions of others. Each assessment keeps a
-- copy of its published revision's rating; published revisions do not
-- change, so the copy is taken when the pointer moves.
ALTER TABLE assessments
	ADD COLUMN current_number integer NOT NULL DEFAULT 0,
	ADD COLUMN current_published_at timestamptz,
	ADD COLUMN current_published_ns integer NOT NULL DEFAULT 0,
	ADD COLUMN current_rating text NOT NULL DEFAULT '',
	ADD COLUMN current_value integer,
	ADD COLUMN current_as_of text NOT NULL DEFAULT '';

CREATE FUNCTION assessments_current() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	SELECT r.number, r.published_at, r.published_ns, r.rating, r.value, r.as_of
	INTO NEW.current_number, NEW.current_published_at, NEW.current_published_ns, NEW.current_rating, NEW.current_value, NEW.current_as_of
	FROM revisions r WHERE r.id = NEW.published_revision;
	RETURN NEW;
END $$;

UPDATE assessments a SET current_number = r.number, current_published_at = r.published_at,
	current_published_ns = r.published_ns, current_rating = r.rating, current_value = r.value, current_as_of = r.as_of
FROM revisions r WHERE r.id = a.published_revision;

CREATE TRIGGER assessments_current BEFORE INSERT OR UPDATE OF published_revision ON assessments
	FOR EACH ROW EXECUTE FUNCTION assessments_current();

-- Readers of the current ratings only (/countries, the changes
-- page) read them from this small table instead of looking up each
-- published revision: those rows sit among millions of others with their
-- explanations, so the lookups read a page each from a file that grows
-- with the history (/countries 17 → 43 ms from 1× to 100×). Each
-- assessment keeps a copy of its published revision's rating; published
-- revisions do not change, so the copy is taken when the pointer moves.
ALTER TABLE assessments ADD COLUMN current_number INTEGER NOT NULL DEFAULT 0;
ALTER TABLE assessments ADD COLUMN current_published_at TEXT NOT NULL DEFAULT '';
ALTER TABLE assessments ADD COLUMN current_rating TEXT NOT NULL DEFAULT '';
ALTER TABLE assessments ADD COLUMN current_value INTEGER;
ALTER TABLE assessments ADD COLUMN current_as_of TEXT NOT NULL DEFAULT '';

UPDATE assessments SET (current_number, current_published_at, current_rating, current_value, current_as_of) =
	(SELECT r.number, r.published_at, r.rating, r.value, r.as_of FROM revisions r WHERE r.id = assessments.published_revision);

CREATE TRIGGER assessments_current_insert AFTER INSERT ON assessments BEGIN
	UPDATE assessments SET (current_number, current_published_at, current_rating, current_value, current_as_of) =
		(SELECT r.number, r.published_at, r.rating, r.value, r.as_of FROM revisions r WHERE r.id = NEW.published_revision)
	WHERE country = NEW.country AND indicator = NEW.indicator;
END;

CREATE TRIGGER assessments_current_update AFTER UPDATE OF published_revision ON assessments BEGIN
	UPDATE assessments SET (current_number, current_published_at, current_rating, current_value, current_as_of) =
		(SELECT r.number, r.published_at, r.rating, r.value, r.as_of FROM revisions r WHERE r.id = NEW.published_revision)
	WHERE country = NEW.country AND indicator = NEW.indicator;
END;

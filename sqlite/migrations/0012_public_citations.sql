-- The sources the published assessments cite, by assessment (issue 16).
-- Search shows a source only while a published assessment cites it; it
-- used to find that out by reading every citation of each matching
-- source, a cost that grows with the years of history behind the source.
-- This list holds as many rows as the published revisions have
-- citations, whatever the history, and triggers keep it in the same
-- transaction as every change of an assessment's published revision (its
-- citations are written before it is published).
CREATE TABLE public_citations (
	source_id INTEGER NOT NULL,
	country   TEXT NOT NULL,
	indicator TEXT NOT NULL,
	PRIMARY KEY (source_id, country, indicator)
) WITHOUT ROWID;
CREATE INDEX public_citations_by_assessment ON public_citations (country, indicator);

INSERT OR IGNORE INTO public_citations (source_id, country, indicator)
SELECT rc.source_id, a.country, a.indicator
FROM assessments a CROSS JOIN revision_citations rc ON rc.revision_id = a.published_revision;

CREATE TRIGGER public_citations_insert AFTER INSERT ON assessments BEGIN
	INSERT OR IGNORE INTO public_citations (source_id, country, indicator)
	SELECT rc.source_id, NEW.country, NEW.indicator FROM revision_citations rc WHERE rc.revision_id = NEW.published_revision;
END;
CREATE TRIGGER public_citations_update AFTER UPDATE OF published_revision, country, indicator ON assessments BEGIN
	DELETE FROM public_citations WHERE country = OLD.country AND indicator = OLD.indicator;
	INSERT OR IGNORE INTO public_citations (source_id, country, indicator)
	SELECT rc.source_id, NEW.country, NEW.indicator FROM revision_citations rc WHERE rc.revision_id = NEW.published_revision;
END;
CREATE TRIGGER public_citations_delete AFTER DELETE ON assessments BEGIN
	DELETE FROM public_citations WHERE country = OLD.country AND indicator = OLD.indicator;
END;

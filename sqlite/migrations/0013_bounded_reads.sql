-- Each assessment's rating changes in order (issue 16): the progress
-- charts read the rating of every assessment at each year's end, and a
-- country's timeline its latest changes, with one seek per assessment and
-- instant here instead of reading every change since the first.
CREATE INDEX IF NOT EXISTS rating_changes_by_assessment ON rating_changes (country, indicator, at, number);

-- The search index holds a source only while a published assessment cites
-- it, as PostgreSQL's does (issue 16): search shows no other, and a common
-- word ("penal") matched thousands of laws that no assessment cites any
-- more, which the ranking had to read through. A source enters the index
-- with its first public citation and leaves it with its last; a change to
-- the source rewrites its row only while it is cited (sqlite/search.go).
-- The statements here are in step with indexSQL's for sources. Written to
-- run again after 0003 (TestSearchMigrationMatchesWrites).
DELETE FROM search_docs WHERE kind = 'source'
	AND NOT EXISTS (SELECT 1 FROM public_citations pc WHERE pc.source_id = CAST(search_docs.ref AS INTEGER));

DROP TRIGGER IF EXISTS search_source_cited;
CREATE TRIGGER search_source_cited AFTER INSERT ON public_citations
	WHEN NOT EXISTS (SELECT 1 FROM search_docs WHERE kind = 'source' AND ref = CAST(NEW.source_id AS TEXT)) BEGIN
	INSERT INTO search_docs (kind, ref, title, body, link)
		SELECT 'source', s.id, s.title,
			concat_ws(' · ', nullif(s.identifier, ''), nullif(s.publisher, ''), nullif(s.year, 0),
				'status as of ' || nullif(s.status_as_of, 0)),
			s.link
		FROM sources s WHERE s.id = NEW.source_id;
END;

DROP TRIGGER IF EXISTS search_source_uncited;
CREATE TRIGGER search_source_uncited AFTER DELETE ON public_citations
	WHEN NOT EXISTS (SELECT 1 FROM public_citations WHERE source_id = OLD.source_id) BEGIN
	DELETE FROM search_docs WHERE kind = 'source' AND ref = CAST(OLD.source_id AS TEXT);
END;

-- A new published revision that cites a source again keeps its row, and
-- so its place in the index, instead of taking it out and back.
DROP TRIGGER IF EXISTS public_citations_update;
CREATE TRIGGER public_citations_update AFTER UPDATE OF published_revision, country, indicator ON assessments BEGIN
	DELETE FROM public_citations WHERE country = OLD.country AND indicator = OLD.indicator
		AND (OLD.country IS NOT NEW.country OR OLD.indicator IS NOT NEW.indicator
			OR source_id NOT IN (SELECT rc.source_id FROM revision_citations rc WHERE rc.revision_id = NEW.published_revision));
	-- Not OR IGNORE: the upsert that publishes (sqlite/revisions.go, point)
	-- imposes its own conflict handling on the statements of its triggers.
	INSERT INTO public_citations (source_id, country, indicator)
	SELECT DISTINCT rc.source_id, NEW.country, NEW.indicator FROM revision_citations rc
	WHERE rc.revision_id = NEW.published_revision AND NOT EXISTS (SELECT 1 FROM public_citations p
		WHERE p.source_id = rc.source_id AND p.country = NEW.country AND p.indicator = NEW.indicator);
END;

DROP TRIGGER IF EXISTS public_citations_insert;
CREATE TRIGGER public_citations_insert AFTER INSERT ON assessments BEGIN
	INSERT INTO public_citations (source_id, country, indicator)
	SELECT DISTINCT rc.source_id, NEW.country, NEW.indicator FROM revision_citations rc WHERE rc.revision_id = NEW.published_revision;
END;

-- A country's publications, read by the country page, without a pass
-- over every publication.
CREATE INDEX IF NOT EXISTS publication_countries_by_country ON publication_countries (country, publication_id);

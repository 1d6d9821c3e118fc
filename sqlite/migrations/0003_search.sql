-- Full-text search (issue #5). search_docs holds one row per public
-- document, in the plain text that is searched and shown in snippets;
-- search_fts indexes it as an external-content FTS5 table, kept in step by
-- the triggers below. The store rewrites a document's row in the
-- transaction that changes the document (sqlite/search.go, indexSQL); the
-- INSERT statements at the end are the same ones, run once over the data
-- that exists when this migration runs. The vigie_* functions are Go
-- functions the store registers with the driver.
CREATE TABLE search_docs (
	id         INTEGER PRIMARY KEY,
	kind       TEXT NOT NULL, -- assessment, source, publication, organisation, news
	ref        TEXT NOT NULL, -- 'ML/age-of-consent' for assessments, else the row's id
	slug       TEXT NOT NULL DEFAULT '',
	title      TEXT NOT NULL,
	body       TEXT NOT NULL DEFAULT '', -- searched and shown in snippets
	extra      TEXT NOT NULL DEFAULT '', -- names and labels: searched, not shown
	countries  TEXT NOT NULL DEFAULT '', -- ISO alpha-2 codes, space-separated, sorted
	indicators TEXT NOT NULL DEFAULT '', -- indicator keys, the same way
	date       TEXT NOT NULL DEFAULT '',
	link       TEXT NOT NULL DEFAULT '',
	UNIQUE (kind, ref)
);

-- Accents fold (remove_diacritics 2 also folds letters whose accent is
-- encoded apart); the prefix indexes make "extrad"* quick.
CREATE VIRTUAL TABLE search_fts USING fts5 (title, body, extra,
	content = 'search_docs', content_rowid = 'id',
	tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4');

CREATE TRIGGER search_docs_insert AFTER INSERT ON search_docs BEGIN
	INSERT INTO search_fts (rowid, title, body, extra) VALUES (new.id, new.title, new.body, new.extra);
END;
CREATE TRIGGER search_docs_delete AFTER DELETE ON search_docs BEGIN
	INSERT INTO search_fts (search_fts, rowid, title, body, extra) VALUES ('delete', old.id, old.title, old.body, old.extra);
END;
CREATE TRIGGER search_docs_update AFTER UPDATE ON search_docs BEGIN
	INSERT INTO search_fts (search_fts, rowid, title, body, extra) VALUES ('delete', old.id, old.title, old.body, old.extra);
	INSERT INTO search_fts (rowid, title, body, extra) VALUES (new.id, new.title, new.body, new.extra);
END;

-- Which published assessments cite a source: search reads it to show only
-- sources that are cited, and where.
CREATE INDEX revision_citations_by_source ON revision_citations (source_id);
CREATE INDEX assessments_by_revision ON assessments (published_revision);

-- What exists now. Keep in step with indexSQL in sqlite/search.go.
INSERT INTO search_docs (kind, ref, title, body, extra, countries, indicators, date)
	SELECT 'assessment', a.country || '/' || a.indicator, i.name, vigie_search_text(r.explanation),
		vigie_country_names(a.country), a.country, a.indicator, r.published_at
	FROM assessments a JOIN revisions r ON r.id = a.published_revision JOIN indicators i ON i.key = a.indicator
	WHERE trim(r.explanation) != '';

INSERT INTO search_docs (kind, ref, title, body, link)
	SELECT 'source', s.id, s.title,
		concat_ws(' · ', nullif(s.identifier, ''), nullif(s.publisher, ''), nullif(s.year, 0),
			'status as of ' || nullif(s.status_as_of, 0)),
		s.link
	FROM sources s;

INSERT INTO search_docs (kind, ref, slug, title, body, extra, countries, link)
	SELECT 'publication', p.id, p.slug, p.title,
		concat_ws(' · ', (SELECT group_concat(value, ', ') FROM json_each(p.publishers)), nullif(p.year, 0)),
		vigie_publication_type(p.type),
		coalesce((SELECT group_concat(country, ' ' ORDER BY country) FROM publication_countries WHERE publication_id = p.id), ''),
		p.link
	FROM publications p;

INSERT INTO search_docs (kind, ref, slug, title, body, extra, countries, link)
	SELECT 'organisation', o.id, o.slug, o.name || iif(o.acronym != '', ' (' || o.acronym || ')', ''),
		vigie_search_text(o.description),
		concat_ws(' ', nullif(o.office_city, ''),
			(SELECT group_concat(value, ' ') FROM json_each(o.regions)),
			(SELECT group_concat(value, ' ') FROM json_each(o.areas_of_work)),
			(SELECT group_concat(name || ' ' || title, ' ') FROM contacts WHERE organisation_id = o.id)),
		o.country, o.website
	FROM organisations o;

INSERT INTO search_docs (kind, ref, slug, title, body, countries, date)
	SELECT 'news', n.id, n.slug, n.title, vigie_search_text(concat_ws(char(10, 10), nullif(n.summary, ''), n.body)),
		coalesce((SELECT group_concat(country, ' ' ORDER BY country) FROM news_countries WHERE news_id = n.id), ''),
		n.date
	FROM news n;

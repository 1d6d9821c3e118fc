-- Translations of content fields into the site's other languages (issue
-- #6): one row per kind, key, field and language. source_version is
-- vigie.SourceVersion of the English text translated, so that a changed
-- English text shows its translation as out of date.
CREATE TABLE translations (
	kind           TEXT NOT NULL,
	key            TEXT NOT NULL,
	field          TEXT NOT NULL,
	lang           TEXT NOT NULL,
	text           TEXT NOT NULL,
	source_version TEXT NOT NULL,
	updated_at     TEXT NOT NULL,
	updated_by     TEXT NOT NULL,
	PRIMARY KEY (kind, key, field, lang)
) WITHOUT ROWID;

-- Translations of content fields into the site's other languages (issue
-- #6): one row per kind, key, field and language. source_version is
-- vigie.SourceVersion of the English text translated, so that a changed
-- English text shows its translation as out of date.
CREATE TABLE translations (
	kind           text NOT NULL,
	key            text NOT NULL,
	field          text NOT NULL,
	lang           text NOT NULL,
	text           text NOT NULL,
	source_version text NOT NULL,
	updated_at     timestamptz,
	updated_by     text NOT NULL,
	PRIMARY KEY (kind, key, field, lang)
);

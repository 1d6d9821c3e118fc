-- Each organisation's name folded as vigie.Fold folds it (case, accents
-- and surrounding space ignored), indexed with its country, so that
-- matching a name (OrganisationNamed: an import merges each organisation
-- so) is one look-up rather than a read of every name of the country.
ALTER TABLE organisations ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
UPDATE organisations SET name_key = vigie_fold(name);
CREATE INDEX organisations_by_name_key ON organisations (country, name_key);

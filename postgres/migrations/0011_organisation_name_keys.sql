-- Each organisation's name folded as vigie.Fold folds it (case, accents
-- and surrounding space ignored), indexed with its country, so that
-- matching a name (OrganisationNamed: an import merges each organisation
-- so) is one look-up rather than a read of every name of the country.
-- The stored names are folded by Go in the same transaction (see
-- migrate.go's afterMigration).
ALTER TABLE organisations ADD COLUMN name_key text NOT NULL DEFAULT '';
CREATE INDEX organisations_by_name_key ON organisations (country, name_key);

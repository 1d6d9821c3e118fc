-- An uploaded PDF of a publication, named by the SHA-256 of its content in
-- the file store beside the database; '' and 0 when there is none.
ALTER TABLE publications ADD COLUMN file_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE publications ADD COLUMN file_size INTEGER NOT NULL DEFAULT 0;

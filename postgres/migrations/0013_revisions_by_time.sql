-- The published revisions in order of publication (as SQLite's 0021): a
-- day that ends no month is found from the last month's kept state
-- (0012) and what was published since, one range of this index, instead
-- of a seek into every assessment's history.
CREATE INDEX revisions_by_time ON revisions (published_at, published_ns, number) WHERE state = 'published';

-- The published revisions in order of publication (issue 16), with every
-- column a reader of ratings reads. The changes page compares the states
-- at two days; a day that ends no month is found from the last month's
-- kept state (0019) and what was published since, read here as one range
-- of this index: the cost follows what happened in those few days, not
-- a seek into every assessment's history. state is listed so that the
-- reads never touch the revisions' rows (see 0008).
CREATE INDEX revisions_by_time ON revisions
	(rtrim(published_at, 'Z'), number, country, indicator, state, published_at, rating, value, as_of)
	WHERE state = 'published';

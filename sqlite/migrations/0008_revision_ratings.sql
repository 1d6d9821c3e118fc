-- Readers of ratings only (a country's timeline, RatingsOnly) find every
-- column they read in this index, and never touch the revisions' rows,
-- whose explanations make them large: the timeline of a country with
-- thousands of revisions reads a few pages instead of megabytes.
CREATE INDEX revisions_ratings ON revisions
	(country, indicator, rtrim(published_at, 'Z'), number, state, published_at, rating, value, as_of)
	WHERE state = 'published';

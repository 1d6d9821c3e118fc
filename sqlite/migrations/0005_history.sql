-- Time travel (issue #5): what each assessment showed at an instant is its
-- published revision with the greatest published_at not after it. Times
-- are stored as RFC 3339 text whose fraction loses trailing zeros, which
-- sorts as time only without the final "Z" (see sqlite/history.go), hence
-- the expression.
CREATE INDEX revisions_published ON revisions (country, indicator, rtrim(published_at, 'Z'), number)
	WHERE state = 'published';

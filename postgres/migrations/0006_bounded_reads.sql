-- Each assessment's rating changes in order (issue 16): the progress
-- charts read the rating of every assessment at each year's end, and a
-- country's timeline its latest changes, with one seek per assessment and
-- instant here instead of reading every change since the first.
CREATE INDEX rating_changes_by_assessment ON rating_changes (country, indicator, published_at, published_ns, number);

-- A country's news is found through its tags rather than by scanning every
-- news item newest first (the country page and /news?country=).
CREATE INDEX news_countries_by_country ON news_countries (country, news_id);

-- The public lists read a page at a time, each after the last item of the
-- page before (issue 16): the library in its order (year descending, then
-- title, then ID). The newsroom pages through news_by_date and
-- news_countries_by_date, the directory through the UNIQUE (country, name)
-- index.
CREATE INDEX IF NOT EXISTS publications_by_order ON publications (year DESC, title, id);

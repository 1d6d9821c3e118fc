-- The public lists read a page at a time, each after the last item of the
-- page before (issue 16): the library in its order (year descending, then
-- title, then ID) and the newsroom by date and ID, newest first. The
-- directory pages through the UNIQUE (country, name) index it has.
CREATE INDEX IF NOT EXISTS publications_by_order ON publications (year DESC, title, id);
CREATE INDEX IF NOT EXISTS news_by_date ON news (date, id);

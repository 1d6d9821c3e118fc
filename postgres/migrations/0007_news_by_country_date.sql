-- A country's latest news (the country page, /news?country=) is read from
-- its tags in date order, so that it stops after the items it shows
-- instead of reading and sorting every item the country was ever tagged
-- in. The tag keeps a copy of its item's date, kept right by triggers.
ALTER TABLE news_countries ADD COLUMN date date;
UPDATE news_countries nc SET date = n.date FROM news n WHERE n.id = nc.news_id;
ALTER TABLE news_countries ALTER COLUMN date SET NOT NULL;
CREATE INDEX news_countries_by_date ON news_countries (country, date DESC, news_id DESC);

CREATE FUNCTION news_countries_date() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	SELECT n.date INTO NEW.date FROM news n WHERE n.id = NEW.news_id;
	RETURN NEW;
END $$;
CREATE TRIGGER news_countries_date BEFORE INSERT OR UPDATE OF news_id ON news_countries
	FOR EACH ROW EXECUTE FUNCTION news_countries_date();

CREATE FUNCTION news_date_tags() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE news_countries SET date = NEW.date WHERE news_id = NEW.id;
	RETURN NULL;
END $$;
CREATE TRIGGER news_date_tags AFTER UPDATE OF date ON news
	FOR EACH ROW WHEN (OLD.date IS DISTINCT FROM NEW.date) EXECUTE FUNCTION news_date_tags();

-- The newsroom and the home page read the newest items first.
CREATE INDEX news_by_date ON news (date DESC, id DESC);

-- A country's latest news (the country page, /news?country=) is read from
-- its tags in date order, so that it stops after the items it shows
-- instead of reading and sorting every item the country was ever tagged
-- in (971 news items of a country at 100×, bodies included). The tag
-- keeps a copy of its item's date, kept right by the triggers below.
ALTER TABLE news_countries ADD COLUMN date TEXT NOT NULL DEFAULT '';
UPDATE news_countries SET date = (SELECT n.date FROM news n WHERE n.id = news_countries.news_id);
CREATE INDEX news_countries_by_date ON news_countries (country, date, news_id);

CREATE TRIGGER news_countries_date AFTER INSERT ON news_countries BEGIN
	UPDATE news_countries SET date = (SELECT n.date FROM news n WHERE n.id = NEW.news_id)
	WHERE news_id = NEW.news_id AND country = NEW.country;
END;

CREATE TRIGGER news_date_tags AFTER UPDATE OF date ON news BEGIN
	UPDATE news_countries SET date = NEW.date WHERE news_id = NEW.id;
END;

-- The newsroom and the home page read the newest items first.
CREATE INDEX news_by_date ON news (date, id);

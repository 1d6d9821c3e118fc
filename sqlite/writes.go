package sqlite

import (
	"context"
	"database/sql"
	"time"

	vigie "github.com/vigie-network/vigie"
)

// findOrCreateSource returns the stored record for s, creating it when no
// source is the same record. Details a new citation adds (a link, an
// identifier) fill the stored record's empty fields.
func (c conn) findOrCreateSource(ctx context.Context, s vigie.Source) (vigie.Source, error) {
	var stored vigie.Source
	err := c.q.QueryRowContext(ctx, `SELECT id, kind, title, identifier, publisher, year, status_as_of, link
		FROM sources WHERE kind = ? AND title_key = ? AND year = ? AND status_as_of = ?`,
		s.Kind, fold(s.Title), s.Year, s.StatusAsOf).Scan(&stored.ID, &stored.Kind, &stored.Title,
		&stored.Identifier, &stored.Publisher, &stored.Year, &stored.StatusAsOf, &stored.Link)
	if isNoRows(err) {
		res, err := c.q.ExecContext(ctx, `INSERT INTO sources (kind, title, title_key, identifier, publisher, year, status_as_of, link)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, s.Kind, s.Title, fold(s.Title), s.Identifier, s.Publisher, s.Year, s.StatusAsOf, s.Link)
		if err != nil {
			return s, err
		}
		if s.ID, err = res.LastInsertId(); err != nil {
			return s, err
		}
		return s, c.indexID(ctx, vigie.SearchSource, s.ID)
	}
	if err != nil {
		return s, err
	}
	merged := stored
	for _, f := range []struct {
		dst *string
		src string
	}{
		{&merged.Identifier, s.Identifier}, {&merged.Publisher, s.Publisher}, {&merged.Link, s.Link},
	} {
		if *f.dst == "" {
			*f.dst = f.src
		}
	}
	if merged != stored {
		if _, err := c.q.ExecContext(ctx, `UPDATE sources SET identifier = ?, publisher = ?, link = ? WHERE id = ?`,
			merged.Identifier, merged.Publisher, merged.Link, merged.ID); err != nil {
			return s, err
		}
		if err := c.indexID(ctx, vigie.SearchSource, merged.ID); err != nil {
			return s, err
		}
	}
	return merged, nil
}

func (c conn) InsertOrganisation(ctx context.Context, o *vigie.Organisation) error {
	res, err := c.q.ExecContext(ctx, `INSERT INTO organisations (slug, country, name, acronym, description, founded,
		office_city, regions, areas_of_work, website, name_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, orgArgs(*o)...)
	if err != nil {
		return slugTaken(err, o.Slug)
	}
	if o.ID, err = res.LastInsertId(); err != nil {
		return err
	}
	return c.writeContacts(ctx, *o)
}

func (c conn) UpdateOrganisation(ctx context.Context, o vigie.Organisation) error {
	res, err := c.q.ExecContext(ctx, `UPDATE organisations SET slug = ?, country = ?, name = ?, acronym = ?,
		description = ?, founded = ?, office_city = ?, regions = ?, areas_of_work = ?, website = ?, name_key = ? WHERE id = ?`,
		append(orgArgs(o), o.ID)...)
	if err := oneRow(res, err, o.Slug, "organisation", o.ID); err != nil {
		return err
	}
	if _, err := c.q.ExecContext(ctx, `DELETE FROM contacts WHERE organisation_id = ?`, o.ID); err != nil {
		return err
	}
	return c.writeContacts(ctx, o)
}

func orgArgs(o vigie.Organisation) []any {
	return []any{o.Slug, o.Country, o.Name, o.Acronym, o.Description, o.Founded.String(), o.OfficeCity,
		toJSON(o.Regions), toJSON(o.AreasOfWork), o.Website, fold(o.Name)}
}

// writeContacts stores an organisation's contacts and indexes it.
func (c conn) writeContacts(ctx context.Context, o vigie.Organisation) error {
	for pos, ct := range o.Contacts {
		if _, err := c.q.ExecContext(ctx, `INSERT INTO contacts (organisation_id, position, name, title, phone, email, address)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, o.ID, pos, ct.Name, ct.Title, ct.Phone, ct.Email, ct.Address); err != nil {
			return err
		}
	}
	if err := c.indexID(ctx, vigie.SearchOrganisation, o.ID); err != nil {
		return err
	}
	c.markChanged()
	return nil
}

// oneRow checks that an UPDATE by ID found its row.
func oneRow(res sql.Result, err error, slug, kind string, id int64) error {
	if err != nil {
		return slugTaken(err, slug)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return notFound("no %s %d", kind, id)
	}
	return nil
}

// slugTaken turns the failure of a slug's UNIQUE constraint, which the
// domain's check before the write makes rare, into the same conflict.
func slugTaken(err error, slug string) error {
	if isUniqueViolation(err) {
		return vigie.SlugTaken(slug)
	}
	return err
}

func (c conn) InsertPublication(ctx context.Context, p *vigie.Publication) error {
	res, err := c.q.ExecContext(ctx, `INSERT INTO publications (slug, title, type, year, publishers, link, language,
		file_hash, file_size) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, pubArgs(*p)...)
	if err != nil {
		return slugTaken(err, p.Slug)
	}
	if p.ID, err = res.LastInsertId(); err != nil {
		return err
	}
	return c.writePublicationCountries(ctx, *p)
}

func (c conn) UpdatePublication(ctx context.Context, p vigie.Publication) error {
	res, err := c.q.ExecContext(ctx, `UPDATE publications SET slug = ?, title = ?, type = ?, year = ?, publishers = ?,
		link = ?, language = ?, file_hash = ?, file_size = ? WHERE id = ?`, append(pubArgs(p), p.ID)...)
	if err := oneRow(res, err, p.Slug, "publication", p.ID); err != nil {
		return err
	}
	if _, err := c.q.ExecContext(ctx, `DELETE FROM publication_countries WHERE publication_id = ?`, p.ID); err != nil {
		return err
	}
	return c.writePublicationCountries(ctx, p)
}

func pubArgs(p vigie.Publication) []any {
	return []any{p.Slug, p.Title, p.Type, p.Year, toJSON(p.Publishers), p.Link, p.Language, p.File.Hash, p.File.Size}
}

func (c conn) writePublicationCountries(ctx context.Context, p vigie.Publication) error {
	for _, country := range p.Countries {
		if _, err := c.q.ExecContext(ctx, `INSERT INTO publication_countries (publication_id, country) VALUES (?, ?)`, p.ID, country); err != nil {
			return err
		}
	}
	if err := c.indexID(ctx, vigie.SearchPublication, p.ID); err != nil {
		return err
	}
	c.markChanged()
	return nil
}

func (c conn) InsertNewsItem(ctx context.Context, n *vigie.NewsItem) error {
	res, err := c.q.ExecContext(ctx, `INSERT INTO news (slug, title, date, summary, body) VALUES (?, ?, ?, ?, ?)`,
		n.Slug, n.Title, n.Date.Format(time.DateOnly), n.Summary, n.Body)
	if err != nil {
		return slugTaken(err, n.Slug)
	}
	if n.ID, err = res.LastInsertId(); err != nil {
		return err
	}
	return c.writeNewsCountries(ctx, *n)
}

func (c conn) UpdateNewsItem(ctx context.Context, n vigie.NewsItem) error {
	res, err := c.q.ExecContext(ctx, `UPDATE news SET slug = ?, title = ?, date = ?, summary = ?, body = ? WHERE id = ?`,
		n.Slug, n.Title, n.Date.Format(time.DateOnly), n.Summary, n.Body, n.ID)
	if err := oneRow(res, err, n.Slug, "news item", n.ID); err != nil {
		return err
	}
	if _, err := c.q.ExecContext(ctx, `DELETE FROM news_countries WHERE news_id = ?`, n.ID); err != nil {
		return err
	}
	return c.writeNewsCountries(ctx, n)
}

func (c conn) writeNewsCountries(ctx context.Context, n vigie.NewsItem) error {
	for _, country := range n.Countries {
		if _, err := c.q.ExecContext(ctx, `INSERT INTO news_countries (news_id, country) VALUES (?, ?)`, n.ID, country); err != nil {
			return err
		}
	}
	if err := c.indexID(ctx, vigie.SearchNews, n.ID); err != nil {
		return err
	}
	c.markChanged()
	return nil
}

func (c conn) SetFeaturedStory(ctx context.Context, slug string) error {
	if _, err := c.q.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ('featured_story', ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, slug); err != nil {
		return err
	}
	c.markChanged()
	return nil
}

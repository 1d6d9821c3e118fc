package postgres

import (
	"context"

	"github.com/jackc/pgx/v5/pgconn"

	vigie "github.com/vigie-network/vigie"
)

// findOrCreateSource returns the stored record for s, creating it when no
// source is the same record. Details a new citation adds (a link, an
// identifier) fill the stored record's empty fields.
func (c conn) findOrCreateSource(ctx context.Context, s vigie.Source) (vigie.Source, error) {
	var stored vigie.Source
	err := c.q.QueryRow(ctx, `SELECT id, kind, title, identifier, publisher, year, status_as_of, link
		FROM sources WHERE kind = $1 AND title_key = $2 AND year = $3 AND status_as_of = $4`,
		s.Kind, fold(s.Title), s.Year, s.StatusAsOf).Scan(&stored.ID, &stored.Kind, &stored.Title,
		&stored.Identifier, &stored.Publisher, &stored.Year, &stored.StatusAsOf, &stored.Link)
	if isNoRows(err) {
		err := c.q.QueryRow(ctx, `INSERT INTO sources (kind, title, title_key, identifier, publisher, year, status_as_of, link)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			s.Kind, s.Title, fold(s.Title), s.Identifier, s.Publisher, s.Year, s.StatusAsOf, s.Link).Scan(&s.ID)
		return s, err
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
		if _, err := c.q.Exec(ctx, `UPDATE sources SET identifier = $1, publisher = $2, link = $3 WHERE id = $4`,
			merged.Identifier, merged.Publisher, merged.Link, merged.ID); err != nil {
			return s, err
		}
		if err := c.indexSource(ctx, merged.ID); err != nil {
			return s, err
		}
	}
	return merged, nil
}

func (c conn) InsertOrganisation(ctx context.Context, o *vigie.Organisation) error {
	if err := c.q.QueryRow(ctx, `INSERT INTO organisations (slug, country, name, acronym, description, founded,
		office_city, regions, areas_of_work, website, name_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
		orgArgs(*o)...).Scan(&o.ID); err != nil {
		return slugTaken(err, o.Slug)
	}
	return c.writeContacts(ctx, *o)
}

func (c conn) UpdateOrganisation(ctx context.Context, o vigie.Organisation) error {
	tag, err := c.q.Exec(ctx, `UPDATE organisations SET slug = $1, country = $2, name = $3, acronym = $4,
		description = $5, founded = $6, office_city = $7, regions = $8, areas_of_work = $9, website = $10, name_key = $11 WHERE id = $12`,
		append(orgArgs(o), o.ID)...)
	if err := oneRow(tag, err, o.Slug, "organisation", o.ID); err != nil {
		return err
	}
	if _, err := c.q.Exec(ctx, `DELETE FROM contacts WHERE organisation_id = $1`, o.ID); err != nil {
		return err
	}
	return c.writeContacts(ctx, o)
}

func orgArgs(o vigie.Organisation) []any {
	return []any{o.Slug, o.Country, o.Name, o.Acronym, o.Description, o.Founded.String(), o.OfficeCity,
		list(o.Regions), list(o.AreasOfWork), o.Website, fold(o.Name)}
}

// writeContacts stores an organisation's contacts and indexes it.
func (c conn) writeContacts(ctx context.Context, o vigie.Organisation) error {
	for pos, ct := range o.Contacts {
		if _, err := c.q.Exec(ctx, `INSERT INTO contacts (organisation_id, position, name, title, phone, email, address)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, o.ID, pos, ct.Name, ct.Title, ct.Phone, ct.Email, ct.Address); err != nil {
			return err
		}
	}
	if err := c.indexOrganisation(ctx, o.ID); err != nil {
		return err
	}
	c.markChanged()
	return nil
}

// oneRow checks that an UPDATE by ID found its row.
func oneRow(tag pgconn.CommandTag, err error, slug, kind string, id int64) error {
	if err != nil {
		return slugTaken(err, slug)
	}
	if tag.RowsAffected() == 0 {
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
	if err := c.q.QueryRow(ctx, `INSERT INTO publications (slug, title, type, year, publishers, link, language,
		file_hash, file_size) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`, pubArgs(*p)...).Scan(&p.ID); err != nil {
		return slugTaken(err, p.Slug)
	}
	return c.writePublicationCountries(ctx, *p)
}

func (c conn) UpdatePublication(ctx context.Context, p vigie.Publication) error {
	tag, err := c.q.Exec(ctx, `UPDATE publications SET slug = $1, title = $2, type = $3, year = $4, publishers = $5,
		link = $6, language = $7, file_hash = $8, file_size = $9 WHERE id = $10`, append(pubArgs(p), p.ID)...)
	if err := oneRow(tag, err, p.Slug, "publication", p.ID); err != nil {
		return err
	}
	if _, err := c.q.Exec(ctx, `DELETE FROM publication_countries WHERE publication_id = $1`, p.ID); err != nil {
		return err
	}
	return c.writePublicationCountries(ctx, p)
}

func pubArgs(p vigie.Publication) []any {
	return []any{p.Slug, p.Title, p.Type, p.Year, list(p.Publishers), p.Link, p.Language, p.File.Hash, p.File.Size}
}

func (c conn) writePublicationCountries(ctx context.Context, p vigie.Publication) error {
	if _, err := c.q.Exec(ctx, `INSERT INTO publication_countries (publication_id, country)
		SELECT $1, unnest($2::text[])`, p.ID, list(p.Countries)); err != nil {
		return err
	}
	if err := c.indexPublication(ctx, p.ID); err != nil {
		return err
	}
	c.markChanged()
	return nil
}

func (c conn) InsertNewsItem(ctx context.Context, n *vigie.NewsItem) error {
	if err := c.q.QueryRow(ctx, `INSERT INTO news (slug, title, date, summary, body) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		n.Slug, n.Title, n.Date, n.Summary, n.Body).Scan(&n.ID); err != nil {
		return slugTaken(err, n.Slug)
	}
	return c.writeNewsCountries(ctx, *n)
}

func (c conn) UpdateNewsItem(ctx context.Context, n vigie.NewsItem) error {
	tag, err := c.q.Exec(ctx, `UPDATE news SET slug = $1, title = $2, date = $3, summary = $4, body = $5 WHERE id = $6`,
		n.Slug, n.Title, n.Date, n.Summary, n.Body, n.ID)
	if err := oneRow(tag, err, n.Slug, "news item", n.ID); err != nil {
		return err
	}
	if _, err := c.q.Exec(ctx, `DELETE FROM news_countries WHERE news_id = $1`, n.ID); err != nil {
		return err
	}
	return c.writeNewsCountries(ctx, n)
}

func (c conn) writeNewsCountries(ctx context.Context, n vigie.NewsItem) error {
	if _, err := c.q.Exec(ctx, `INSERT INTO news_countries (news_id, country) SELECT $1, unnest($2::text[])`,
		n.ID, list(n.Countries)); err != nil {
		return err
	}
	if err := c.indexNews(ctx, n.ID); err != nil {
		return err
	}
	c.markChanged()
	return nil
}

func (c conn) SetFeaturedStory(ctx context.Context, slug string) error {
	if _, err := c.q.Exec(ctx, `INSERT INTO settings (key, value) VALUES ('featured_story', $1)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, slug); err != nil {
		return err
	}
	c.markChanged()
	return nil
}

package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/internal/citelist"
)

// The export's cursors (vigie.Reader.EachSource…): one query each, its
// rows handed on as they are read.

// eachRow runs query and calls row for every row it returns.
func (c conn) eachRow(ctx context.Context, row func(*sql.Rows) error, query string, args ...any) error {
	rows, err := c.q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := row(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// EachRevision reads the history in one query: the revisions by the
// (country, indicator, number) index, sorted a country at a time by the
// indicators' positions, each with its citations as one text (see
// internal/citelist).
func (c conn) EachRevision(ctx context.Context, fn func(vigie.Revision) error) error {
	var cites sql.NullString
	return c.eachRow(ctx, func(rows *sql.Rows) error {
		rev, err := scanRevision(withCitations{rows, &cites})
		if err != nil {
			return err
		}
		if rev.Content.Citations, err = citelist.Parse(cites.String); err != nil {
			return fmt.Errorf("citations of revision %d of %s/%s: %w", rev.Number, rev.Content.Country, rev.Content.Indicator, err)
		}
		return fn(rev)
	}, `SELECT `+revisionColumns+`, (SELECT group_concat(c.source_id || ' ' || length(CAST(c.articles AS BLOB)) || ' ' || c.articles, '') FROM
			(SELECT c.source_id, c.articles FROM revision_citations c WHERE c.revision_id = r.id ORDER BY c.position) c)
		FROM revisions r JOIN indicators i ON i.key = r.indicator
		ORDER BY r.country, i.position, i.key, r.number`)
}

// withCitations scans a revision's columns and then its citations.
type withCitations struct {
	rows  interface{ Scan(...any) error }
	cites any
}

func (w withCitations) Scan(dest ...any) error { return w.rows.Scan(append(dest, w.cites)...) }

func (c conn) EachSource(ctx context.Context, fn func(vigie.Source) error) error {
	return c.eachRow(ctx, func(rows *sql.Rows) error {
		var s vigie.Source
		if err := rows.Scan(&s.ID, &s.Kind, &s.Title, &s.Identifier, &s.Publisher, &s.Year, &s.StatusAsOf, &s.Link); err != nil {
			return err
		}
		return fn(s)
	}, `SELECT id, kind, title, identifier, publisher, year, status_as_of, link
		FROM sources ORDER BY title_key, kind, year, status_as_of`)
}

// EachOrganisation reads the organisations joined to their contacts, an
// organisation's rows together, and hands each on when the next begins.
func (c conn) EachOrganisation(ctx context.Context, fn func(vigie.Organisation) error) error {
	var o vigie.Organisation
	err := c.eachRow(ctx, func(rows *sql.Rows) error {
		var next vigie.Organisation
		var founded, regions, areas string
		var name, title, phone, email, address sql.NullString
		if err := rows.Scan(&next.ID, &next.Slug, &next.Country, &next.Name, &next.Acronym, &next.Description, &founded,
			&next.OfficeCity, &regions, &areas, &next.Website, &name, &title, &phone, &email, &address); err != nil {
			return err
		}
		if next.ID != o.ID {
			if o.ID != 0 {
				if err := fn(o); err != nil {
					return err
				}
			}
			next.Founded, _ = vigie.ParseAsOf(founded)
			next.Regions = jsonStrings(regions)
			next.AreasOfWork = jsonStrings(areas)
			o = next
		}
		if name.Valid {
			o.Contacts = append(o.Contacts, vigie.Contact{Name: name.String, Title: title.String, Phone: phone.String,
				Email: email.String, Address: address.String})
		}
		return nil
	}, `SELECT o.id, o.slug, o.country, o.name, o.acronym, o.description, o.founded, o.office_city, o.regions,
		o.areas_of_work, o.website, c.name, c.title, c.phone, c.email, c.address
		FROM organisations o LEFT JOIN contacts c ON c.organisation_id = o.id
		ORDER BY o.slug, c.position`)
	if err != nil || o.ID == 0 {
		return err
	}
	return fn(o)
}

func (c conn) EachPublication(ctx context.Context, fn func(vigie.Publication) error) error {
	return c.eachRow(ctx, func(rows *sql.Rows) error {
		var p vigie.Publication
		var publishers, countries string
		if err := rows.Scan(&p.ID, &p.Slug, &p.Title, &p.Type, &p.Year, &publishers, &p.Link, &p.Language,
			&p.File.Hash, &p.File.Size, &countries); err != nil {
			return err
		}
		p.Publishers = jsonStrings(publishers)
		p.Countries = jsonStrings(countries)
		return fn(p)
	}, `SELECT p.id, p.slug, p.title, p.type, p.year, p.publishers, p.link, p.language, p.file_hash, p.file_size,
		(SELECT coalesce(json_group_array(country), '[]') FROM
			(SELECT country FROM publication_countries WHERE publication_id = p.id ORDER BY country))
		FROM publications p ORDER BY p.slug`)
}

func (c conn) EachNewsItem(ctx context.Context, fn func(vigie.NewsItem) error) error {
	return c.eachRow(ctx, func(rows *sql.Rows) error {
		n, err := scanNews(rows)
		if err != nil {
			return err
		}
		return fn(n)
	}, `SELECT `+newsColumns+` FROM news n ORDER BY n.slug`)
}

func (c conn) EachTranslation(ctx context.Context, fn func(vigie.Translation) error) error {
	return c.eachRow(ctx, func(rows *sql.Rows) error {
		var t vigie.Translation
		var at string
		if err := rows.Scan(&t.Kind, &t.Key, &t.Field, &t.Lang, &t.Text, &t.SourceVersion, &at, &t.UpdatedBy); err != nil {
			return err
		}
		t.UpdatedAt = parseTime(at)
		return fn(t)
	}, `SELECT kind, key, field, lang, text, source_version, updated_at, updated_by
		FROM translations ORDER BY kind, key, field, lang`)
}

package sqlite

import (
	"context"

	vigie "github.com/vigie-network/vigie"
)

// Lookups of one record for the library and the member directory.

func (c conn) Publication(ctx context.Context, slug string) (vigie.Publication, error) {
	if slug == "" {
		return vigie.Publication{}, notFound("no publication with an empty slug")
	}
	list, err := c.publications(ctx, vigie.PublicationFilter{}, slug, nil)
	if err != nil {
		return vigie.Publication{}, err
	}
	if len(list) == 0 {
		return vigie.Publication{}, notFound("no publication %q", slug)
	}
	return list[0], nil
}

// Organisation reads the organisation through Organisations, so that its
// contacts load the same way: the page of one that starts after the
// name before it in its country (the directory's order), so that a
// country of many members costs no more than one of few.
func (c conn) Organisation(ctx context.Context, slug string) (vigie.Organisation, error) {
	var id int64
	var country, name string
	err := c.q.QueryRowContext(ctx, `SELECT id, country, name FROM organisations WHERE slug = ?`, slug).Scan(&id, &country, &name)
	if isNoRows(err) {
		return vigie.Organisation{}, notFound("no organisation %q", slug)
	}
	if err != nil {
		return vigie.Organisation{}, err
	}
	f := vigie.OrganisationFilter{Country: country, Limit: 1}
	var before string
	err = c.q.QueryRowContext(ctx, `SELECT name FROM organisations WHERE country = ? AND name < ?
		ORDER BY name DESC LIMIT 1`, country, name).Scan(&before)
	switch {
	case err == nil:
		f.After = vigie.OrganisationKey{Country: country, Name: before}
	case !isNoRows(err):
		return vigie.Organisation{}, err
	}
	orgs, err := c.Organisations(ctx, f)
	if err != nil {
		return vigie.Organisation{}, err
	}
	if len(orgs) == 1 && orgs[0].ID == id {
		return orgs[0], nil
	}
	return vigie.Organisation{}, notFound("no organisation %q", slug)
}

func (c conn) OrganisationCounts(ctx context.Context) (map[string]int, error) {
	rows, err := c.q.QueryContext(ctx, `SELECT country, count(*) FROM organisations GROUP BY country`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var country string
		var n int
		if err := rows.Scan(&country, &n); err != nil {
			return nil, err
		}
		out[country] = n
	}
	return out, rows.Err()
}

func (c conn) PublicationFacets(ctx context.Context) (vigie.PublicationFacets, error) {
	var f vigie.PublicationFacets
	if err := c.q.QueryRowContext(ctx, `SELECT count(*) FROM publications`).Scan(&f.Total); err != nil {
		return f, err
	}
	// A seek per year and per country, through publications_by_order and
	// publication_countries_by_country, rather than a pass over either.
	var err error
	if f.Years, err = column[int](ctx, c, `WITH RECURSIVE y(year) AS (
			SELECT (SELECT year FROM publications WHERE year <> 0 ORDER BY year DESC LIMIT 1)
			UNION ALL
			SELECT (SELECT year FROM publications WHERE year < y.year AND year <> 0 ORDER BY year DESC LIMIT 1)
			FROM y WHERE y.year IS NOT NULL)
		SELECT year FROM y WHERE year IS NOT NULL`); err != nil {
		return f, err
	}
	f.Countries, err = column[string](ctx, c, `SELECT iso2 FROM countries c
		WHERE EXISTS (SELECT 1 FROM publication_countries WHERE country = c.iso2) ORDER BY iso2`)
	return f, err
}

// column reads a query's one column.
func column[T any](ctx context.Context, c conn, query string) ([]T, error) {
	rows, err := c.q.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var v T
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

func (c conn) OrganisationNamed(ctx context.Context, country, name string) ([]vigie.OrganisationName, error) {
	return c.organisationNames(ctx, `SELECT id, slug, name FROM organisations WHERE country = ? AND name_key = ? ORDER BY id`, country, fold(name))
}

// organisationNames runs a query of organisations' id, slug and name.
func (c conn) organisationNames(ctx context.Context, query string, args ...any) ([]vigie.OrganisationName, error) {
	rows, err := c.q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []vigie.OrganisationName
	for rows.Next() {
		var n vigie.OrganisationName
		if err := rows.Scan(&n.ID, &n.Slug, &n.Name); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"
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
	err := c.q.QueryRow(ctx, `SELECT id, country, name FROM organisations WHERE slug = $1`, slug).Scan(&id, &country, &name)
	if isNoRows(err) {
		return vigie.Organisation{}, notFound("no organisation %q", slug)
	}
	if err != nil {
		return vigie.Organisation{}, err
	}
	f := vigie.OrganisationFilter{Country: country, Limit: 1}
	var before string
	err = c.q.QueryRow(ctx, `SELECT name FROM organisations WHERE country = $1 AND name < $2
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
	rows, err := c.q.Query(ctx, `SELECT country, count(*) FROM organisations GROUP BY country`)
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
	err := c.q.QueryRow(ctx, `SELECT (SELECT count(*) FROM publications),
		array(SELECT DISTINCT year FROM publications WHERE year <> 0 ORDER BY year DESC),
		array(SELECT iso2 FROM countries c WHERE EXISTS (SELECT 1 FROM publication_countries WHERE country = c.iso2)
			ORDER BY iso2 COLLATE "C")`).Scan(&f.Total, &f.Years, &f.Countries)
	if len(f.Years) == 0 {
		f.Years = nil
	}
	if len(f.Countries) == 0 {
		f.Countries = nil
	}
	return f, err
}

func scanOrganisationName(r pgx.Row) (vigie.OrganisationName, error) {
	var n vigie.OrganisationName
	return n, r.Scan(&n.ID, &n.Slug, &n.Name)
}

func (c conn) OrganisationNamed(ctx context.Context, country, name string) ([]vigie.OrganisationName, error) {
	rows, err := c.q.Query(ctx, `SELECT id, slug, name FROM organisations WHERE country = $1 AND name_key = $2 ORDER BY id`, country, fold(name))
	return collect(rows, err, scanOrganisationName)
}

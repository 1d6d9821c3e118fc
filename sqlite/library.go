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
	list, err := c.publications(ctx, vigie.PublicationFilter{}, slug)
	if err != nil {
		return vigie.Publication{}, err
	}
	if len(list) == 0 {
		return vigie.Publication{}, notFound("no publication %q", slug)
	}
	return list[0], nil
}

// Organisation reads the organisation through Organisations, so that its
// contacts load the same way; a country has only a few organisations.
func (c conn) Organisation(ctx context.Context, slug string) (vigie.Organisation, error) {
	var id int64
	var country string
	err := c.q.QueryRowContext(ctx, `SELECT id, country FROM organisations WHERE slug = ?`, slug).Scan(&id, &country)
	if isNoRows(err) {
		return vigie.Organisation{}, notFound("no organisation %q", slug)
	}
	if err != nil {
		return vigie.Organisation{}, err
	}
	orgs, err := c.Organisations(ctx, vigie.OrganisationFilter{Country: country})
	if err != nil {
		return vigie.Organisation{}, err
	}
	for _, o := range orgs {
		if o.ID == id {
			return o, nil
		}
	}
	return vigie.Organisation{}, notFound("no organisation %q", slug)
}

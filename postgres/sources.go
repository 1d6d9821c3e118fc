package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	vigie "github.com/vigie-network/vigie"
)

func (c conn) SourcesByID(ctx context.Context, ids []int64) ([]vigie.Source, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err := c.q.Query(ctx, `SELECT id, kind, title, identifier, publisher, year, status_as_of, link
		FROM sources WHERE id = ANY($1) ORDER BY title_key, year, status_as_of`, ids)
	return collect(rows, err, func(r pgx.Row) (vigie.Source, error) {
		var s vigie.Source
		err := r.Scan(&s.ID, &s.Kind, &s.Title, &s.Identifier, &s.Publisher, &s.Year, &s.StatusAsOf, &s.Link)
		return s, err
	})
}

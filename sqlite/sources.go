package sqlite

import (
	"context"
	"strconv"
	"strings"

	vigie "github.com/vigie-network/vigie"
)

func (c conn) SourcesByID(ctx context.Context, ids []int64) ([]vigie.Source, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	// The IDs are numbers, written into the query: a form posts a few
	// dozen at most, and SQLite bounds a statement's parameters.
	list := make([]string, len(ids))
	for i, id := range ids {
		list[i] = strconv.FormatInt(id, 10)
	}
	rows, err := c.q.QueryContext(ctx, `SELECT id, kind, title, identifier, publisher, year, status_as_of, link
		FROM sources WHERE id IN (`+strings.Join(list, ",")+`) ORDER BY title_key, year, status_as_of`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []vigie.Source
	for rows.Next() {
		var s vigie.Source
		if err := rows.Scan(&s.ID, &s.Kind, &s.Title, &s.Identifier, &s.Publisher, &s.Year, &s.StatusAsOf, &s.Link); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

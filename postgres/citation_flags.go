package postgres

import (
	"context"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	vigie "github.com/vigie-network/vigie"
)

func (c conn) CitationFlags(ctx context.Context, f vigie.CitationFlagFilter) ([]vigie.CitationFlag, error) {
	rows, err := c.q.Query(ctx, `SELECT country, indicator, title, year, note, origin, created_at
		FROM citation_flags WHERE ($1::text = '' OR country = $1) AND ($2::text = '' OR indicator = $2)
		ORDER BY country COLLATE "C", indicator COLLATE "C", seq`, f.Country, f.Indicator)
	return collect(rows, err, func(r pgx.Row) (vigie.CitationFlag, error) {
		var fl vigie.CitationFlag
		var at *time.Time
		err := r.Scan(&fl.Country, &fl.Indicator, &fl.Title, &fl.Year, &fl.Note, &fl.Origin, &at)
		fl.CreatedAt = fromDB(at)
		return fl, err
	})
}

func (c conn) SetCitationFlags(ctx context.Context, country, indicator string, flags []vigie.CitationFlag) (bool, error) {
	for _, f := range flags {
		if err := f.Validate(); err != nil {
			return false, err
		}
	}
	stored, err := c.CitationFlags(ctx, vigie.CitationFlagFilter{Country: country, Indicator: indicator})
	if err != nil {
		return false, err
	}
	if slices.EqualFunc(stored, flags, sameFlag) {
		return false, nil
	}
	if _, err := c.q.Exec(ctx, `DELETE FROM citation_flags WHERE country = $1 AND indicator = $2`, country, indicator); err != nil {
		return false, err
	}
	for i, f := range flags {
		if _, err := c.q.Exec(ctx, `INSERT INTO citation_flags (country, indicator, seq, title, year, note, origin, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, country, indicator, i, f.Title, f.Year, f.Note, f.Origin, toDB(f.CreatedAt)); err != nil {
			return false, err
		}
	}
	c.markChanged()
	return true, nil
}

// sameFlag compares what a flag says, not when it was written: flagging
// the same citations again changes nothing.
func sameFlag(a, b vigie.CitationFlag) bool {
	return a.Title == b.Title && a.Year == b.Year && a.Note == b.Note && a.Origin == b.Origin
}

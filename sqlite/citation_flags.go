package sqlite

import (
	"context"
	"slices"

	vigie "github.com/vigie-network/vigie"
)

func (c conn) CitationFlags(ctx context.Context, f vigie.CitationFlagFilter) ([]vigie.CitationFlag, error) {
	rows, err := c.q.QueryContext(ctx, `SELECT country, indicator, title, year, note, origin, created_at
		FROM citation_flags WHERE (?1 = '' OR country = ?1) AND (?2 = '' OR indicator = ?2)
		ORDER BY country, indicator, seq`, f.Country, f.Indicator)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []vigie.CitationFlag
	for rows.Next() {
		var fl vigie.CitationFlag
		var at string
		if err := rows.Scan(&fl.Country, &fl.Indicator, &fl.Title, &fl.Year, &fl.Note, &fl.Origin, &at); err != nil {
			return nil, err
		}
		fl.CreatedAt = parseTime(at)
		out = append(out, fl)
	}
	return out, rows.Err()
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
	if _, err := c.q.ExecContext(ctx, `DELETE FROM citation_flags WHERE country = ? AND indicator = ?`, country, indicator); err != nil {
		return false, err
	}
	for i, f := range flags {
		if _, err := c.q.ExecContext(ctx, `INSERT INTO citation_flags (country, indicator, seq, title, year, note, origin, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, country, indicator, i, f.Title, f.Year, f.Note, f.Origin, formatTime(f.CreatedAt)); err != nil {
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

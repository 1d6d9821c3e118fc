package postgres

import (
	"context"
	"slices"

	vigie "github.com/vigie-network/vigie"
)

func (c conn) SaveIndicator(ctx context.Context, ind vigie.Indicator) (bool, error) {
	if err := ind.Validate(); err != nil {
		return false, err
	}
	inds, err := c.Indicators(ctx)
	if err != nil {
		return false, err
	}
	if i := slices.IndexFunc(inds, func(e vigie.Indicator) bool { return e.Key == ind.Key }); i >= 0 && inds[i] == ind {
		return false, nil
	}
	if _, err := c.q.Exec(ctx, `INSERT INTO indicators (key, name, rationale, value_kind, position) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (key) DO UPDATE SET name = excluded.name, rationale = excluded.rationale,
		value_kind = excluded.value_kind, position = excluded.position`,
		ind.Key, ind.Name, ind.Rationale, string(ind.ValueKind), ind.Position); err != nil {
		return false, err
	}
	c.markChanged()
	return true, nil
}

func (c conn) SaveRating(ctx context.Context, r vigie.Rating) (bool, error) {
	if err := r.Validate(); err != nil {
		return false, err
	}
	ratings, err := c.Ratings(ctx)
	if err != nil {
		return false, err
	}
	if i := slices.IndexFunc(ratings, func(e vigie.Rating) bool { return e.Key == r.Key }); i >= 0 && ratings[i] == r {
		return false, nil
	}
	if _, err := c.q.Exec(ctx, `INSERT INTO ratings (key, label, meaning, assessed, position) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (key) DO UPDATE SET label = excluded.label, meaning = excluded.meaning,
		assessed = excluded.assessed, position = excluded.position`,
		r.Key, r.Label, r.Meaning, r.Assessed, r.Position); err != nil {
		return false, err
	}
	c.markChanged()
	return true, nil
}

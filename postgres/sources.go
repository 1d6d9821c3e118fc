package postgres

import (
	"context"

	vigie "github.com/vigie-network/vigie"
)

func (c conn) SourcesByID(ctx context.Context, ids []int64) ([]vigie.Source, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	return c.sources(ctx, "id = ANY($1)", ids)
}

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
	// The IDs are numbers, written into the query: the API asks for every
	// cited source at once, past SQLite's bound on a statement's
	// parameters.
	list := make([]string, len(ids))
	for i, id := range ids {
		list[i] = strconv.FormatInt(id, 10)
	}
	return c.sources(ctx, "id IN ("+strings.Join(list, ",")+")")
}

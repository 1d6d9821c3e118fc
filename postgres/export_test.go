package postgres

import (
	"context"

	vigie "github.com/vigie-network/vigie"
)

// InsertWithoutCheck writes revision nr.Base+1 without AddRevision's
// check of the base, as a writer that raced past it would: only the
// UNIQUE constraint stands in the way.
func InsertWithoutCheck(ctx context.Context, tx vigie.Tx, a vigie.Assessment, nr vigie.NewRevision) (vigie.Revision, error) {
	return tx.(conn).insertRevision(ctx, a, nr)
}

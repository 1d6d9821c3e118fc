package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"
	vigie "github.com/vigie-network/vigie"
)

func (c conn) SaveEdition(ctx context.Context, e vigie.Edition) error {
	if err := e.Validate(); err != nil {
		return err
	}
	if existing, err := c.Edition(ctx, e.Name); err == nil {
		return vigie.Errorf(vigie.ECONFLICT, "the edition %q was published on %s; editions never change, choose another name",
			e.Name, existing.PublishedAt.Format("2 January 2006"))
	} else if !vigie.IsNotFound(err) {
		return err
	}
	if _, err := c.q.Exec(ctx, `INSERT INTO editions (name, published_at, data_version, sha256, size, snapshot)
		VALUES ($1, $2, $3, $4, $5, $6)`, e.Name, toDB(e.PublishedAt), e.DataVersion, e.SHA256, e.Size, e.Snapshot); err != nil {
		return err
	}
	c.markChanged()
	return nil
}

// Editions lists the editions newest first, without their snapshots.
func (c conn) Editions(ctx context.Context) ([]vigie.Edition, error) {
	rows, err := c.q.Query(ctx, `SELECT name, published_at, data_version, sha256, size FROM editions
		ORDER BY published_at DESC, name DESC`)
	return collect(rows, err, func(r pgx.Row) (vigie.Edition, error) {
		var e vigie.Edition
		err := r.Scan(&e.Name, &e.PublishedAt, &e.DataVersion, &e.SHA256, &e.Size)
		e.PublishedAt = e.PublishedAt.UTC()
		return e, err
	})
}

func (c conn) Edition(ctx context.Context, name string) (vigie.Edition, error) {
	var e vigie.Edition
	err := c.q.QueryRow(ctx, `SELECT name, published_at, data_version, sha256, size, snapshot FROM editions
		WHERE name = $1`, name).Scan(&e.Name, &e.PublishedAt, &e.DataVersion, &e.SHA256, &e.Size, &e.Snapshot)
	if isNoRows(err) {
		return e, notFound("no edition %q", name)
	}
	e.PublishedAt = e.PublishedAt.UTC()
	return e, err
}

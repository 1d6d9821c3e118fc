package sqlite

import (
	"context"

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
	if _, err := c.q.ExecContext(ctx, `INSERT INTO editions (name, published_at, data_version, sha256, size, snapshot)
		VALUES (?, ?, ?, ?, ?, ?)`, e.Name, formatTime(e.PublishedAt), e.DataVersion, e.SHA256, e.Size, e.Snapshot); err != nil {
		return err
	}
	c.markChanged()
	return nil
}

// Editions lists the editions newest first, without their snapshots.
func (c conn) Editions(ctx context.Context) ([]vigie.Edition, error) {
	rows, err := c.q.QueryContext(ctx, `SELECT name, published_at, data_version, sha256, size FROM editions
		ORDER BY published_at DESC, name DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []vigie.Edition
	for rows.Next() {
		var e vigie.Edition
		var published string
		if err := rows.Scan(&e.Name, &published, &e.DataVersion, &e.SHA256, &e.Size); err != nil {
			return nil, err
		}
		e.PublishedAt = parseTime(published)
		out = append(out, e)
	}
	return out, rows.Err()
}

func (c conn) Edition(ctx context.Context, name string) (vigie.Edition, error) {
	var e vigie.Edition
	var published string
	err := c.q.QueryRowContext(ctx, `SELECT name, published_at, data_version, sha256, size, snapshot FROM editions
		WHERE name = ?`, name).Scan(&e.Name, &published, &e.DataVersion, &e.SHA256, &e.Size, &e.Snapshot)
	if isNoRows(err) {
		return e, notFound("no edition %q", name)
	}
	e.PublishedAt = parseTime(published)
	return e, err
}

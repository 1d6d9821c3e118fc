package sqlite

import (
	"context"
	"database/sql"
	"strings"

	vigie "github.com/vigie-network/vigie"
)

// RestoreRevision stores rev as it was exported, numbers and times
// included; see vigie.Tx.
func (c conn) RestoreRevision(ctx context.Context, rev vigie.Revision, current bool) (bool, error) {
	if err := rev.Validate(); err != nil {
		return false, err
	}
	if current && rev.State != vigie.RevisionPublished {
		return false, vigie.FieldError("state", "only a published revision can be the published state, not a %s one", rev.State)
	}
	a := rev.Content
	if err := c.validateAssessment(ctx, a); err != nil {
		return false, err
	}
	changed := false
	var id int64
	stored, err := c.Revision(ctx, a.Country, a.Indicator, rev.Number)
	switch {
	case err == nil:
		if diff := vigie.DiffRevision(stored, rev); len(diff) > 0 {
			return false, vigie.Errorf(vigie.ECONFLICT, "revision %d of %s/%s is already stored and differs in %s; a restore never rewrites history",
				rev.Number, a.Country, a.Indicator, strings.Join(diff, ", "))
		}
		id = stored.ID
	case vigie.IsNotFound(err):
		if id, err = c.insertRestored(ctx, rev); err != nil {
			return false, err
		}
		changed = true
	default:
		return false, err
	}
	if current {
		var published int64
		err := c.q.QueryRowContext(ctx, `SELECT published_revision FROM assessments WHERE country = ? AND indicator = ?`,
			a.Country, a.Indicator).Scan(&published)
		if err != nil && !isNoRows(err) {
			return false, err
		}
		if published != id {
			if err := c.point(ctx, a.Country, a.Indicator, id); err != nil {
				return false, err
			}
			changed = true
		}
	}
	if changed {
		c.markChanged()
	}
	return changed, nil
}

// insertRestored writes a revision with its own number, base, state and
// times, and its citations, matching sources as every write does.
func (c conn) insertRestored(ctx context.Context, rev vigie.Revision) (int64, error) {
	a := rev.Content
	var value sql.NullInt64
	if a.Value != nil {
		value = sql.NullInt64{Int64: int64(*a.Value), Valid: true}
	}
	res, err := c.q.ExecContext(ctx, `INSERT INTO revisions (country, indicator, number, base, state, author_id, author,
		reason, created_at, published_at, reviewer_id, reviewer, review_comment, rating, value, explanation, as_of)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.Country, a.Indicator, rev.Number, rev.Base, rev.State, nullID(rev.AuthorID), rev.Author, rev.Reason,
		formatTime(rev.CreatedAt), formatTime(rev.PublishedAt), nullID(rev.ReviewerID), rev.Reviewer, rev.ReviewComment,
		a.Rating, value, a.Explanation, a.AsOf.String())
	if err != nil {
		return 0, err
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, err
	}
	for pos, ct := range a.Citations {
		src, err := c.findOrCreateSource(ctx, ct.Source)
		if err != nil {
			return 0, err
		}
		if _, err := c.q.ExecContext(ctx, `INSERT INTO revision_citations (revision_id, position, source_id, articles)
			VALUES (?, ?, ?, ?)`, id, pos, src.ID, ct.Articles); err != nil {
			return 0, err
		}
	}
	return id, nil
}

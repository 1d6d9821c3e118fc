package postgres

import (
	"context"
	"strings"

	vigie "github.com/vigie-network/vigie"
)

// RestoreRevisions stores revisions as they were exported, numbers and
// times included; see vigie.Tx. Every revision is checked — its fields,
// its content against the framework, and against a stored revision of the
// same number — before the first is written.
func (c conn) RestoreRevisions(ctx context.Context, rs []vigie.Restore) (written, moved int, err error) {
	stored := make([]int64, len(rs)) // id of the same revision already stored, or 0
	for i, r := range rs {
		if stored[i], err = c.checkRestore(ctx, r); err != nil {
			return 0, 0, err
		}
	}
	for i, r := range rs {
		a := r.Content
		id := stored[i]
		if id == 0 {
			if id, err = c.insertRestored(ctx, r.Revision); err != nil {
				return 0, 0, err
			}
			written++
		}
		if !r.Current {
			continue
		}
		var published int64
		err := c.q.QueryRow(ctx, `SELECT published_revision FROM assessments WHERE country = $1 AND indicator = $2`,
			a.Country, a.Indicator).Scan(&published)
		if err != nil && !isNoRows(err) {
			return 0, 0, err
		}
		if published != id {
			if err := c.point(ctx, a.Country, a.Indicator, id); err != nil {
				return 0, 0, err
			}
			moved++
		}
	}
	if written+moved > 0 {
		c.markChanged()
	}
	return written, moved, nil
}

// checkRestore checks one revision to restore and returns the id of the
// identical revision already stored, or 0 when there is none.
func (c conn) checkRestore(ctx context.Context, r vigie.Restore) (int64, error) {
	rev := r.Revision
	if err := rev.Validate(); err != nil {
		return 0, err
	}
	if r.Current && rev.State != vigie.RevisionPublished {
		return 0, vigie.FieldError("state", "only a published revision can be the published state, not a %s one", rev.State)
	}
	a := rev.Content
	if err := c.validateAssessment(ctx, a); err != nil {
		return 0, err
	}
	stored, err := c.Revision(ctx, a.Country, a.Indicator, rev.Number)
	switch {
	case err == nil:
		if diff := vigie.DiffRevision(stored, rev); len(diff) > 0 {
			return 0, vigie.Errorf(vigie.ECONFLICT, "revision %d of %s/%s is already stored and differs in %s; a restore never rewrites history",
				rev.Number, a.Country, a.Indicator, strings.Join(diff, ", "))
		}
		return stored.ID, nil
	case vigie.IsNotFound(err):
		return 0, nil
	}
	return 0, err
}

// insertRestored writes a revision with its own number, base, state and
// times, and its citations, matching sources as every write does.
func (c conn) insertRestored(ctx context.Context, rev vigie.Revision) (int64, error) {
	a := rev.Content
	var id int64
	createdAt, createdNs := splitTime(rev.CreatedAt)
	publishedAt, publishedNs := splitTime(rev.PublishedAt)
	err := c.q.QueryRow(ctx, `INSERT INTO revisions (country, indicator, number, base, state, author_id, author,
		reason, created_at, created_ns, published_at, published_ns, reviewer_id, reviewer, review_comment,
		rating, value, explanation, as_of)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19) RETURNING id`,
		a.Country, a.Indicator, rev.Number, rev.Base, rev.State, nullID(rev.AuthorID), rev.Author, rev.Reason,
		createdAt, createdNs, publishedAt, publishedNs, nullID(rev.ReviewerID), rev.Reviewer, rev.ReviewComment,
		a.Rating, a.Value, a.Explanation, a.AsOf.String()).Scan(&id)
	if err != nil {
		return 0, err
	}
	for pos, ct := range a.Citations {
		src, err := c.findOrCreateSource(ctx, ct.Source)
		if err != nil {
			return 0, err
		}
		if _, err := c.q.Exec(ctx, `INSERT INTO revision_citations (revision_id, position, source_id, articles)
			VALUES ($1, $2, $3, $4)`, id, pos, src.ID, ct.Articles); err != nil {
			return 0, err
		}
	}
	return id, nil
}

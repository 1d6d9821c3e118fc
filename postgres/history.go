package postgres

import (
	"context"
	"fmt"
	"time"

	vigie "github.com/vigie-network/vigie"
)

// Revision times are (timestamptz, nanoseconds) pairs; see splitTime.

func (c conn) AssessmentsAsOf(ctx context.Context, at time.Time, f vigie.AssessmentFilter) ([]vigie.Assessment, error) {
	if f.RatingsOnly {
		// Found from the states kept for past months (month_states.go).
		if list, ok, err := vigie.RatingsAt(ctx, monthStates{c}, at, f); err != nil || ok {
			return list, err
		}
	}
	revs, err := c.revisionsAsOf(ctx, at, f)
	return vigie.Contents(revs), err
}

// revisionsAsOf finds, for each assessment, the revision it showed at the
// instant: a seek per assessment in revisions_published, not a pass over
// every published revision.
func (c conn) revisionsAsOf(ctx context.Context, at time.Time, f vigie.AssessmentFilter) ([]vigie.Revision, error) {
	atUs, atNs := splitTime(at)
	read := c.revisions
	if f.RatingsOnly {
		read = c.ratingRevisions
	}
	return read(ctx, `JOIN indicators i ON i.key = r.indicator
		WHERE r.id IN (SELECT l.id FROM assessments a CROSS JOIN LATERAL (SELECT p.id FROM revisions p
				WHERE p.state = 'published' AND p.country = a.country AND p.indicator = a.indicator
					AND (p.published_at, p.published_ns) <= ($3, $4)
				ORDER BY p.published_at DESC, p.published_ns DESC, p.number DESC LIMIT 1) l
			WHERE ($1::text = '' OR a.country = $1) AND ($2::text = '' OR a.indicator = $2))
		ORDER BY r.country, i.position`, f.Country, f.Indicator, atUs, atNs)
}

func (c conn) PublishedRevisions(ctx context.Context, f vigie.HistoryFilter) ([]vigie.Revision, error) {
	from, fromNs := splitTime(f.From) // NULL: unbounded
	until, untilNs := splitTime(f.Until)
	columns := revisionColumns
	if f.RatingChanges {
		columns = ratingColumns
	}
	query := `SELECT ` + columns + ` FROM revisions r WHERE r.state = 'published'
		AND ($1::text = '' OR r.country = $1) AND ($2::text = '' OR r.indicator = $2)
		AND ($3::timestamptz IS NULL OR (r.published_at, r.published_ns) >= ($3, $4))
		AND ($5::timestamptz IS NULL OR (r.published_at, r.published_ns) <= ($5, $6))
		ORDER BY r.published_at, r.published_ns, r.country, r.indicator, r.number`
	if f.RatingChanges {
		// The changes are stored as revisions are published (migration
		// 0005): read them without looking at the revisions that changed
		// nothing.
		query = `SELECT ` + columns + ` FROM rating_changes c JOIN revisions r ON r.id = c.revision_id
			WHERE ($1::text = '' OR c.country = $1) AND ($2::text = '' OR c.indicator = $2)
			AND ($3::timestamptz IS NULL OR (c.published_at, c.published_ns) >= ($3, $4))
			AND ($5::timestamptz IS NULL OR (c.published_at, c.published_ns) <= ($5, $6))
			ORDER BY c.published_at, c.published_ns, c.country, c.indicator, c.number`
	}
	args := []any{f.Country, f.Indicator, from, fromNs, until, untilNs}
	if at, newest := f.Instants(), f.Newest; f.RatingChanges && (len(at) > 0 || newest > 0) {
		// A seek per assessment and instant in rating_changes_by_assessment
		// (0006): as many rows read as kept, whatever the history. A NULL
		// instant is no bound; it is read as infinity, not with an OR, so
		// that the bound stays an index condition (with the OR, PostgreSQL
		// walked back from the newest change filtering each row: 64 rows
		// per seek at 10×, 2× the time of the indicator page).
		if len(at) == 0 {
			at = []time.Time{f.Until}
		}
		instants, instantsNs := make([]*time.Time, len(at)), make([]int, len(at))
		for i, t := range at {
			if !t.IsZero() {
				us := toDB(t)
				instants[i], instantsNs[i] = &us, int(t.Sub(us))
			}
		}
		query = `SELECT ` + columns + ` FROM rating_changes c JOIN revisions r ON r.id = c.revision_id
			WHERE c.revision_id IN (SELECT l.revision_id FROM assessments a
				CROSS JOIN unnest($7::timestamptz[], $8::integer[]) AS t(at, ns)
				CROSS JOIN LATERAL (SELECT n.revision_id FROM rating_changes n
					WHERE n.country = a.country AND n.indicator = a.indicator
						AND (n.published_at, n.published_ns) <= (coalesce(t.at, 'infinity'::timestamptz), t.ns)
					ORDER BY n.published_at DESC, n.published_ns DESC, n.number DESC LIMIT $9) l
				WHERE ($1::text = '' OR a.country = $1) AND ($2::text = '' OR a.indicator = $2))
			AND ($3::timestamptz IS NULL OR (c.published_at, c.published_ns) >= ($3, $4))
			AND ($5::timestamptz IS NULL OR (c.published_at, c.published_ns) <= ($5, $6))
			ORDER BY c.published_at, c.published_ns, c.country, c.indicator, c.number`
		args = append(args, instants, instantsNs, max(newest, 1))
	}
	if f.RatingChanges && f.Limit > 0 {
		args = append(args, f.Limit)
		query += fmt.Sprintf(" LIMIT $%d", len(args))
	}
	rows, err := c.q.Query(ctx, query, args...)
	revs, err := collect(rows, err, scanRevision)
	if err != nil || f.RatingChanges {
		return revs, err
	}
	return c.withCitations(ctx, revs)
}

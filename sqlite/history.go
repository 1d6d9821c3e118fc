package sqlite

import (
	"context"
	"strconv"
	"strings"
	"time"

	vigie "github.com/vigie-network/vigie"
)

// Times are stored as RFC 3339 text in UTC with the fraction's trailing
// zeros trimmed ("…T10:00:00Z", "…T10:00:00.5Z"), which does not sort as
// text: '.' < 'Z'. Without its final "Z" it does — fixed-width seconds,
// then nothing or a decimal fraction — so history queries compare
// rtrim(published_at, 'Z') with timeKey of the bound.
func timeKey(t time.Time) string { return strings.TrimSuffix(formatTime(t), "Z") }

func (c conn) AssessmentsAsOf(ctx context.Context, at time.Time, f vigie.AssessmentFilter) ([]vigie.Assessment, error) {
	if f.RatingsOnly {
		// Found from the states kept for past months (month_states.go).
		if list, ok, err := vigie.RatingsAt(ctx, monthStates{c}, at, f); err != nil || ok {
			return list, err
		}
	}
	revs, err := c.revisionsAsOf(ctx, at, f)
	if err != nil || len(revs) == 0 {
		return nil, err
	}
	out := vigie.Contents(revs)
	if f.RatingsOnly {
		return out, nil
	}
	ids := make([]string, len(revs))
	for i, rev := range revs {
		ids[i] = strconv.FormatInt(rev.ID, 10)
	}
	cites, err := c.citations(ctx, `SELECT value FROM json_each(?)`, "["+strings.Join(ids, ",")+"]")
	if err != nil {
		return nil, err
	}
	for i, rev := range revs {
		out[i].Citations = cites[rev.ID]
	}
	return out, nil
}

// revisionsAsOf finds, for each assessment ever published, the revision
// it showed at the instant: the published one with the greatest time not
// after it, found through the (country, indicator, number) index.
// Filters are added only when set, so that they use the indexes too.
// Readers of ratings only still read the revision's row by id: a scalar
// subquery hands back one column, and packing the index's columns into
// one (json_array, unpacked with ->>) measured slower than the row read,
// 1.8 times at 1×.
func (c conn) revisionsAsOf(ctx context.Context, at time.Time, f vigie.AssessmentFilter) ([]vigie.Revision, error) {
	where, args := "", []any{timeKey(at)}
	if f.Country != "" {
		where += " AND a.country = ?"
		args = append(args, f.Country)
	}
	if f.Indicator != "" {
		where += " AND a.indicator = ?"
		args = append(args, f.Indicator)
	}
	columns := revisionColumns
	if f.RatingsOnly {
		columns = ratingColumns
	}
	return c.queryRevisions(ctx, `SELECT `+columns+`
		FROM assessments a JOIN indicators i ON i.key = a.indicator
		JOIN revisions r ON r.id = `+revisionAtInstant+`
		WHERE true`+where+` ORDER BY a.country, i.position`, args...)
}

// revisionAtInstant is the id of the revision assessment a showed at the
// instant ?1 (a timeKey): the published one with the greatest time not
// after it. Read from the index alone.
const revisionAtInstant = `(SELECT p.id FROM revisions p
	WHERE p.country = a.country AND p.indicator = a.indicator AND p.state = 'published'
		AND rtrim(p.published_at, 'Z') <= ?1
	ORDER BY rtrim(p.published_at, 'Z') DESC, p.number DESC LIMIT 1)`

// historyWhere is the WHERE of PublishedRevisions: only the filters in
// use go into the SQL, so that a country's or an indicator's history reads
// through the (country, indicator, …) indexes instead of scanning every
// revision. state is "r.state" or "+r.state" (see below); From is left
// to the caller when withFrom is false.
func historyWhere(f vigie.HistoryFilter, state string, withFrom bool) (string, []any) {
	where, args := state+" = 'published'", []any{}
	if f.Country != "" {
		where, args = where+" AND r.country = ?", append(args, f.Country)
	}
	if f.Indicator != "" {
		where, args = where+" AND r.indicator = ?", append(args, f.Indicator)
	}
	if withFrom && !f.From.IsZero() {
		where, args = where+" AND rtrim(r.published_at, 'Z') >= ?", append(args, timeKey(f.From))
	}
	if !f.Until.IsZero() {
		where, args = where+" AND rtrim(r.published_at, 'Z') <= ?", append(args, timeKey(f.Until))
	}
	return where, args
}

const historyOrder = ` ORDER BY rtrim(r.published_at, 'Z'), r.country, r.indicator, r.number`

func (c conn) PublishedRevisions(ctx context.Context, f vigie.HistoryFilter) ([]vigie.Revision, error) {
	switch {
	case f.RatingChanges:
		// The changes are stored as revisions are published (migration
		// 0011): read them, through the index that matches the filter,
		// without looking at the revisions that changed nothing.
		// With At or Newest the rows kept are found by their ids: a unary +
		// keeps SQLite from reading every change of the country through
		// its index instead, to test each against them.
		bounded := len(f.At) > 0 || f.Newest > 0
		col := "c."
		if bounded {
			col = "+c."
		}
		where, args := "1", []any{}
		if f.Country != "" {
			where, args = where+" AND "+col+"country = ?", append(args, f.Country)
		}
		if f.Indicator != "" {
			where, args = where+" AND "+col+"indicator = ?", append(args, f.Indicator)
		}
		if !f.From.IsZero() {
			where, args = where+" AND "+col+"at >= ?", append(args, timeKey(f.From))
		}
		if !f.Until.IsZero() {
			where, args = where+" AND "+col+"at <= ?", append(args, timeKey(f.Until))
		}
		if bounded {
			// A seek per assessment and instant in rating_changes_by_assessment
			// (0013): as many rows read as kept, whatever the history.
			instants := f.Instants()
			if len(instants) == 0 {
				instants = []time.Time{f.Until}
			}
			keys := make([]string, len(instants))
			for i, t := range instants {
				keys[i] = `"~"` // after every time: no bound
				if !t.IsZero() {
					keys[i] = strconv.Quote(timeKey(t))
				}
			}
			assessments, kargs := "1", []any{"[" + strings.Join(keys, ",") + "]", max(f.Newest, 1)}
			if f.Country != "" {
				assessments, kargs = assessments+" AND a.country = ?", append(kargs, f.Country)
			}
			if f.Indicator != "" {
				assessments, kargs = assessments+" AND a.indicator = ?", append(kargs, f.Indicator)
			}
			where = `c.revision_id IN (SELECT l.revision_id FROM assessments a, json_each(?) t
				JOIN rating_changes l ON l.revision_id IN (SELECT n.revision_id FROM rating_changes n
					WHERE n.country = a.country AND n.indicator = a.indicator AND n.at <= t.value
					ORDER BY n.at DESC, n.number DESC LIMIT ?)
				WHERE ` + assessments + `) AND ` + where
			args = append(kargs, args...)
		}
		limit := ""
		if f.Limit > 0 {
			limit, args = " LIMIT ?", append(args, f.Limit)
		}
		return c.queryRevisions(ctx, `SELECT c.revision_id, c.number, 0, 'published', 0, '', '',
			'', c.published_at, 0, '', '', c.country, c.indicator, c.rating, c.value, '', c.as_of
			FROM rating_changes c WHERE `+where+` ORDER BY c.at, c.country, c.indicator, c.number`+limit, args...)
	}
	// The unary + keeps SQLite off the by-state index, which matches nearly
	// every row, when a country or indicator narrows the search far more.
	where, args := historyWhere(f, "+r.state", true)
	return c.revisions(ctx, where+historyOrder, args...)
}

package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	vigie "github.com/vigie-network/vigie"
)

// Each past month's final published state is kept in month_states
// (migration 0012), as the SQLite store keeps it: a month is read from it
// while month_states_built names it, and the triggers take a month out
// in the statement of any write that could change it.

// monthStates reads the rows vigie.RatingsAt asks for.
type monthStates struct{ c conn }

func (m monthStates) MonthState(ctx context.Context, month time.Time, f vigie.AssessmentFilter) (_ []vigie.Assessment, ok bool, _ error) {
	// The ids are read after the mark: a write taking the month out in
	// between leaves them as they were when the mark was seen (they are
	// replaced only by a rebuild, in one transaction), a state the public
	// saw.
	var rowsMonth time.Time
	err := m.c.q.QueryRow(ctx, `SELECT rows_month FROM month_states_built WHERE month = $1`, month).Scan(&rowsMonth)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	revs, err := m.c.ratingRevisions(ctx, `JOIN indicators i ON i.key = r.indicator
		WHERE r.id IN (SELECT s.revision_id FROM month_states s WHERE s.month = $3
			AND ($1::text = '' OR s.country = $1) AND ($2::text = '' OR s.indicator = $2))
		ORDER BY r.country, i.position`, f.Country, f.Indicator, rowsMonth)
	if err != nil {
		return nil, false, err
	}
	return vigie.Contents(revs), true, nil
}

// FirstPublication: every assessment's first publication is a rating
// change, so the oldest change is the oldest publication (an index's
// first entry). Read in microseconds: at or before the first.
func (m monthStates) FirstPublication(ctx context.Context) (time.Time, error) {
	var first *time.Time
	if err := m.c.q.QueryRow(ctx, `SELECT min(published_at) FROM rating_changes`).Scan(&first); err != nil || first == nil {
		return time.Time{}, err
	}
	return first.UTC(), nil
}

// PublishedBetween reads the range in order of publication, through the
// index of migration 0013.
func (m monthStates) PublishedBetween(ctx context.Context, after, until time.Time, f vigie.AssessmentFilter) ([]vigie.Assessment, error) {
	afterUs, afterNs := splitTime(after)
	untilUs, untilNs := splitTime(until)
	revs, err := m.c.ratingRevisions(ctx, `WHERE r.state = 'published'
			AND (r.published_at, r.published_ns) > ($3, $4) AND (r.published_at, r.published_ns) <= ($5, $6)
			AND ($1::text = '' OR r.country = $1) AND ($2::text = '' OR r.indicator = $2)
		ORDER BY r.published_at, r.published_ns, r.number`, f.Country, f.Indicator, afterUs, afterNs, untilUs, untilNs)
	return vigie.Contents(revs), err
}

func (m monthStates) Indicators(ctx context.Context) ([]vigie.Indicator, error) {
	return m.c.Indicators(ctx)
}

// BuildMonthStates builds up to limit months not yet built, oldest first,
// from the month of the first publication to the last one over before
// now, each in its own transaction, and reports whether months are left.
// Serve's upkeep calls it; reads never wait for it.
func (s *Store) BuildMonthStates(ctx context.Context, now time.Time, limit int) (built int, more bool, err error) {
	first, err := monthStates{conn{q: s.pool}}.FirstPublication(ctx)
	if err != nil || first.IsZero() {
		return 0, false, err
	}
	rows, err := s.pool.Query(ctx, `SELECT month FROM month_states_built`)
	stored, err := collect(rows, err, func(r pgx.Row) (time.Time, error) {
		var m time.Time
		return m, r.Scan(&m)
	})
	if err != nil {
		return 0, false, err
	}
	done := map[time.Time]bool{}
	for _, m := range stored {
		done[m.UTC()] = true
	}
	months, more, err := vigie.MonthsToBuild(first, now, func(m time.Time) bool { return done[m] }, limit)
	for _, m := range months {
		if err := s.buildMonthState(ctx, m); err != nil {
			return built, false, fmt.Errorf("build month state %s: %w", m.Format("2006-01"), err)
		}
		built++
	}
	return built, more, err
}

// buildMonthState finds the state at the end of month as AssessmentsAsOf
// does from the revisions and keeps it. The SHARE lock lets readers in
// and keeps writers of revisions out until the commit: a write that
// would change the state either came first and is seen, or comes after
// the mark and takes it out again.
func (s *Store) buildMonthState(ctx context.Context, month time.Time) error {
	return pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.ReadCommitted}, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `LOCK TABLE revisions IN SHARE MODE`); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM month_states_built WHERE month = $1`, month).Scan(&n); err != nil || n > 0 {
			return err // built meanwhile
		}
		state, err := conn{q: tx}.revisionsAsOf(ctx, vigie.EndOfMonth(month), vigie.AssessmentFilter{RatingsOnly: true})
		if err != nil {
			return err
		}
		ids := make([]int64, len(state))
		for i, rev := range state {
			ids[i] = rev.ID
		}
		rowsMonth, err := sameAsMonthBefore(ctx, tx, month, ids)
		if err != nil {
			return err
		}
		// Marks that lean on this month's rows would be stale with them gone.
		if _, err := tx.Exec(ctx, `DELETE FROM month_states_built WHERE rows_month = $1`, month); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM month_states WHERE month = $1`, month); err != nil {
			return err
		}
		if rowsMonth.Equal(month) {
			if _, err := tx.Exec(ctx, `INSERT INTO month_states (month, country, indicator, revision_id)
				SELECT $1, r.country, r.indicator, r.id FROM revisions r WHERE r.id = ANY($2::bigint[])`, month, ids); err != nil {
				return err
			}
		}
		_, err = tx.Exec(ctx, `INSERT INTO month_states_built (month, rows_month) VALUES ($1, $2)`, month, rowsMonth)
		return err
	})
}

// sameAsMonthBefore returns the rows month of the month before, when that
// month is built and its state holds the same revisions as ids: nothing
// was published in between. Otherwise month itself.
func sameAsMonthBefore(ctx context.Context, tx pgx.Tx, month time.Time, ids []int64) (time.Time, error) {
	var rowsMonth time.Time
	err := tx.QueryRow(ctx, `SELECT rows_month FROM month_states_built WHERE month = $1`, month.AddDate(0, -1, 0)).Scan(&rowsMonth)
	if errors.Is(err, pgx.ErrNoRows) {
		return month, nil
	}
	if err != nil {
		return month, err
	}
	rows, err := tx.Query(ctx, `SELECT revision_id FROM month_states WHERE month = $1`, rowsMonth)
	before, err := collect(rows, err, func(r pgx.Row) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	})
	if err != nil {
		return month, err
	}
	if len(before) != len(ids) {
		return month, nil
	}
	was := make(map[int64]bool, len(before))
	for _, id := range before {
		was[id] = true
	}
	for _, id := range ids {
		if !was[id] {
			return month, nil
		}
	}
	return rowsMonth, nil
}

package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	vigie "github.com/vigie-network/vigie"
)

// Each past month's final published state is kept in month_states
// (migration 0019), so that the changes page for a month reads the two
// states it compares instead of seeking every assessment's revision at
// each end. The copy is only ever a shortcut: a month is read from it
// while month_states_built names it, and the triggers take a month out
// in the transaction of any write that could change it.

const monthLayout = "2006-01"

// monthStates reads the rows vigie.RatingsAt asks for.
type monthStates struct{ c conn }

func (m monthStates) MonthState(ctx context.Context, month time.Time, f vigie.AssessmentFilter) (_ []vigie.Assessment, ok bool, _ error) {
	// The rows are read after the mark: a write taking the month out in
	// between leaves the rows as they were when the mark was seen (they
	// are replaced only by a rebuild, in one transaction), a state the
	// public saw.
	var rowsMonth string
	err := m.c.q.QueryRowContext(ctx, `SELECT rows_month FROM month_states_built WHERE month = ?`, month.Format(monthLayout)).Scan(&rowsMonth)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	where, args := "", []any{rowsMonth}
	if f.Country != "" {
		where, args = where+" AND s.country = ?", append(args, f.Country)
	}
	if f.Indicator != "" {
		where, args = where+" AND s.indicator = ?", append(args, f.Indicator)
	}
	list, err := m.c.queryRatings(ctx, `SELECT s.number, s.published_at, s.country, s.indicator, s.rating, s.value, s.as_of
		FROM month_states s JOIN indicators i ON i.key = s.indicator
		WHERE s.month = ?`+where+` ORDER BY s.country, i.position`, args...)
	if err != nil {
		return nil, false, err
	}
	return list, true, nil
}

// FirstPublication: every assessment's first publication is a rating
// change, so the oldest change is the oldest publication (an index's
// first entry).
func (m monthStates) FirstPublication(ctx context.Context) (time.Time, error) {
	var first sql.NullString
	if err := m.c.q.QueryRowContext(ctx, `SELECT min(at) FROM rating_changes`).Scan(&first); err != nil || !first.Valid {
		return time.Time{}, err
	}
	return parseTime(first.String + "Z"), nil
}

// PublishedBetween reads the range through the index of migration 0021,
// named: without statistics SQLite would rather read every published
// revision through revisions_by_state. Only each assessment's last
// revision of the range is handed over, picked by SQLite: with max() as
// the only aggregate, the other columns come from the row that holds the
// maximum (the time, then the number, as revisionAtInstant orders them;
// ' ' sorts before a fraction's '.'). A busy month holds many revisions
// of each assessment, and the driver's cost is per row handed over.
func (m monthStates) PublishedBetween(ctx context.Context, after, until time.Time, f vigie.AssessmentFilter) ([]vigie.Assessment, error) {
	where, args := "", []any{timeKey(after), timeKey(until)}
	if f.Country != "" {
		where, args = where+" AND r.country = ?", append(args, f.Country)
	}
	if f.Indicator != "" {
		where, args = where+" AND r.indicator = ?", append(args, f.Indicator)
	}
	return m.c.queryRatings(ctx, `SELECT number, published_at, country, indicator, rating, value, as_of FROM (
		SELECT `+ratingOnlyColumns+`, max(rtrim(r.published_at, 'Z') || printf(' %012d', r.number))
		FROM revisions r INDEXED BY revisions_by_time
		WHERE r.state = 'published' AND rtrim(r.published_at, 'Z') > ? AND rtrim(r.published_at, 'Z') <= ?`+where+`
		GROUP BY r.country, r.indicator)`, args...)
}

func (m monthStates) Indicators(ctx context.Context) ([]vigie.Indicator, error) {
	return m.c.Indicators(ctx)
}

// BuildMonthStates builds up to limit months not yet built, oldest first,
// from the month of the first publication to the last one over before
// now, each in its own short write transaction, and reports whether
// months are left. Serve's upkeep calls it; reads never wait for it.
func (s *Store) BuildMonthStates(ctx context.Context, now time.Time, limit int) (built int, more bool, err error) {
	start, err := monthStates{conn{q: s.db}}.FirstPublication(ctx)
	if err != nil || start.IsZero() {
		return 0, false, err
	}
	done := map[string]bool{}
	rows, err := s.db.QueryContext(ctx, `SELECT month FROM month_states_built`)
	if err != nil {
		return 0, false, err
	}
	for rows.Next() {
		var m string
		if err := rows.Scan(&m); err != nil {
			rows.Close()
			return 0, false, err
		}
		done[m] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, false, err
	}
	months, more, err := vigie.MonthsToBuild(start, now, func(m time.Time) bool { return done[m.Format(monthLayout)] }, limit)
	for _, m := range months {
		if err := s.buildMonthState(ctx, m); err != nil {
			return built, false, fmt.Errorf("build month state %s: %w", m.Format(monthLayout), err)
		}
		built++
	}
	return built, more, err
}

// buildMonthState finds the state at the end of month as AssessmentsAsOf
// does from the revisions and keeps it, in one write transaction: a
// write that would change it waits, or came first and is seen.
func (s *Store) buildMonthState(ctx context.Context, month time.Time) error {
	name := month.Format(monthLayout)
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM month_states_built WHERE month = ?`, name).Scan(&n); err != nil || n > 0 {
		return err // built meanwhile
	}
	// The ids first, from the index alone: most months over are quiet,
	// and a quiet month's rows are not read.
	rows, err := tx.QueryContext(ctx, `SELECT `+revisionAtInstant+` FROM assessments a`, timeKey(vigie.EndOfMonth(month)))
	if err != nil {
		return err
	}
	ids := []int64{}
	for rows.Next() {
		var id sql.NullInt64 // NULL: not yet published at the end of the month
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		if id.Valid {
			ids = append(ids, id.Int64)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return err
	}
	rowsMonth, err := sameAsMonthBefore(ctx, tx, month, ids)
	if err != nil {
		return err
	}
	// Marks that lean on this month's rows would be stale with them gone.
	if _, err := tx.ExecContext(ctx, `DELETE FROM month_states_built WHERE rows_month = ?`, name); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM month_states WHERE month = ?`, name); err != nil {
		return err
	}
	if rowsMonth == "" {
		rowsMonth = name
		// Copied from the revisions as stored, text for text.
		if _, err := tx.ExecContext(ctx, `INSERT INTO month_states
			(month, country, indicator, revision_id, number, published_at, rating, value, as_of)
			SELECT ?, r.country, r.indicator, r.id, r.number, r.published_at, r.rating, r.value, r.as_of
			FROM revisions r WHERE r.id IN (SELECT value FROM json_each(?))`, name, string(list)); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO month_states_built (month, rows_month) VALUES (?, ?)`, name, rowsMonth); err != nil {
		return err
	}
	return tx.Commit()
}

// sameAsMonthBefore returns the rows month of the month before, when that
// month is built and its state holds the same revisions as ids: nothing
// was published in between. Otherwise "".
func sameAsMonthBefore(ctx context.Context, tx *sql.Tx, month time.Time, ids []int64) (string, error) {
	var rowsMonth string
	err := tx.QueryRowContext(ctx, `SELECT rows_month FROM month_states_built WHERE month = ?`,
		month.AddDate(0, -1, 0).Format(monthLayout)).Scan(&rowsMonth)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	before := make(map[int64]bool, len(ids))
	rows, err := tx.QueryContext(ctx, `SELECT revision_id FROM month_states WHERE month = ?`, rowsMonth)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return "", err
		}
		before[id] = true
	}
	if err := rows.Err(); err != nil {
		return "", err
	}
	if len(before) != len(ids) {
		return "", nil
	}
	for _, id := range ids {
		if !before[id] {
			return "", nil
		}
	}
	return rowsMonth, nil
}

package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	vigie "github.com/vigie-network/vigie"
)

// RestoreRevisions stores revisions as they were exported, numbers and
// times included; see vigie.Tx. An import gives it a batch of a
// thousand revisions at a time; it checks them all in memory first, then
// writes with multi-row statements. The connection's page cache (16 MB)
// is enough: a larger one made an import hold 64 MB more for no gain.
func (c conn) RestoreRevisions(ctx context.Context, rs []vigie.Restore) (written, moved int, err error) {
	if len(rs) == 0 {
		return 0, 0, nil
	}
	if err := vigie.CheckRestores(ctx, c, rs); err != nil {
		return 0, 0, err
	}
	keys := assessmentKeys(rs)

	// Revisions stored already must say the same.
	ids, err := c.revisionIDs(ctx, keys)
	if err != nil {
		return 0, 0, err
	}
	fresh, err := vigie.FreshRestores(ctx, c, rs, func(r vigie.Restore) bool {
		_, ok := ids[revKey{r.Content.Country, r.Content.Indicator, r.Number}]
		return ok
	})
	if err != nil {
		return 0, 0, err
	}

	// Sources, matched as every write matches them.
	sourceIDs := map[string]int64{}
	for _, r := range fresh {
		for _, ct := range r.Content.Citations {
			k := sourceKey(ct.Source)
			if _, ok := sourceIDs[k]; ok {
				continue
			}
			src, err := c.findOrCreateSource(ctx, ct.Source)
			if err != nil {
				return 0, 0, err
			}
			sourceIDs[k] = src.ID
		}
	}

	rows := make([][]any, 0, len(fresh))
	for _, r := range fresh {
		a := r.Content
		var value sql.NullInt64
		if a.Value != nil {
			value = sql.NullInt64{Int64: int64(*a.Value), Valid: true}
		}
		rows = append(rows, []any{a.Country, a.Indicator, r.Number, r.Base, r.State, nullID(r.AuthorID), r.Author, r.Reason,
			formatTime(r.CreatedAt), formatTime(r.PublishedAt), nullID(r.ReviewerID), r.Reviewer, r.ReviewComment,
			a.Rating, value, a.Explanation, a.AsOf.String()})
	}
	if _, err := c.q.ExecContext(ctx, `INSERT OR IGNORE INTO rating_changes_deferred VALUES (1)`); err != nil {
		return 0, 0, err
	}
	if err := c.insertRows(ctx, `INSERT INTO revisions (country, indicator, number, base, state, author_id, author,
		reason, created_at, published_at, reviewer_id, reviewer, review_comment, rating, value, explanation, as_of) VALUES `, rows); err != nil {
		return 0, 0, err
	}
	if err := c.listRatingChanges(ctx, keys); err != nil {
		return 0, 0, err
	}
	if len(fresh) > 0 {
		if ids, err = c.revisionIDs(ctx, keys); err != nil {
			return 0, 0, err
		}
	}
	rows = rows[:0]
	for _, r := range fresh {
		a := r.Content
		id := ids[revKey{a.Country, a.Indicator, r.Number}]
		for pos, ct := range a.Citations {
			rows = append(rows, []any{id, pos, sourceIDs[sourceKey(ct.Source)], ct.Articles})
		}
	}
	if err := c.insertRows(ctx, `INSERT INTO revision_citations (revision_id, position, source_id, articles) VALUES `, rows); err != nil {
		return 0, 0, err
	}

	// The published states that move.
	published, err := c.publishedIDs(ctx, keys)
	if err != nil {
		return 0, 0, err
	}
	rows = rows[:0]
	var movedKeys []string
	for _, r := range rs {
		a := r.Content
		if id := ids[revKey{a.Country, a.Indicator, r.Number}]; r.Current && published[[2]string{a.Country, a.Indicator}] != id {
			rows = append(rows, []any{a.Country, a.Indicator, id})
			published[[2]string{a.Country, a.Indicator}] = id
			movedKeys = append(movedKeys, a.Country+"/"+a.Indicator)
		}
	}
	// Before the triggers of assessments index sources (migration 0013).
	if err := c.flushSearch(ctx); err != nil {
		return 0, 0, err
	}
	if err := c.insertRows(ctx, `INSERT INTO assessments (country, indicator, published_revision) VALUES `, rows,
		` ON CONFLICT (country, indicator) DO UPDATE SET published_revision = excluded.published_revision`); err != nil {
		return 0, 0, err
	}
	// In the order of their keys, as one statement over the keys wrote them.
	slices.Sort(movedKeys)
	if err := c.writeDocs(ctx, vigie.SearchAssessment, movedKeys); err != nil {
		return 0, 0, err
	}
	if len(fresh)+len(rows) > 0 {
		c.markChanged()
	}
	return len(fresh), len(rows), nil
}

type revKey struct {
	country, indicator string
	number             int
}

func sourceKey(s vigie.Source) string {
	return fmt.Sprintf("%s\x00%s\x00%d\x00%d", s.Kind, fold(s.Title), s.Year, s.StatusAsOf)
}

// assessmentKeys lists the assessments of rs as a JSON array of
// "country/indicator", for json_each.
func assessmentKeys(rs []vigie.Restore) string {
	seen := map[string]bool{}
	var keys []string
	for _, r := range rs {
		k := r.Content.Country + "/" + r.Content.Indicator
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	return toJSON(keys)
}

// splitKeys lists the (country, indicator) pairs of the JSON array ?1 of
// "country/indicator", for "(country, indicator) IN": a search of the
// index by each pair. Comparing the joined text instead read every row,
// once per batch: an import's time grew with the square of the history.
const splitKeys = `(SELECT substr(value, 1, instr(value, '/') - 1), substr(value, instr(value, '/') + 1) FROM json_each(?1))`

// revisionIDs maps the stored revisions of the assessments keys names to
// their ids.
func (c conn) revisionIDs(ctx context.Context, keys string) (map[revKey]int64, error) {
	rows, err := c.q.QueryContext(ctx, `SELECT id, country, indicator, number FROM revisions
		WHERE (country, indicator) IN `+splitKeys, keys)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[revKey]int64{}
	for rows.Next() {
		var id int64
		var k revKey
		if err := rows.Scan(&id, &k.country, &k.indicator, &k.number); err != nil {
			return nil, err
		}
		out[k] = id
	}
	return out, rows.Err()
}

// listRatingChanges lists again the rating changes of the assessments
// keys names (see migration 0011), in one pass over their published
// revisions, and ends the deferral RestoreRevisions began.
func (c conn) listRatingChanges(ctx context.Context, keys string) error {
	if _, err := c.q.ExecContext(ctx, `DELETE FROM rating_changes_deferred`); err != nil {
		return err
	}
	const each = `json_each(?) k CROSS JOIN %s ON %s.country = substr(k.value, 1, instr(k.value, '/') - 1)
		AND %[2]s.indicator = substr(k.value, instr(k.value, '/') + 1)`
	if _, err := c.q.ExecContext(ctx, `DELETE FROM rating_changes WHERE revision_id IN (SELECT c.revision_id FROM `+
		fmt.Sprintf(each, "rating_changes c", "c")+`)`, keys); err != nil {
		return err
	}
	_, err := c.q.ExecContext(ctx, `INSERT INTO rating_changes (revision_id, country, indicator, at, number, published_at, rating, value, as_of)
		SELECT id, country, indicator, rtrim(published_at, 'Z'), number, published_at, rating, value, as_of FROM (
			SELECT r.id, r.country, r.indicator, r.number, r.published_at, r.rating, r.value, r.as_of,
				lag(r.rating) OVER (PARTITION BY r.country, r.indicator ORDER BY rtrim(r.published_at, 'Z'), r.number) AS previous
			FROM `+fmt.Sprintf(each, "revisions r", "r")+` AND r.state = 'published')
		WHERE previous IS NULL OR previous <> rating`, keys)
	return err
}

// publishedIDs maps the assessments keys names to their published
// revision's id, when they have one.
func (c conn) publishedIDs(ctx context.Context, keys string) (map[[2]string]int64, error) {
	rows, err := c.q.QueryContext(ctx, `SELECT country, indicator, published_revision FROM assessments
		WHERE (country, indicator) IN `+splitKeys, keys)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[[2]string]int64{}
	for rows.Next() {
		var country, indicator string
		var id int64
		if err := rows.Scan(&country, &indicator, &id); err != nil {
			return nil, err
		}
		out[[2]string{country, indicator}] = id
	}
	return out, rows.Err()
}

// insertRows runs head with as many "(?, …)" tuples as rows, in chunks
// that stay under SQLite's limit on parameters, then tail.
func (c conn) insertRows(ctx context.Context, head string, rows [][]any, tail ...string) error {
	if len(rows) == 0 {
		return nil
	}
	width := len(rows[0])
	tuple := "(" + strings.Repeat("?, ", width-1) + "?)"
	per := max(1, 8000/width)
	for start := 0; start < len(rows); start += per {
		chunk := rows[start:min(start+per, len(rows))]
		var q strings.Builder
		q.WriteString(head)
		args := make([]any, 0, len(chunk)*width)
		for i, r := range chunk {
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString(tuple)
			args = append(args, r...)
		}
		q.WriteString(strings.Join(tail, ""))
		if _, err := c.q.ExecContext(ctx, q.String(), args...); err != nil {
			return err
		}
	}
	return nil
}

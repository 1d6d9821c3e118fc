package postgres

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	vigie "github.com/vigie-network/vigie"
)

// RestoreRevisions stores revisions as they were exported, numbers and
// times included; see vigie.Tx. Every revision is checked — its fields,
// its content against the framework, and against a stored revision of the
// same number — before the first is written. An import calls it with a
// few hundred revisions at a time: the checks read the framework once,
// and the revisions and their citations are written with one statement
// each, rather than a round trip per row.
func (c conn) RestoreRevisions(ctx context.Context, rs []vigie.Restore) (written, moved int, err error) {
	if len(rs) == 0 {
		return 0, 0, nil
	}
	if err := vigie.CheckRestores(ctx, c, rs); err != nil {
		return 0, 0, err
	}
	stored, err := c.storedRevisionIDs(ctx, rs)
	if err != nil {
		return 0, 0, err
	}
	fresh, err := vigie.FreshRestores(ctx, c, rs, func(r vigie.Restore) bool {
		_, ok := stored[revKey{r.Content.Country, r.Content.Indicator, r.Number}]
		return ok
	})
	if err != nil {
		return 0, 0, err
	}
	if err := c.insertRestored(ctx, fresh, stored); err != nil {
		return 0, 0, err
	}
	if err := c.listRatingChanges(ctx, fresh); err != nil {
		return 0, 0, err
	}
	// The published states that move. A source's search entry lists the
	// assessments whose published revision cites it, so the sources the
	// old and the new published revisions cite are indexed again, each
	// once.
	moved, sources, err := c.movePublished(ctx, rs, stored)
	if err != nil {
		return 0, 0, err
	}
	slices.Sort(sources)
	if err := c.indexSources(ctx, slices.Compact(sources)); err != nil {
		return 0, 0, err
	}
	if len(fresh)+moved > 0 {
		c.markChanged()
	}
	return len(fresh), moved, nil
}

// listRatingChanges lists again the rating changes of the assessments
// the revisions fresh were restored into, in one pass over their
// published revisions (the list of migration 0005), and ends the wait
// insertRestored began.
func (c conn) listRatingChanges(ctx context.Context, fresh []vigie.Restore) error {
	if _, err := c.q.Exec(ctx, `SELECT set_config('vigie.restoring', 'off', true)`); err != nil {
		return err
	}
	var countries, indicators []string
	seen := map[[2]string]bool{}
	for _, r := range fresh {
		k := [2]string{r.Content.Country, r.Content.Indicator}
		if r.State == vigie.RevisionPublished && !seen[k] {
			seen[k] = true
			countries, indicators = append(countries, k[0]), append(indicators, k[1])
		}
	}
	if len(countries) == 0 {
		return nil
	}
	const keys = `unnest($1::text[], $2::text[]) AS k (country, indicator)`
	if _, err := c.q.Exec(ctx, `DELETE FROM rating_changes c USING `+keys+`
		WHERE c.country = k.country AND c.indicator = k.indicator`, countries, indicators); err != nil {
		return err
	}
	_, err := c.q.Exec(ctx, `INSERT INTO rating_changes (revision_id, country, indicator, published_at, published_ns, number)
		SELECT id, country, indicator, published_at, published_ns, number FROM (
			SELECT r.id, r.country, r.indicator, r.published_at, r.published_ns, r.number, r.rating,
				lag(r.rating) OVER (PARTITION BY r.country, r.indicator ORDER BY r.published_at, r.published_ns, r.number) AS previous
			FROM `+keys+` JOIN revisions r ON r.country = k.country AND r.indicator = k.indicator
			WHERE r.state = 'published') r
		WHERE previous IS NULL OR previous <> rating`, countries, indicators)
	return err
}

// movePublished points each assessment that rs gives a Current revision
// (the last one, if several) at it, where it points elsewhere, in one
// statement for the whole batch, and indexes those assessments again. It
// returns how many moved and the sources their old and new published
// revisions cite.
func (c conn) movePublished(ctx context.Context, rs []vigie.Restore, ids map[revKey]int64) (int, []int64, error) {
	current := map[[2]string]int64{}
	var order [][2]string
	for _, r := range rs {
		if !r.Current {
			continue
		}
		k := [2]string{r.Content.Country, r.Content.Indicator}
		if _, ok := current[k]; !ok {
			order = append(order, k)
		}
		current[k] = ids[revKey{k[0], k[1], r.Number}]
	}
	if len(order) == 0 {
		return 0, nil, nil
	}
	countries, indicators, revisions := make([]string, len(order)), make([]string, len(order)), make([]int64, len(order))
	for i, k := range order {
		countries[i], indicators[i], revisions[i] = k[0], k[1], current[k]
	}
	rows, err := c.q.Query(ctx, `WITH moving AS (
			SELECT k.country, k.indicator, k.revision, a.published_revision AS old, k.n
			FROM unnest($1::text[], $2::text[], $3::bigint[]) WITH ORDINALITY AS k (country, indicator, revision, n)
			LEFT JOIN assessments a ON a.country = k.country AND a.indicator = k.indicator
			WHERE a.published_revision IS DISTINCT FROM k.revision),
		moved AS (INSERT INTO assessments (country, indicator, published_revision)
			SELECT country, indicator, revision FROM moving
			ON CONFLICT (country, indicator) DO UPDATE SET published_revision = excluded.published_revision)
		SELECT m.country, m.indicator, array(SELECT DISTINCT rc.source_id FROM revision_citations rc
			WHERE rc.revision_id = m.revision OR rc.revision_id = m.old)
		FROM moving m ORDER BY m.n`, countries, indicators, revisions)
	if err != nil {
		return 0, nil, err
	}
	countries, indicators = countries[:0], indicators[:0]
	var sources []int64
	for rows.Next() {
		var country, indicator string
		var cited []int64
		if err := rows.Scan(&country, &indicator, &cited); err != nil {
			rows.Close()
			return 0, nil, err
		}
		countries, indicators = append(countries, country), append(indicators, indicator)
		sources = append(sources, cited...)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, nil, err
	}
	return len(countries), sources, c.indexAssessmentDocs(ctx, countries, indicators)
}

// indexAssessmentDocs indexes the assessments' own rows, as
// indexAssessmentDoc does one, with three statements for all of them.
func (c conn) indexAssessmentDocs(ctx context.Context, countries, indicators []string) error {
	if len(countries) == 0 {
		return nil
	}
	rows, err := c.q.Query(ctx, `SELECT a.country, a.indicator, i.name, r.explanation, r.published_at, r.published_ns
		FROM unnest($1::text[], $2::text[]) AS k (country, indicator)
		JOIN assessments a ON a.country = k.country AND a.indicator = k.indicator
		JOIN revisions r ON r.id = a.published_revision JOIN indicators i ON i.key = a.indicator`, countries, indicators)
	if err != nil {
		return err
	}
	docs := map[string]*searchDoc{}
	for rows.Next() {
		var country, indicator, title, explanation string
		var published *time.Time
		var publishedNs int
		if err := rows.Scan(&country, &indicator, &title, &explanation, &published, &publishedNs); err != nil {
			rows.Close()
			return err
		}
		if strings.TrimSpace(explanation) != "" {
			docs[country+"/"+indicator] = &searchDoc{title: title, body: vigie.SearchText(explanation), extra: countryNames(country),
				countries: []string{country}, indicators: []string{indicator}, date: joinTime(published, publishedNs)}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	refs := make([]string, len(countries))
	for i := range countries {
		refs[i] = countries[i] + "/" + indicators[i]
	}
	return c.indexDocs(ctx, vigie.SearchAssessment, refs, docs)
}

// indexSources indexes sources as indexSource does one, with three
// statements for all of them.
func (c conn) indexSources(ctx context.Context, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	rows, err := c.q.Query(ctx, `SELECT s.id, s.title, s.identifier, s.publisher, s.year, s.status_as_of, s.link,
		array(SELECT DISTINCT a.country FROM assessments a JOIN revision_citations rc ON rc.revision_id = a.published_revision
			WHERE rc.source_id = s.id ORDER BY 1),
		array(SELECT DISTINCT a.indicator FROM assessments a JOIN revision_citations rc ON rc.revision_id = a.published_revision
			WHERE rc.source_id = s.id ORDER BY 1)
		FROM unnest($1::bigint[]) AS k (id) JOIN sources s ON s.id = k.id`, ids)
	if err != nil {
		return err
	}
	docs := map[string]*searchDoc{}
	for rows.Next() {
		var id int64
		var identifier, publisher string
		var year, statusAsOf int
		doc := &searchDoc{}
		if err := rows.Scan(&id, &doc.title, &identifier, &publisher, &year, &statusAsOf, &doc.link, &doc.countries, &doc.indicators); err != nil {
			rows.Close()
			return err
		}
		if len(doc.countries) > 0 {
			doc.body = joinNonEmpty(" · ", identifier, publisher, yearText(year), prefixed("status as of ", yearText(statusAsOf)))
			docs[strconv.FormatInt(id, 10)] = doc
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	refs := make([]string, len(ids))
	for i, id := range ids {
		refs[i] = strconv.FormatInt(id, 10)
	}
	return c.indexDocs(ctx, vigie.SearchSource, refs, docs)
}

// indexDocs writes the rows of kind named refs again, as index does one:
// it deletes them all, then inserts those docs holds (the public ones),
// in one statement each. Countries and indicators, codes and keys without
// spaces, travel as space-separated text.
func (c conn) indexDocs(ctx context.Context, kind vigie.SearchKind, refs []string, docs map[string]*searchDoc) error {
	if _, err := c.q.Exec(ctx, `DELETE FROM search_docs WHERE kind = $1 AND ref = ANY($2)`, string(kind), refs); err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	var kept, slugs, titles, bodies, countries, indicators, links, vectors []string
	var dates []*time.Time
	for _, ref := range refs {
		doc := docs[ref]
		if doc == nil {
			continue
		}
		doc.ref = ref
		var date *time.Time
		if !doc.date.IsZero() {
			date = &doc.date
		}
		kept, slugs, titles, bodies = append(kept, ref), append(slugs, doc.slug), append(titles, doc.title), append(bodies, doc.body)
		countries, indicators = append(countries, strings.Join(doc.countries, " ")), append(indicators, strings.Join(doc.indicators, " "))
		links, vectors, dates = append(links, doc.link), append(vectors, doc.vector()), append(dates, date)
	}
	if len(kept) == 0 {
		return nil
	}
	if _, err := c.q.Exec(ctx, `INSERT INTO search_docs (kind, ref, slug, title, body, countries, indicators, date, link, words)
		SELECT $1, ref, slug, title, body, string_to_array(countries, ' '), string_to_array(indicators, ' '), date, link, words::tsvector
		FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[], $9::text[], $10::text[])
			AS d (ref, slug, title, body, countries, indicators, date, link, words)`,
		string(kind), kept, slugs, titles, bodies, countries, indicators, dates, links, vectors); err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	return nil
}

type revKey struct {
	country, indicator string
	number             int
}

// storedRevisionIDs maps the revisions of rs already stored to their ids,
// in one query.
func (c conn) storedRevisionIDs(ctx context.Context, rs []vigie.Restore) (map[revKey]int64, error) {
	countries, indicators, numbers := make([]string, len(rs)), make([]string, len(rs)), make([]int32, len(rs))
	for i, r := range rs {
		countries[i], indicators[i], numbers[i] = r.Content.Country, r.Content.Indicator, int32(r.Number)
	}
	rows, err := c.q.Query(ctx, `SELECT r.id, r.country, r.indicator, r.number
		FROM unnest($1::text[], $2::text[], $3::integer[]) AS k (country, indicator, number)
		JOIN revisions r ON r.country = k.country AND r.indicator = k.indicator AND r.number = k.number`,
		countries, indicators, numbers)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make(map[revKey]int64, len(rs))
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

// insertRestored writes revisions with their own numbers, bases, states
// and times, then their citations, matching sources as every write does;
// it adds the new revisions' ids to ids.
func (c conn) insertRestored(ctx context.Context, fresh []vigie.Restore, ids map[revKey]int64) error {
	if len(fresh) == 0 {
		return nil
	}
	// The rating-change trigger waits (migration 0009): listRatingChanges
	// lists the changes once the batch is written.
	if _, err := c.q.Exec(ctx, `SELECT set_config('vigie.restoring', 'on', true)`); err != nil {
		return err
	}
	n := len(fresh)
	var (
		countries, indicators, states, authors, reasons   = make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		reviewers, comments, ratings, explanations, asOfs = make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		numbers, bases, createdNs, publishedNs, values    = make([]int32, n), make([]int32, n), make([]int32, n), make([]int32, n), make([]*int32, n)
		authorIDs, reviewerIDs                            = make([]*int64, n), make([]*int64, n)
		created, published                                = make([]*time.Time, n), make([]*time.Time, n)
	)
	for i, r := range fresh {
		a := r.Content
		countries[i], indicators[i], numbers[i], bases[i], states[i] = a.Country, a.Indicator, int32(r.Number), int32(r.Base), r.State
		authorIDs[i], authors[i], reasons[i] = optID(r.AuthorID), r.Author, r.Reason
		created[i], createdNs[i] = optTime(r.CreatedAt)
		published[i], publishedNs[i] = optTime(r.PublishedAt)
		reviewerIDs[i], reviewers[i], comments[i] = optID(r.ReviewerID), r.Reviewer, r.ReviewComment
		ratings[i], explanations[i], asOfs[i] = a.Rating, a.Explanation, a.AsOf.String()
		if a.Value != nil {
			v := int32(*a.Value)
			values[i] = &v
		}
	}
	rows, err := c.q.Query(ctx, `INSERT INTO revisions (country, indicator, number, base, state, author_id, author,
		reason, created_at, created_ns, published_at, published_ns, reviewer_id, reviewer, review_comment,
		rating, value, explanation, as_of)
		SELECT * FROM unnest($1::text[], $2::text[], $3::integer[], $4::integer[], $5::text[], $6::bigint[], $7::text[],
			$8::text[], $9::timestamptz[], $10::integer[], $11::timestamptz[], $12::integer[], $13::bigint[], $14::text[], $15::text[],
			$16::text[], $17::integer[], $18::text[], $19::text[])
		RETURNING id, country, indicator, number`,
		countries, indicators, numbers, bases, states, authorIDs, authors, reasons, created, createdNs, published, publishedNs,
		reviewerIDs, reviewers, comments, ratings, values, explanations, asOfs)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var k revKey
		if err := rows.Scan(&id, &k.country, &k.indicator, &k.number); err != nil {
			rows.Close()
			return err
		}
		ids[k] = id
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}

	sources, err := c.sourceIDs(ctx, fresh)
	if err != nil {
		return err
	}
	var revisionIDs, sourceIDs []int64
	var positions []int32
	var articles []string
	for _, r := range fresh {
		a := r.Content
		for pos, ct := range a.Citations {
			revisionIDs = append(revisionIDs, ids[revKey{a.Country, a.Indicator, r.Number}])
			positions = append(positions, int32(pos))
			sourceIDs = append(sourceIDs, sources[sourceKey(ct.Source)])
			articles = append(articles, ct.Articles)
		}
	}
	if len(revisionIDs) == 0 {
		return nil
	}
	_, err = c.q.Exec(ctx, `INSERT INTO revision_citations (revision_id, position, source_id, articles)
		SELECT * FROM unnest($1::bigint[], $2::integer[], $3::bigint[], $4::text[])`, revisionIDs, positions, sourceIDs, articles)
	return err
}

// sourceIDs finds or creates the sources the revisions cite: one query
// finds those stored that need no change, and findOrCreateSource, as
// every write uses it, does the rest.
func (c conn) sourceIDs(ctx context.Context, revs []vigie.Restore) (map[string]int64, error) {
	cited := map[string]vigie.Source{}
	var order []string // created in the order cited, as one at a time would
	var kinds, titles []string
	var years, statuses []int32
	for _, r := range revs {
		for _, ct := range r.Content.Citations {
			k := sourceKey(ct.Source)
			if _, ok := cited[k]; ok {
				continue
			}
			cited[k] = ct.Source
			order = append(order, k)
			kinds, titles = append(kinds, string(ct.Source.Kind)), append(titles, fold(ct.Source.Title))
			years, statuses = append(years, int32(ct.Source.Year)), append(statuses, int32(ct.Source.StatusAsOf))
		}
	}
	out := make(map[string]int64, len(cited))
	if len(cited) == 0 {
		return out, nil
	}
	rows, err := c.q.Query(ctx, `SELECT s.id, s.kind, s.title, s.year, s.status_as_of, s.identifier, s.publisher, s.link
		FROM unnest($1::text[], $2::text[], $3::integer[], $4::integer[]) AS k (kind, title_key, year, status_as_of)
		JOIN sources s ON s.kind = k.kind AND s.title_key = k.title_key AND s.year = k.year AND s.status_as_of = k.status_as_of`,
		kinds, titles, years, statuses)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var s vigie.Source
		if err := rows.Scan(&s.ID, &s.Kind, &s.Title, &s.Year, &s.StatusAsOf, &s.Identifier, &s.Publisher, &s.Link); err != nil {
			rows.Close()
			return nil, err
		}
		k := sourceKey(s)
		// A stored source with an empty detail the citation gives is
		// completed by findOrCreateSource below.
		if c, ok := cited[k]; ok && (s.Identifier != "" || c.Identifier == "") && (s.Publisher != "" || c.Publisher == "") && (s.Link != "" || c.Link == "") {
			out[k] = s.ID
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, k := range order {
		if _, ok := out[k]; ok {
			continue
		}
		src, err := c.findOrCreateSource(ctx, cited[k])
		if err != nil {
			return nil, err
		}
		out[k] = src.ID
	}
	return out, nil
}

func sourceKey(s vigie.Source) string {
	return fmt.Sprintf("%s\x00%s\x00%d\x00%d", s.Kind, fold(s.Title), s.Year, s.StatusAsOf)
}

func optID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

// optTime is splitTime for arrays: the microseconds as a time (nil for
// none) and the nanoseconds below them.
func optTime(t time.Time) (*time.Time, int32) {
	if t.IsZero() {
		return nil, 0
	}
	us := toDB(t)
	return &us, int32(t.Sub(us))
}

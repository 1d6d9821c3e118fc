package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	vigie "github.com/vigie-network/vigie"
)

func (c conn) Indicators(ctx context.Context) ([]vigie.Indicator, error) {
	rows, err := c.q.QueryContext(ctx, `SELECT key, name, rationale, value_kind, position FROM indicators ORDER BY position, key`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []vigie.Indicator
	for rows.Next() {
		var ind vigie.Indicator
		var kind string
		if err := rows.Scan(&ind.Key, &ind.Name, &ind.Rationale, &kind, &ind.Position); err != nil {
			return nil, err
		}
		ind.ValueKind = vigie.ValueKind(kind)
		out = append(out, ind)
	}
	return out, rows.Err()
}

func (c conn) Ratings(ctx context.Context) ([]vigie.Rating, error) {
	rows, err := c.q.QueryContext(ctx, `SELECT key, label, meaning, assessed, position FROM ratings ORDER BY position, key`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []vigie.Rating
	for rows.Next() {
		var r vigie.Rating
		if err := rows.Scan(&r.Key, &r.Label, &r.Meaning, &r.Assessed, &r.Position); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

const revisionColumns = `r.id, r.number, r.base, r.state, coalesce(r.author_id, 0), r.author, r.reason,
	r.created_at, r.published_at, coalesce(r.reviewer_id, 0), r.reviewer, r.review_comment,
	r.country, r.indicator, r.rating, r.value, r.explanation, r.as_of`

// ratingColumns are the columns of revisionColumns that readers of
// ratings only (RatingsOnly) need, the others left empty: all are in the
// revisions_ratings index, so that SQLite reads the index and not the
// rows, whose explanations are most of their bytes.
const ratingColumns = `r.id, r.number, 0, r.state, 0, '', '',
	'', r.published_at, 0, '', '',
	r.country, r.indicator, r.rating, r.value, '', r.as_of`

// currentRatingColumns are ratingColumns read from the copy each
// assessment keeps of its published revision's rating (migration 0015).
const currentRatingColumns = `a.published_revision, a.current_number, 0, 'published', 0, '', '',
	'', a.current_published_at, 0, '', '',
	a.country, a.indicator, a.current_rating, a.current_value, '', a.current_as_of`

// queryRatings reads assessments' published ratings, query selecting
// ratingOnlyColumns: readers of ratings only that do not need the
// revisions. The driver's cost is per column read, and these are 7 of
// queryRevisions' 18 (a month's state, 2,241 rows: about 6 ms rather than 11).
func (c conn) queryRatings(ctx context.Context, query string, args ...any) ([]vigie.Assessment, error) {
	rows, err := c.q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []vigie.Assessment
	for rows.Next() {
		var a vigie.Assessment
		var published, asOf string
		var value sql.NullInt64
		if err := rows.Scan(&a.Revision, &published, &a.Country, &a.Indicator, &a.Rating, &value, &asOf); err != nil {
			return nil, err
		}
		a.UpdatedAt = parseTime(published)
		if value.Valid {
			v := int(value.Int64)
			a.Value = &v
		}
		a.AsOf, _ = vigie.ParseAsOf(asOf)
		out = append(out, a)
	}
	return out, rows.Err()
}

// ratingOnlyColumns are what queryRatings reads, from a published
// revision r.
const ratingOnlyColumns = `r.number, r.published_at, r.country, r.indicator, r.rating, r.value, r.as_of`

func scanRevision(rows interface{ Scan(...any) error }) (vigie.Revision, error) {
	var rev vigie.Revision
	var created, published, asOf string
	var value sql.NullInt64
	a := &rev.Content
	err := rows.Scan(&rev.ID, &rev.Number, &rev.Base, &rev.State, &rev.AuthorID, &rev.Author, &rev.Reason,
		&created, &published, &rev.ReviewerID, &rev.Reviewer, &rev.ReviewComment,
		&a.Country, &a.Indicator, &a.Rating, &value, &a.Explanation, &asOf)
	if err != nil {
		return rev, err
	}
	rev.CreatedAt = parseTime(created)
	rev.PublishedAt = parseTime(published)
	if value.Valid {
		v := int(value.Int64)
		a.Value = &v
	}
	a.AsOf, _ = vigie.ParseAsOf(asOf)
	a.Revision = rev.Number
	a.UpdatedAt = rev.CreatedAt
	if !rev.PublishedAt.IsZero() {
		a.UpdatedAt = rev.PublishedAt
	}
	return rev, nil
}

// citations loads the citations of the revisions that revisionIDs (an SQL
// subquery) selects, keyed by revision id, in their order.
func (c conn) citations(ctx context.Context, revisionIDs string, args ...any) (map[int64][]vigie.Citation, error) {
	// The sources are read once each rather than once per citation: a
	// law is cited by many revisions, and exports read them all.
	sources, err := c.sourcesByID(ctx, `SELECT source_id FROM revision_citations WHERE revision_id IN (`+revisionIDs+`)`, args...)
	if err != nil {
		return nil, err
	}
	rows, err := c.q.QueryContext(ctx, `SELECT revision_id, articles, source_id FROM revision_citations
		WHERE revision_id IN (`+revisionIDs+`) ORDER BY revision_id, position`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]vigie.Citation{}
	for rows.Next() {
		var id, source int64
		var ct vigie.Citation
		if err := rows.Scan(&id, &ct.Articles, &source); err != nil {
			return nil, err
		}
		ct.Source = sources[source]
		out[id] = append(out[id], ct)
	}
	return out, rows.Err()
}

// sourcesByID reads the sources whose IDs the query ids selects.
func (c conn) sourcesByID(ctx context.Context, ids string, args ...any) (map[int64]vigie.Source, error) {
	rows, err := c.q.QueryContext(ctx, `SELECT id, kind, title, identifier, publisher, year, status_as_of, link
		FROM sources WHERE id IN (`+ids+`)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]vigie.Source{}
	for rows.Next() {
		var s vigie.Source
		if err := rows.Scan(&s.ID, &s.Kind, &s.Title, &s.Identifier, &s.Publisher, &s.Year, &s.StatusAsOf, &s.Link); err != nil {
			return nil, err
		}
		out[s.ID] = s
	}
	return out, rows.Err()
}

func (c conn) checkAssessmentKey(ctx context.Context, country, indicator string) error {
	var n int
	if err := c.q.QueryRowContext(ctx, `SELECT count(*) FROM countries WHERE iso2 = ?`, country).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return notFound("unknown country %q", country)
	}
	if err := c.q.QueryRowContext(ctx, `SELECT count(*) FROM indicators WHERE key = ?`, indicator).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return notFound("unknown indicator %q", indicator)
	}
	return nil
}

func (c conn) Assessment(ctx context.Context, country, indicator string) (vigie.Assessment, error) {
	list, err := c.Assessments(ctx, vigie.AssessmentFilter{Country: country, Indicator: indicator})
	if err != nil {
		return vigie.Assessment{}, err
	}
	if len(list) == 1 {
		return list[0], nil
	}
	if err := c.checkAssessmentKey(ctx, country, indicator); err != nil {
		return vigie.Assessment{}, err
	}
	return vigie.Unassessed(country, indicator), nil
}

func (c conn) Assessments(ctx context.Context, f vigie.AssessmentFilter) ([]vigie.Assessment, error) {
	// Only the filters in use go into the SQL, so that SQLite can use the
	// primary key and the by-indicator index ("? = '' OR …" defeats both).
	where, args := "1", []any{}
	if f.Country != "" {
		where, args = where+" AND a.country = ?", append(args, f.Country)
	}
	if f.Indicator != "" {
		where, args = where+" AND a.indicator = ?", append(args, f.Indicator)
	}
	from := `SELECT ` + revisionColumns + ` FROM assessments a JOIN revisions r ON r.id = a.published_revision`
	if f.RatingsOnly {
		from = `SELECT ` + currentRatingColumns + ` FROM assessments a`
	}
	rows, err := c.q.QueryContext(ctx, from+` JOIN indicators i ON i.key = a.indicator
		WHERE `+where+` ORDER BY a.country, i.position`, args...)
	if err != nil {
		return nil, err
	}
	var revs []vigie.Revision
	for rows.Next() {
		rev, err := scanRevision(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		revs = append(revs, rev)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if f.RatingsOnly {
		return vigie.Contents(revs), nil
	}
	cites, err := c.citations(ctx, `SELECT a.published_revision FROM assessments a WHERE `+where, args...)
	if err != nil {
		return nil, err
	}
	out := vigie.Contents(revs)
	for i, rev := range revs {
		out[i].Citations = cites[rev.ID]
	}
	return out, nil
}

func (c conn) Revisions(ctx context.Context, country, indicator string) ([]vigie.Revision, error) {
	if err := c.checkAssessmentKey(ctx, country, indicator); err != nil {
		return nil, err
	}
	return c.revisions(ctx, `r.country = ? AND r.indicator = ? ORDER BY r.number DESC`, country, indicator)
}

func (c conn) PublishedHistory(ctx context.Context, country, indicator string, offset, limit int) ([]vigie.Revision, int, error) {
	if err := c.checkAssessmentKey(ctx, country, indicator); err != nil {
		return nil, 0, err
	}
	// Both read the revisions_ratings index (0008): the count its
	// entries, the page a range of them and then its rows only.
	var total int
	if err := c.q.QueryRowContext(ctx, `SELECT count(*) FROM revisions
		WHERE country = ? AND indicator = ? AND state = 'published'`, country, indicator).Scan(&total); err != nil {
		return nil, 0, err
	}
	revs, err := c.revisionRows(ctx, `r.id IN (SELECT p.id FROM revisions p
			WHERE p.country = ?1 AND p.indicator = ?2 AND p.state = 'published'
			ORDER BY rtrim(p.published_at, 'Z') DESC, p.number DESC LIMIT ?3 OFFSET ?4)
		ORDER BY rtrim(r.published_at, 'Z') DESC, r.number DESC`, country, indicator, limit, offset)
	if err != nil || len(revs) == 0 {
		return revs, total, err
	}
	ids := make([]string, len(revs))
	for i, r := range revs {
		ids[i] = strconv.FormatInt(r.ID, 10)
	}
	cites, err := c.citations(ctx, `SELECT value FROM json_each(?)`, "["+strings.Join(ids, ",")+"]")
	if err != nil {
		return nil, 0, err
	}
	for i := range revs {
		revs[i].Content.Citations = cites[revs[i].ID]
	}
	return revs, total, nil
}

func (c conn) PublishedPosition(ctx context.Context, country, indicator string, number int) (int, bool, error) {
	var position int
	err := c.q.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM revisions p
			WHERE p.country = n.country AND p.indicator = n.indicator AND p.state = 'published'
				AND rtrim(p.published_at, 'Z') >= rtrim(n.published_at, 'Z')
				AND (rtrim(p.published_at, 'Z') > rtrim(n.published_at, 'Z') OR p.number > n.number))
		FROM revisions n WHERE n.country = ? AND n.indicator = ? AND n.number = ? AND n.state = 'published'`,
		country, indicator, number).Scan(&position)
	if isNoRows(err) {
		return 0, false, nil
	}
	return position, err == nil, err
}

// revisions loads the revisions that where (an SQL condition on r, with
// its ORDER BY) selects, with their citations.
// revisionRows loads the revisions that where selects, without their
// citations.
func (c conn) revisionRows(ctx context.Context, where string, args ...any) ([]vigie.Revision, error) {
	return c.queryRevisions(ctx, `SELECT `+revisionColumns+` FROM revisions r WHERE `+where, args...)
}

// queryRevisions runs a query whose columns are revisionColumns' (or
// ratingColumns') and scans its rows.
func (c conn) queryRevisions(ctx context.Context, query string, args ...any) ([]vigie.Revision, error) {
	rows, err := c.q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []vigie.Revision
	for rows.Next() {
		rev, err := scanRevision(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, rev)
	}
	return out, rows.Err()
}

func (c conn) revisions(ctx context.Context, where string, args ...any) ([]vigie.Revision, error) {
	out, err := c.revisionRows(ctx, where, args...)
	if err != nil || len(out) == 0 {
		return out, err
	}
	cond := where
	if i := strings.Index(cond, " ORDER BY"); i >= 0 {
		cond = cond[:i]
	}
	cites, err := c.citations(ctx, `SELECT r.id FROM revisions r WHERE `+cond, args...)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Content.Citations = cites[out[i].ID]
	}
	return out, nil
}

// LatestRevision is the newest revision of an assessment in any state; its
// Number is 0 when the assessment was never written.
func (c conn) LatestRevision(ctx context.Context, country, indicator string) (vigie.Revision, error) {
	if err := c.checkAssessmentKey(ctx, country, indicator); err != nil {
		return vigie.Revision{}, err
	}
	revs, err := c.revisions(ctx, `r.country = ? AND r.indicator = ? ORDER BY r.number DESC LIMIT 1`, country, indicator)
	if err != nil || len(revs) == 0 {
		return vigie.Revision{Content: vigie.Unassessed(country, indicator)}, err
	}
	return revs[0], nil
}

func (c conn) Revision(ctx context.Context, country, indicator string, number int) (vigie.Revision, error) {
	revs, err := c.revisions(ctx, `r.country = ? AND r.indicator = ? AND r.number = ?`, country, indicator, number)
	if err != nil {
		return vigie.Revision{}, err
	}
	if len(revs) == 0 {
		return vigie.Revision{}, notFound("no revision %d of %s/%s", number, country, indicator)
	}
	return revs[0], nil
}

func (c conn) RevisionsInState(ctx context.Context, state string) ([]vigie.Revision, error) {
	return c.revisions(ctx, `r.state = ? ORDER BY r.created_at, r.id`, state)
}

func (c conn) Sources(ctx context.Context) ([]vigie.Source, error) {
	return c.sources(ctx, "")
}

// sources reads the sources that where (an SQL condition, or "" for all)
// keeps, in the library's order.
func (c conn) sources(ctx context.Context, where string) ([]vigie.Source, error) {
	if where != "" {
		where = "WHERE " + where
	}
	rows, err := c.q.QueryContext(ctx, `SELECT id, kind, title, identifier, publisher, year, status_as_of, link
		FROM sources `+where+` ORDER BY title_key, year, status_as_of`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []vigie.Source
	for rows.Next() {
		var s vigie.Source
		if err := rows.Scan(&s.ID, &s.Kind, &s.Title, &s.Identifier, &s.Publisher, &s.Year, &s.StatusAsOf, &s.Link); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

func (c conn) Organisations(ctx context.Context, f vigie.OrganisationFilter) ([]vigie.Organisation, error) {
	return c.organisations(ctx, f, nil)
}

func (c conn) OrganisationsBySlug(ctx context.Context, slugs []string) ([]vigie.Organisation, error) {
	return c.organisations(ctx, vigie.OrganisationFilter{}, nonNil(slugs))
}

// nonNil is slugs, empty rather than nil: a list of no slugs reads nothing.
func nonNil(slugs []string) []string {
	if slugs == nil {
		return []string{}
	}
	return slugs
}

// organisations lists what f selects, only the organisations with one of
// slugs when slugs is not nil.
func (c conn) organisations(ctx context.Context, f vigie.OrganisationFilter, slugs []string) ([]vigie.Organisation, error) {
	// The filter is written only when set, so that a country's read uses
	// the (country, name) index instead of a pass over every organisation.
	where, args := "", []any{}
	if f.Country != "" {
		where, args = " WHERE o.country = ?", []any{f.Country}
	}
	if slugs != nil {
		bySlugs := "o.slug IN (SELECT value FROM json_each(?))"
		if where == "" {
			where = " WHERE " + bySlugs
		} else {
			where += " AND " + bySlugs
		}
		args = append(args, toJSON(slugs))
	}
	// A page starts after the key, through the (country, name) index.
	listWhere, listArgs := where, args
	cmp, order := ">", " ORDER BY country, name"
	if f.Backward {
		cmp, order = "<", " ORDER BY country DESC, name DESC"
	}
	switch {
	case f.After.Name != "" && f.Country != "" && f.After.Country == f.Country:
		// Within the country: the name bound is a range of the index.
		listWhere = where + " AND o.name " + cmp + " ?"
		listArgs = append(slices.Clone(args), f.After.Name)
	case f.After.Name != "":
		listWhere = " WHERE (o.country, o.name) " + cmp + " (?, ?)"
		if where != "" {
			listWhere = where + " AND (o.country, o.name) " + cmp + " (?, ?)"
		}
		listArgs = append(slices.Clone(args), f.After.Country, f.After.Name)
	}
	limit := ""
	if f.Limit > 0 {
		limit = " LIMIT " + strconv.Itoa(f.Limit)
	}
	rows, err := c.q.QueryContext(ctx, `SELECT id, slug, country, name, acronym, description, founded,
		office_city, regions, areas_of_work, website FROM organisations o`+listWhere+order+limit, listArgs...)
	if err != nil {
		return nil, err
	}
	var out []vigie.Organisation
	for rows.Next() {
		var o vigie.Organisation
		var founded, regions, areas string
		if err := rows.Scan(&o.ID, &o.Slug, &o.Country, &o.Name, &o.Acronym, &o.Description, &founded,
			&o.OfficeCity, &regions, &areas, &o.Website); err != nil {
			rows.Close()
			return nil, err
		}
		o.Founded, _ = vigie.ParseAsOf(founded)
		o.Regions = jsonStrings(regions)
		o.AreasOfWork = jsonStrings(areas)
		out = append(out, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if f.Limit > 0 || f.After.Name != "" || slugs != nil { // the contacts of the organisations read, no others
		ids := make([]string, len(out))
		for i, o := range out {
			ids[i] = strconv.FormatInt(o.ID, 10)
		}
		// Bound, not written into the SQL: one statement for every page.
		where, args = " WHERE c.organisation_id IN (SELECT value FROM json_each(?))", []any{"[" + strings.Join(ids, ",") + "]"}
	}
	crows, err := c.q.QueryContext(ctx, `SELECT c.organisation_id, c.name, c.title, c.phone, c.email, c.address
		FROM contacts c JOIN organisations o ON o.id = c.organisation_id`+where+`
		ORDER BY c.organisation_id, c.position`, args...)
	if err != nil {
		return nil, err
	}
	defer crows.Close()
	byID := map[int64]*vigie.Organisation{}
	for i := range out {
		byID[out[i].ID] = &out[i]
	}
	for crows.Next() {
		var id int64
		var ct vigie.Contact
		if err := crows.Scan(&id, &ct.Name, &ct.Title, &ct.Phone, &ct.Email, &ct.Address); err != nil {
			return nil, err
		}
		if o := byID[id]; o != nil {
			o.Contacts = append(o.Contacts, ct)
		}
	}
	return out, crows.Err()
}

func (c conn) Publications(ctx context.Context, f vigie.PublicationFilter) ([]vigie.Publication, error) {
	return c.publications(ctx, f, "", nil)
}

func (c conn) PublicationsBySlug(ctx context.Context, slugs []string) ([]vigie.Publication, error) {
	return c.publications(ctx, vigie.PublicationFilter{}, "", nonNil(slugs))
}

// publications lists what f selects, only the publication with slug when
// slug is set, and only those with one of slugs when slugs is not nil.
// The region filter arrives as a JSON array of country codes (empty for
// no filter), since the database does not know the regions.
func (c conn) publications(ctx context.Context, f vigie.PublicationFilter, slug string, slugs []string) ([]vigie.Publication, error) {
	region := ""
	if f.Region != "" {
		region = toJSON(vigie.RegionCountries(f.Region))
	}
	// A country's publications are found through its index (0013).
	byCountry := "1"
	if f.Country != "" {
		byCountry = "p.id IN (SELECT publication_id FROM publication_countries WHERE country = ?1)"
	}
	// A page starts after the key: the year bound seeks in the
	// (year DESC, title, id) index (0016), the rest walks within the year.
	after, limit, order := "", "", " ORDER BY p.year DESC, p.title, p.id"
	switch {
	case f.After.ID != 0 && f.Backward:
		after = ` AND p.year >= ?6 AND (p.year > ?6 OR p.title < ?7 OR (p.title = ?7 AND p.id < ?8))`
		order = " ORDER BY p.year, p.title DESC, p.id DESC"
	case f.After.ID != 0:
		after = ` AND p.year <= ?6 AND (p.year < ?6 OR p.title > ?7 OR (p.title = ?7 AND p.id > ?8))`
	}
	if f.Limit > 0 {
		limit = " LIMIT " + strconv.Itoa(f.Limit)
	}
	bySlugs := ""
	if slugs != nil {
		bySlugs = " AND p.slug IN (SELECT value FROM json_each(?9))"
	}
	rows, err := c.q.QueryContext(ctx, `SELECT p.id, p.slug, p.title, p.type, p.year, p.publishers, p.link, p.language,
		p.file_hash, p.file_size,
		(SELECT coalesce(json_group_array(country), '[]') FROM
			(SELECT country FROM publication_countries WHERE publication_id = p.id ORDER BY country))
		FROM publications p
		WHERE `+byCountry+`
		AND (?2 = '' OR p.type = ?2) AND (?3 = 0 OR p.year = ?3)
		AND (?4 = '' OR EXISTS (SELECT 1 FROM publication_countries pc WHERE pc.publication_id = p.id
			AND pc.country IN (SELECT value FROM json_each(?4))))
		AND (?5 = '' OR p.slug = ?5)`+bySlugs+after+order+limit, f.Country, f.Type, f.Year, region, slug,
		f.After.Year, f.After.Title, f.After.ID, toJSON(slugs))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []vigie.Publication
	for rows.Next() {
		var p vigie.Publication
		var publishers, countries string
		if err := rows.Scan(&p.ID, &p.Slug, &p.Title, &p.Type, &p.Year, &publishers, &p.Link, &p.Language,
			&p.File.Hash, &p.File.Size, &countries); err != nil {
			return nil, err
		}
		p.Publishers = jsonStrings(publishers)
		p.Countries = jsonStrings(countries)
		out = append(out, p)
	}
	return out, rows.Err()
}

const newsColumns = `n.id, n.slug, n.title, n.date, n.summary, n.body,
	(SELECT coalesce(json_group_array(country), '[]') FROM
		(SELECT country FROM news_countries WHERE news_id = n.id ORDER BY country))`

func scanNews(row interface{ Scan(...any) error }) (vigie.NewsItem, error) {
	var n vigie.NewsItem
	var date, countries string
	if err := row.Scan(&n.ID, &n.Slug, &n.Title, &date, &n.Summary, &n.Body, &countries); err != nil {
		return n, err
	}
	n.Date, _ = time.Parse(time.DateOnly, date)
	n.Countries = jsonStrings(countries)
	return n, nil
}

func (c conn) NewsItems(ctx context.Context, f vigie.NewsFilter) ([]vigie.NewsItem, error) {
	return c.newsItems(ctx, f, nil)
}

func (c conn) NewsItemsBySlug(ctx context.Context, slugs []string) ([]vigie.NewsItem, error) {
	return c.newsItems(ctx, vigie.NewsFilter{}, nonNil(slugs))
}

// newsItems lists what f selects, only the items with one of slugs when
// slugs is not nil.
func (c conn) newsItems(ctx context.Context, f vigie.NewsFilter, slugs []string) ([]vigie.NewsItem, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = -1
	}
	// The whole newsroom starts from the newest item; a country's news
	// from its newest tag (news_countries_by_date), so that either stops
	// after the items asked for.
	// A page starts after the key (keyset paging), through the same indexes.
	after, tagAfter, dir := "", "", "DESC"
	switch {
	case f.After.ID != 0 && f.Backward:
		after, tagAfter, dir = " AND (n.date, n.id) > (?4, ?5)", " AND (nc.date, nc.news_id) > (?4, ?5)", "ASC"
	case f.After.ID != 0:
		after, tagAfter = " AND (n.date, n.id) < (?4, ?5)", " AND (nc.date, nc.news_id) < (?4, ?5)"
	}
	if slugs != nil {
		after += " AND n.slug IN (SELECT value FROM json_each(?6))"
		tagAfter += " AND n.slug IN (SELECT value FROM json_each(?6))"
	}
	query := `SELECT ` + newsColumns + ` FROM news n WHERE ?1 = ''` + after + `
		ORDER BY n.date ` + dir + `, n.id ` + dir + ` LIMIT ?2 OFFSET ?3`
	if f.Country != "" {
		query = `SELECT ` + newsColumns + ` FROM news_countries nc JOIN news n ON n.id = nc.news_id
		WHERE nc.country = ?1` + tagAfter + ` ORDER BY nc.date ` + dir + `, nc.news_id ` + dir + ` LIMIT ?2 OFFSET ?3`
	}
	rows, err := c.q.QueryContext(ctx, query, f.Country, limit, max(f.Offset, 0), f.After.Date.Format(time.DateOnly), f.After.ID,
		toJSON(slugs))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []vigie.NewsItem
	for rows.Next() {
		n, err := scanNews(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

func (c conn) NewsItem(ctx context.Context, slug string) (vigie.NewsItem, error) {
	n, err := scanNews(c.q.QueryRowContext(ctx, `SELECT `+newsColumns+` FROM news n WHERE n.slug = ?`, slug))
	if isNoRows(err) {
		return n, notFound("no news item %q", slug)
	}
	return n, err
}

func (c conn) FeaturedStory(ctx context.Context) (vigie.NewsItem, error) {
	n, err := scanNews(c.q.QueryRowContext(ctx, `SELECT `+newsColumns+` FROM news n
		JOIN settings s ON s.key = 'featured_story' AND s.value = n.slug`))
	if isNoRows(err) {
		return n, notFound("no featured story")
	}
	return n, err
}

func (c conn) DataVersion(ctx context.Context) (int64, error) {
	var v int64
	err := c.q.QueryRowContext(ctx, `SELECT version FROM data_version WHERE id = 1`).Scan(&v)
	return v, err
}

func parseTime(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

func jsonStrings(s string) []string {
	var out []string
	if err := json.Unmarshal([]byte(s), &out); err != nil || len(out) == 0 {
		return nil
	}
	return out
}

func toJSON(list []string) string {
	if len(list) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(list)
	return string(b)
}

func fold(s string) string { return vigie.Fold(strings.TrimSpace(s)) }

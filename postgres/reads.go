package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	vigie "github.com/vigie-network/vigie"
)

func (c conn) Indicators(ctx context.Context) ([]vigie.Indicator, error) {
	rows, err := c.q.Query(ctx, `SELECT key, name, rationale, value_kind, position FROM indicators ORDER BY position, key`)
	return collect(rows, err, func(r pgx.Row) (vigie.Indicator, error) {
		var ind vigie.Indicator
		var kind string
		err := r.Scan(&ind.Key, &ind.Name, &ind.Rationale, &kind, &ind.Position)
		ind.ValueKind = vigie.ValueKind(kind)
		return ind, err
	})
}

func (c conn) Ratings(ctx context.Context) ([]vigie.Rating, error) {
	rows, err := c.q.Query(ctx, `SELECT key, label, meaning, assessed, position FROM ratings ORDER BY position, key`)
	return collect(rows, err, func(r pgx.Row) (vigie.Rating, error) {
		var x vigie.Rating
		err := r.Scan(&x.Key, &x.Label, &x.Meaning, &x.Assessed, &x.Position)
		return x, err
	})
}

const revisionColumns = `r.id, r.number, r.base, r.state, coalesce(r.author_id, 0), r.author, r.reason,
	r.created_at, r.created_ns, r.published_at, r.published_ns, coalesce(r.reviewer_id, 0), r.reviewer, r.review_comment,
	r.country, r.indicator, r.rating, r.value, r.explanation, r.as_of`

// ratingColumns are revisionColumns without the explanation, for readers
// of ratings only (RatingsOnly): the text is most of a revision's bytes.
var ratingColumns = strings.Replace(revisionColumns, "r.explanation", "''", 1)

// currentRatingColumns are ratingColumns read from the copy each
// assessment keeps of its published revision's rating (migration 0008);
// the publication time stands for the creation time, which readers of
// ratings do not read.
const currentRatingColumns = `a.published_revision, a.current_number, 0, 'published', 0, '', '',
	a.current_published_at, a.current_published_ns, a.current_published_at, a.current_published_ns, 0, '', '',
	a.country, a.indicator, a.current_rating, a.current_value, '', a.current_as_of`

func scanRevision(row pgx.Row) (vigie.Revision, error) {
	var rev vigie.Revision
	var created time.Time
	var published *time.Time
	var createdNs, publishedNs int
	var asOf string
	a := &rev.Content
	err := row.Scan(&rev.ID, &rev.Number, &rev.Base, &rev.State, &rev.AuthorID, &rev.Author, &rev.Reason,
		&created, &createdNs, &published, &publishedNs, &rev.ReviewerID, &rev.Reviewer, &rev.ReviewComment,
		&a.Country, &a.Indicator, &a.Rating, &a.Value, &a.Explanation, &asOf)
	if err != nil {
		return rev, err
	}
	rev.CreatedAt = joinTime(&created, createdNs)
	rev.PublishedAt = joinTime(published, publishedNs)
	a.AsOf, _ = vigie.ParseAsOf(asOf)
	a.Revision = rev.Number
	a.UpdatedAt = rev.CreatedAt
	if !rev.PublishedAt.IsZero() {
		a.UpdatedAt = rev.PublishedAt
	}
	return rev, nil
}

// withCitations loads the citations of revs, in their order.
func (c conn) withCitations(ctx context.Context, revs []vigie.Revision) ([]vigie.Revision, error) {
	if len(revs) == 0 {
		return revs, nil
	}
	ids := make([]int64, len(revs))
	for i, r := range revs {
		ids[i] = r.ID
	}
	type cited struct {
		revision int64
		vigie.Citation
	}
	rows, err := c.q.Query(ctx, `SELECT rc.revision_id, rc.articles,
		s.id, s.kind, s.title, s.identifier, s.publisher, s.year, s.status_as_of, s.link
		FROM revision_citations rc JOIN sources s ON s.id = rc.source_id
		WHERE rc.revision_id = ANY($1) ORDER BY rc.revision_id, rc.position`, ids)
	list, err := collect(rows, err, func(r pgx.Row) (cited, error) {
		var ct cited
		s := &ct.Source
		err := r.Scan(&ct.revision, &ct.Articles, &s.ID, &s.Kind, &s.Title, &s.Identifier, &s.Publisher, &s.Year, &s.StatusAsOf, &s.Link)
		return ct, err
	})
	if err != nil {
		return nil, err
	}
	byID := map[int64][]vigie.Citation{}
	for _, ct := range list {
		byID[ct.revision] = append(byID[ct.revision], ct.Citation)
	}
	for i := range revs {
		revs[i].Content.Citations = byID[revs[i].ID]
	}
	return revs, nil
}

func (c conn) checkAssessmentKey(ctx context.Context, country, indicator string) error {
	var hasCountry, hasIndicator bool
	if err := c.q.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM countries WHERE iso2 = $1),
		EXISTS (SELECT 1 FROM indicators WHERE key = $2)`, country, indicator).Scan(&hasCountry, &hasIndicator); err != nil {
		return err
	}
	if !hasCountry {
		return notFound("unknown country %q", country)
	}
	if !hasIndicator {
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
	const where = `JOIN indicators i ON i.key = a.indicator
		WHERE ($1::text = '' OR a.country = $1) AND ($2::text = '' OR a.indicator = $2)
		ORDER BY a.country, i.position`
	var revs []vigie.Revision
	var err error
	if f.RatingsOnly {
		rows, qerr := c.q.Query(ctx, `SELECT `+currentRatingColumns+` FROM assessments a `+where, f.Country, f.Indicator)
		revs, err = collect(rows, qerr, scanRevision)
	} else {
		revs, err = c.revisions(ctx, `JOIN assessments a ON a.published_revision = r.id `+where, f.Country, f.Indicator)
	}
	return vigie.Contents(revs), err
}

func (c conn) Revisions(ctx context.Context, country, indicator string) ([]vigie.Revision, error) {
	if err := c.checkAssessmentKey(ctx, country, indicator); err != nil {
		return nil, err
	}
	return c.revisions(ctx, `WHERE r.country = $1 AND r.indicator = $2 ORDER BY r.number DESC`, country, indicator)
}

func (c conn) PublishedHistory(ctx context.Context, country, indicator string, offset, limit int) ([]vigie.Revision, int, error) {
	if err := c.checkAssessmentKey(ctx, country, indicator); err != nil {
		return nil, 0, err
	}
	var total int
	if err := c.q.QueryRow(ctx, `SELECT count(*) FROM revisions
		WHERE country = $1 AND indicator = $2 AND state = 'published'`, country, indicator).Scan(&total); err != nil {
		return nil, 0, err
	}
	revs, err := c.revisions(ctx, `WHERE r.country = $1 AND r.indicator = $2 AND r.state = 'published'
		ORDER BY r.published_at DESC, r.published_ns DESC, r.number DESC LIMIT $3 OFFSET $4`, country, indicator, limit, offset)
	return revs, total, err
}

func (c conn) PublishedPosition(ctx context.Context, country, indicator string, number int) (int, bool, error) {
	var position int
	err := c.q.QueryRow(ctx, `SELECT (SELECT count(*) FROM revisions p
			WHERE p.country = n.country AND p.indicator = n.indicator AND p.state = 'published'
				AND (p.published_at, p.published_ns, p.number) > (n.published_at, n.published_ns, n.number))
		FROM revisions n WHERE n.country = $1 AND n.indicator = $2 AND n.number = $3 AND n.state = 'published'`,
		country, indicator, number).Scan(&position)
	if isNoRows(err) {
		return 0, false, nil
	}
	return position, err == nil, err
}

// revisions loads the revisions that rest (joins, WHERE and ORDER BY on
// revisions r) selects, with their citations.
func (c conn) revisions(ctx context.Context, rest string, args ...any) ([]vigie.Revision, error) {
	rows, err := c.q.Query(ctx, `SELECT `+revisionColumns+` FROM revisions r `+rest, args...)
	revs, err := collect(rows, err, scanRevision)
	if err != nil {
		return nil, err
	}
	return c.withCitations(ctx, revs)
}

// ratingRevisions is revisions without explanations or citations.
func (c conn) ratingRevisions(ctx context.Context, rest string, args ...any) ([]vigie.Revision, error) {
	rows, err := c.q.Query(ctx, `SELECT `+ratingColumns+` FROM revisions r `+rest, args...)
	return collect(rows, err, scanRevision)
}

// LatestRevision is the newest revision of an assessment in any state; its
// Number is 0 when the assessment was never written.
func (c conn) LatestRevision(ctx context.Context, country, indicator string) (vigie.Revision, error) {
	if err := c.checkAssessmentKey(ctx, country, indicator); err != nil {
		return vigie.Revision{}, err
	}
	revs, err := c.revisions(ctx, `WHERE r.country = $1 AND r.indicator = $2 ORDER BY r.number DESC LIMIT 1`, country, indicator)
	if err != nil || len(revs) == 0 {
		return vigie.Revision{Content: vigie.Unassessed(country, indicator)}, err
	}
	return revs[0], nil
}

func (c conn) Revision(ctx context.Context, country, indicator string, number int) (vigie.Revision, error) {
	revs, err := c.revisions(ctx, `WHERE r.country = $1 AND r.indicator = $2 AND r.number = $3`, country, indicator, number)
	if err != nil {
		return vigie.Revision{}, err
	}
	if len(revs) == 0 {
		return vigie.Revision{}, notFound("no revision %d of %s/%s", number, country, indicator)
	}
	return revs[0], nil
}

func (c conn) RevisionsInState(ctx context.Context, state string) ([]vigie.Revision, error) {
	return c.revisions(ctx, `WHERE r.state = $1 ORDER BY r.created_at, r.id`, state)
}

func (c conn) Sources(ctx context.Context) ([]vigie.Source, error) {
	return c.sources(ctx, "")
}

// sources reads the sources that where (an SQL condition on $1, or "" for
// all) keeps, in the library's order.
func (c conn) sources(ctx context.Context, where string, args ...any) ([]vigie.Source, error) {
	if where != "" {
		where = "WHERE " + where
	}
	rows, err := c.q.Query(ctx, `SELECT id, kind, title, identifier, publisher, year, status_as_of, link
		FROM sources `+where+` ORDER BY title_key, year, status_as_of`, args...)
	return collect(rows, err, func(r pgx.Row) (vigie.Source, error) {
		var s vigie.Source
		err := r.Scan(&s.ID, &s.Kind, &s.Title, &s.Identifier, &s.Publisher, &s.Year, &s.StatusAsOf, &s.Link)
		return s, err
	})
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
	// A page starts after the key, through the (country, name) index; the
	// condition is written only then, so that the planner sees it.
	after, order, args := "", " ORDER BY country, name", []any{f.Country, f.Limit}
	op := ">"
	if f.Backward {
		op, order = "<", " ORDER BY country DESC, name DESC"
	}
	if f.After.Name != "" {
		after = " AND (country, name) " + op + " ($3, $4)"
		args = append(args, f.After.Country, f.After.Name)
	}
	if slugs != nil {
		args = append(args, slugs)
		after += fmt.Sprintf(" AND slug = ANY($%d)", len(args))
	}
	rows, err := c.q.Query(ctx, `SELECT id, slug, country, name, acronym, description, founded,
		office_city, regions, areas_of_work, website FROM organisations
		WHERE ($1::text = '' OR country = $1)`+after+order+`
		LIMIT CASE WHEN $2::integer > 0 THEN $2::integer END`, args...)
	out, err := collect(rows, err, func(r pgx.Row) (vigie.Organisation, error) {
		var o vigie.Organisation
		var founded string
		err := r.Scan(&o.ID, &o.Slug, &o.Country, &o.Name, &o.Acronym, &o.Description, &founded,
			&o.OfficeCity, &o.Regions, &o.AreasOfWork, &o.Website)
		o.Founded, _ = vigie.ParseAsOf(founded)
		o.Regions, o.AreasOfWork = strs(o.Regions), strs(o.AreasOfWork)
		return o, err
	})
	if err != nil || len(out) == 0 {
		return out, err
	}
	type contact struct {
		org int64
		vigie.Contact
	}
	var ids []int64 // with a limit, the contacts of the organisations read only
	if f.Limit > 0 || f.After.Name != "" || slugs != nil {
		for _, o := range out {
			ids = append(ids, o.ID)
		}
	}
	rows, err = c.q.Query(ctx, `SELECT c.organisation_id, c.name, c.title, c.phone, c.email, c.address
		FROM contacts c JOIN organisations o ON o.id = c.organisation_id
		WHERE ($1::text = '' OR o.country = $1) AND ($2::bigint[] IS NULL OR c.organisation_id = ANY($2))
		ORDER BY c.organisation_id, c.position`, f.Country, ids)
	contacts, err := collect(rows, err, func(r pgx.Row) (contact, error) {
		var ct contact
		err := r.Scan(&ct.org, &ct.Name, &ct.Title, &ct.Phone, &ct.Email, &ct.Address)
		return ct, err
	})
	if err != nil {
		return nil, err
	}
	byID := map[int64]*vigie.Organisation{}
	for i := range out {
		byID[out[i].ID] = &out[i]
	}
	for _, ct := range contacts {
		if o := byID[ct.org]; o != nil {
			o.Contacts = append(o.Contacts, ct.Contact)
		}
	}
	return out, nil
}

func (c conn) Publications(ctx context.Context, f vigie.PublicationFilter) ([]vigie.Publication, error) {
	return c.publications(ctx, f, "", nil)
}

func (c conn) PublicationsBySlug(ctx context.Context, slugs []string) ([]vigie.Publication, error) {
	return c.publications(ctx, vigie.PublicationFilter{}, "", nonNil(slugs))
}

// publications lists what f selects, or only the publication with slug
// when slug is set. The region filter arrives as the list of its
// countries (empty for an unknown code), since the database does not know
// the regions.
func (c conn) publications(ctx context.Context, f vigie.PublicationFilter, slug string, slugs []string) ([]vigie.Publication, error) {
	var region any // NULL: any region
	if f.Region != "" {
		region = list(vigie.RegionCountries(f.Region))
	}
	// A page starts after the key: the year bound seeks in the
	// (year DESC, title, id) index (0010), the rest walks within the year.
	after, order, args := "", " ORDER BY p.year DESC, p.title, p.id", []any{f.Country, f.Type, f.Year, region, slug, f.Limit, slugs}
	switch {
	case f.After.ID != 0 && f.Backward:
		after = ` AND p.year >= $8 AND (p.year > $8 OR p.title < $9 OR (p.title = $9 AND p.id < $10))`
		order = " ORDER BY p.year, p.title DESC, p.id DESC"
		args = append(args, f.After.Year, f.After.Title, f.After.ID)
	case f.After.ID != 0:
		after = ` AND p.year <= $8 AND (p.year < $8 OR p.title > $9 OR (p.title = $9 AND p.id > $10))`
		args = append(args, f.After.Year, f.After.Title, f.After.ID)
	}
	rows, err := c.q.Query(ctx, `SELECT p.id, p.slug, p.title, p.type, p.year, p.publishers, p.link, p.language,
		p.file_hash, p.file_size,
		array(SELECT country FROM publication_countries WHERE publication_id = p.id ORDER BY country)
		FROM publications p
		WHERE ($1::text = '' OR EXISTS (SELECT 1 FROM publication_countries pc WHERE pc.publication_id = p.id AND pc.country = $1))
		AND ($2::text = '' OR p.type = $2) AND ($3::integer = 0 OR p.year = $3)
		AND ($4::text[] IS NULL OR EXISTS (SELECT 1 FROM publication_countries pc WHERE pc.publication_id = p.id
			AND pc.country = ANY($4)))
		AND ($5::text = '' OR p.slug = $5) AND ($7::text[] IS NULL OR p.slug = ANY($7))`+after+order+`
		LIMIT CASE WHEN $6::integer > 0 THEN $6::integer END`, args...)
	return collect(rows, err, func(r pgx.Row) (vigie.Publication, error) {
		var p vigie.Publication
		err := r.Scan(&p.ID, &p.Slug, &p.Title, &p.Type, &p.Year, &p.Publishers, &p.Link, &p.Language,
			&p.File.Hash, &p.File.Size, &p.Countries)
		p.Publishers, p.Countries = strs(p.Publishers), strs(p.Countries)
		return p, err
	})
}

const newsColumns = `n.id, n.slug, n.title, n.date, n.summary, n.body,
	array(SELECT country FROM news_countries WHERE news_id = n.id ORDER BY country)`

func scanNews(row pgx.Row) (vigie.NewsItem, error) {
	var n vigie.NewsItem
	err := row.Scan(&n.ID, &n.Slug, &n.Title, &n.Date, &n.Summary, &n.Body, &n.Countries)
	n.Date = n.Date.UTC()
	n.Countries = strs(n.Countries)
	return n, err
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
	var limit any // NULL: no limit
	if f.Limit > 0 {
		limit = f.Limit
	}
	// The whole newsroom starts from the newest item; a country's news
	// from its newest tag (news_countries_by_date), so that either stops
	// after the items asked for. A page starts after the key (keyset
	// paging), through the same indexes.
	after, tagAfter, dir := "", "", "DESC"
	args := []any{f.Country, limit, max(f.Offset, 0)}
	if f.After.ID != 0 {
		op := "<"
		if f.Backward {
			op, dir = ">", "ASC"
		}
		after = " AND (n.date, n.id) " + op + " ($4::date, $5::bigint)"
		tagAfter = " AND (nc.date, nc.news_id) " + op + " ($4::date, $5::bigint)"
		args = append(args, f.After.Date, f.After.ID)
	}
	if slugs != nil {
		args = append(args, slugs)
		bySlugs := fmt.Sprintf(" AND n.slug = ANY($%d)", len(args))
		after += bySlugs
		tagAfter += bySlugs
	}
	query := `SELECT ` + newsColumns + ` FROM news n WHERE $1::text = ''` + after + `
		ORDER BY n.date ` + dir + `, n.id ` + dir + ` LIMIT $2 OFFSET $3`
	if f.Country != "" {
		query = `SELECT ` + newsColumns + ` FROM news_countries nc JOIN news n ON n.id = nc.news_id
		WHERE nc.country = $1` + tagAfter + ` ORDER BY nc.date ` + dir + `, nc.news_id ` + dir + ` LIMIT $2 OFFSET $3`
	}
	rows, err := c.q.Query(ctx, query, args...)
	return collect(rows, err, scanNews)
}

func (c conn) NewsItem(ctx context.Context, slug string) (vigie.NewsItem, error) {
	n, err := scanNews(c.q.QueryRow(ctx, `SELECT `+newsColumns+` FROM news n WHERE n.slug = $1`, slug))
	if isNoRows(err) {
		return n, notFound("no news item %q", slug)
	}
	return n, err
}

func (c conn) FeaturedStory(ctx context.Context) (vigie.NewsItem, error) {
	n, err := scanNews(c.q.QueryRow(ctx, `SELECT `+newsColumns+` FROM news n
		JOIN settings s ON s.key = 'featured_story' AND s.value = n.slug`))
	if isNoRows(err) {
		return n, notFound("no featured story")
	}
	return n, err
}

func (c conn) DataVersion(ctx context.Context) (int64, error) {
	var v int64
	err := c.q.QueryRow(ctx, `SELECT version FROM data_version WHERE id = 1`).Scan(&v)
	return v, err
}

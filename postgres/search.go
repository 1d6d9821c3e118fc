package postgres

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	vigie "github.com/vigie-network/vigie"
)

// Full-text search runs on a tsvector column with a GIN index. search_docs
// holds one row per public document: what hits show, and the document's
// words. Go splits and folds the words (vigie.Fold, the rules of
// vigie.SearchTerms) and writes the tsvector itself, with positions and a
// weight per field, so that a document and a query always fold the same
// way, whatever text-search configurations the server has. PostgreSQL
// matches the prefixes (tsquery 'term':*) and ranks with ts_rank. Every
// write that changes what a document says rewrites its row in the same
// transaction, so the index is never behind the data.

// searchDoc is one document as the index holds it.
type searchDoc struct {
	kind                  vigie.SearchKind
	ref                   string // "ML/age-of-consent" for assessments, else the row's id
	slug, title, link     string
	body                  string // searched and shown in snippets
	extra                 string // names and labels: searched, not shown
	countries, indicators []string
	date                  time.Time
}

// Weights: a match in the title counts ten times one in the text, a match
// among the names and labels four times. ts_rank takes them as {D, C, B, A}.
const searchWeights = `'{0.1, 0.1, 0.4, 1.0}'`

func (c conn) Search(ctx context.Context, q vigie.SearchQuery) ([]vigie.SearchHit, error) {
	terms := vigie.SearchTerms(q.Text)
	if len(terms) == 0 {
		return nil, nil
	}
	// Every term, as a word prefix. SearchTerms keeps letters, digits and
	// marks only, and quoteLexeme escapes anyway: no input is syntax.
	query := make([]string, len(terms))
	for i, t := range terms {
		query[i] = quoteLexeme(t) + ":*"
	}
	limit, offset := q.Bounds()
	// Only the latest q.Candidates() matches are ranked, not every match.
	rows, err := c.q.Query(ctx, `SELECT d.kind, d.ref, d.slug, d.title, d.countries, d.indicators, d.date, d.link, d.body
		FROM (SELECT d.id FROM search_docs d
			WHERE d.words @@ $1::tsquery
				AND ($2::text = '' OR d.kind = $2)
				AND ($3::text = '' OR $3 = ANY (d.countries))
				AND ($4::text = '' OR $4 = ANY (d.indicators))
			ORDER BY d.id DESC LIMIT $7) c
		JOIN search_docs d ON d.id = c.id
		ORDER BY ts_rank(`+searchWeights+`, d.words, $1::tsquery, 1) DESC, d.id
		LIMIT $5 OFFSET $6`,
		strings.Join(query, " & "), string(q.Kind), strings.ToUpper(q.Country), q.Indicator, limit, offset, q.Candidates())
	hits, err := collect(rows, err, func(r pgx.Row) (vigie.SearchHit, error) {
		var h vigie.SearchHit
		var ref, body string
		var date *time.Time
		err := r.Scan(&h.Kind, &ref, &h.Slug, &h.Title, &h.Countries, &h.Indicators, &date, &h.Link, &body)
		if h.Kind != vigie.SearchAssessment {
			h.ID, _ = strconv.ParseInt(ref, 10, 64)
		}
		h.Countries, h.Indicators = strs(h.Countries), strs(h.Indicators)
		h.Date = fromDB(date)
		h.Snippet = snippet(body, terms, snippetWords)
		return h, err
	})
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	return hits, nil
}

// index writes a document's row again: it deletes it, then inserts doc
// when the document is public (doc not nil).
func (c conn) index(ctx context.Context, kind vigie.SearchKind, ref string, doc *searchDoc) error {
	if _, err := c.q.Exec(ctx, `DELETE FROM search_docs WHERE kind = $1 AND ref = $2`, string(kind), ref); err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	if doc == nil {
		return nil
	}
	if _, err := c.q.Exec(ctx, `INSERT INTO search_docs (kind, ref, slug, title, body, countries, indicators, date, link, words)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::tsvector)`,
		string(kind), ref, doc.slug, doc.title, doc.body, list(doc.countries), list(doc.indicators), nullTime(doc.date),
		doc.link, doc.vector()); err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	return nil
}

// indexAssessment follows a newly published revision: the assessment's
// row, and the rows of every source its published revisions cited, since
// a source may have gained or lost the last public citation.
func (c conn) indexAssessment(ctx context.Context, country, indicator string) error {
	if err := c.indexAssessmentDoc(ctx, country, indicator); err != nil {
		return err
	}
	rows, err := c.q.Query(ctx, `SELECT DISTINCT rc.source_id FROM revision_citations rc
		JOIN revisions r ON r.id = rc.revision_id
		WHERE r.country = $1 AND r.indicator = $2 AND r.state = 'published'`, country, indicator)
	ids, err := collect(rows, err, func(r pgx.Row) (id int64, err error) { return id, r.Scan(&id) })
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := c.indexSource(ctx, id); err != nil {
			return err
		}
	}
	return nil
}

// indexAssessmentDoc indexes the assessment's own row.
func (c conn) indexAssessmentDoc(ctx context.Context, country, indicator string) error {
	ref := country + "/" + indicator
	doc := &searchDoc{ref: ref, extra: countryNames(country), countries: []string{country}, indicators: []string{indicator}}
	var explanation string
	var published *time.Time
	var publishedNs int
	err := c.q.QueryRow(ctx, `SELECT i.name, r.explanation, r.published_at, r.published_ns
		FROM assessments a JOIN revisions r ON r.id = a.published_revision JOIN indicators i ON i.key = a.indicator
		WHERE a.country = $1 AND a.indicator = $2`, country, indicator).Scan(&doc.title, &explanation, &published, &publishedNs)
	if isNoRows(err) || strings.TrimSpace(explanation) == "" {
		doc = nil
	} else if err != nil {
		return err
	} else {
		doc.body, doc.date = vigie.SearchText(explanation), joinTime(published, publishedNs)
	}
	return c.index(ctx, vigie.SearchAssessment, ref, doc)
}

// indexSource indexes a source while a published assessment cites it.
func (c conn) indexSource(ctx context.Context, id int64) error {
	doc := &searchDoc{ref: strconv.FormatInt(id, 10)}
	var identifier, publisher string
	var year, statusAsOf int
	err := c.q.QueryRow(ctx, `SELECT s.title, s.identifier, s.publisher, s.year, s.status_as_of, s.link,
		array(SELECT DISTINCT a.country FROM assessments a JOIN revision_citations rc ON rc.revision_id = a.published_revision
			WHERE rc.source_id = s.id ORDER BY 1),
		array(SELECT DISTINCT a.indicator FROM assessments a JOIN revision_citations rc ON rc.revision_id = a.published_revision
			WHERE rc.source_id = s.id ORDER BY 1)
		FROM sources s WHERE s.id = $1`, id).Scan(&doc.title, &identifier, &publisher, &year, &statusAsOf, &doc.link,
		&doc.countries, &doc.indicators)
	if err != nil && !isNoRows(err) {
		return err
	}
	if len(doc.countries) == 0 {
		return c.index(ctx, vigie.SearchSource, doc.ref, nil)
	}
	doc.body = joinNonEmpty(" · ", identifier, publisher, yearText(year), prefixed("status as of ", yearText(statusAsOf)))
	return c.index(ctx, vigie.SearchSource, doc.ref, doc)
}

func (c conn) indexPublication(ctx context.Context, id int64) error {
	doc := &searchDoc{ref: strconv.FormatInt(id, 10)}
	var publishers []string
	var year int
	var kind string
	err := c.q.QueryRow(ctx, `SELECT p.slug, p.title, p.publishers, p.year, p.type, p.link,
		array(SELECT country FROM publication_countries WHERE publication_id = p.id ORDER BY country)
		FROM publications p WHERE p.id = $1`, id).Scan(&doc.slug, &doc.title, &publishers, &year, &kind, &doc.link, &doc.countries)
	if isNoRows(err) {
		return c.index(ctx, vigie.SearchPublication, doc.ref, nil)
	}
	if err != nil {
		return err
	}
	doc.body = joinNonEmpty(" · ", strings.Join(publishers, ", "), yearText(year))
	doc.extra = kind
	if name, ok := vigie.PublicationTypeNames[kind]; ok {
		doc.extra = name
	}
	return c.index(ctx, vigie.SearchPublication, doc.ref, doc)
}

func (c conn) indexOrganisation(ctx context.Context, id int64) error {
	doc := &searchDoc{ref: strconv.FormatInt(id, 10)}
	var name, acronym, description, city, country string
	var regions, areas, contacts []string
	err := c.q.QueryRow(ctx, `SELECT o.slug, o.name, o.acronym, o.description, o.office_city, o.regions, o.areas_of_work,
		o.country, o.website,
		array(SELECT c.name || ' ' || c.title FROM contacts c WHERE c.organisation_id = o.id ORDER BY c.position)
		FROM organisations o WHERE o.id = $1`, id).Scan(&doc.slug, &name, &acronym, &description, &city, &regions, &areas,
		&country, &doc.link, &contacts)
	if isNoRows(err) {
		return c.index(ctx, vigie.SearchOrganisation, doc.ref, nil)
	}
	if err != nil {
		return err
	}
	doc.title = name + prefixed(" (", acronym)
	if acronym != "" {
		doc.title += ")"
	}
	doc.body = vigie.SearchText(description)
	doc.extra = joinNonEmpty(" ", city, strings.Join(regions, " "), strings.Join(areas, " "), strings.Join(contacts, " "))
	doc.countries = []string{country}
	return c.index(ctx, vigie.SearchOrganisation, doc.ref, doc)
}

func (c conn) indexNews(ctx context.Context, id int64) error {
	doc := &searchDoc{ref: strconv.FormatInt(id, 10)}
	var summary, body string
	err := c.q.QueryRow(ctx, `SELECT n.slug, n.title, n.summary, n.body, n.date,
		array(SELECT country FROM news_countries WHERE news_id = n.id ORDER BY country)
		FROM news n WHERE n.id = $1`, id).Scan(&doc.slug, &doc.title, &summary, &body, &doc.date, &doc.countries)
	if isNoRows(err) {
		return c.index(ctx, vigie.SearchNews, doc.ref, nil)
	}
	if err != nil {
		return err
	}
	doc.body = vigie.SearchText(joinNonEmpty("\n\n", summary, body))
	doc.date = doc.date.UTC()
	return c.index(ctx, vigie.SearchNews, doc.ref, doc)
}

// countryNames is the country's names in every language, so that "mali
// extradition" and "côte ivoire" find assessments.
func countryNames(iso2 string) string {
	c, ok := vigie.CountryByISO2(iso2)
	if !ok {
		return ""
	}
	names := []string{c.Names.EN}
	for _, n := range []string{c.Names.FR, c.Names.ES} {
		if n != "" && !strings.Contains(strings.Join(names, "\n"), n) {
			names = append(names, n)
		}
	}
	return strings.Join(names, " ")
}

func joinNonEmpty(sep string, parts ...string) string {
	var kept []string
	for _, p := range parts {
		if p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, sep)
}

func yearText(y int) string {
	if y == 0 {
		return ""
	}
	return strconv.Itoa(y)
}

// prefixed is prefix+s, or "" when s is.
func prefixed(prefix, s string) string {
	if s == "" {
		return ""
	}
	return prefix + s
}

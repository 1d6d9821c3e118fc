package sqlite

import (
	"context"
	"database/sql/driver"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	vigie "github.com/vigie-network/vigie"
	sqlite "modernc.org/sqlite"
)

// Full-text search runs on FTS5. search_docs holds one row per public
// document in the plain text that is searched and shown in snippets;
// search_fts indexes it (an external-content table that triggers keep in
// step, see migrations/0003_search.sql). Every write that changes what a
// document says rewrites its row in the same transaction, with the
// statements of indexSQL, so the index is never behind the data and a
// rolled-back write leaves no trace in it.
//
// The statements call three Go functions registered with the driver, so
// that the migration that indexes existing data and the writes that keep
// the index current share one definition of a document's text.
func init() {
	text := func(v driver.Value) string {
		switch v := v.(type) {
		case string:
			return v
		case []byte:
			return string(v)
		case nil:
			return ""
		}
		return fmt.Sprint(v)
	}
	for name, fn := range map[string]func(string) string{
		// vigie_fold(text): text folded for matching (vigie.Fold).
		"vigie_fold": fold,
		// vigie_search_text(markdown): the plain text of an explanation or story.
		"vigie_search_text": vigie.SearchText,
		// vigie_country_names(iso2): the country's names in every language, so
		// that "mali extradition" and "côte ivoire" find assessments.
		"vigie_country_names": countryNames,
		// vigie_publication_type(key): the readers' name of a publication type.
		"vigie_publication_type": func(key string) string {
			if name, ok := vigie.PublicationTypeNames[key]; ok {
				return name
			}
			return key
		},
	} {
		sqlite.MustRegisterFunction(name, &sqlite.FunctionImpl{NArgs: 1, Deterministic: true,
			Scalar: func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
				return fn(text(args[0])), nil
			}})
	}
}

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

// indexSQL builds each kind's rows of search_docs from the tables: insert
// ends in FROM, tables are what it reads, public picks the documents that
// are public, and key matches a table's row to k.value, the document's
// ref. writeDocs puts them together for a list of refs;
// migrations/0003_search.sql runs the same statements over every row;
// TestSearchMigrationMatchesWrites checks that the two agree.
var indexSQL = map[vigie.SearchKind]struct{ insert, tables, public, key string }{
	// Only the published revision of an assessment is public.
	vigie.SearchAssessment: {`INSERT INTO search_docs (kind, ref, title, body, extra, countries, indicators, date)
		SELECT 'assessment', a.country || '/' || a.indicator, i.name, vigie_search_text(r.explanation),
			vigie_country_names(a.country), a.country, a.indicator, r.published_at FROM`,
		`assessments a JOIN revisions r ON r.id = a.published_revision JOIN indicators i ON i.key = a.indicator`,
		`trim(r.explanation) != ''`,
		`a.country = substr(k.value, 1, instr(k.value, '/') - 1) AND a.indicator = substr(k.value, instr(k.value, '/') + 1)`},
	// A source has a row while a published assessment cites it: the
	// triggers of migration 0013 put it in with its first public citation
	// and take it out with its last (and repeat this statement).
	vigie.SearchSource: {`INSERT INTO search_docs (kind, ref, title, body, link)
		SELECT 'source', s.id, s.title,
			concat_ws(' · ', nullif(s.identifier, ''), nullif(s.publisher, ''), nullif(s.year, 0),
				'status as of ' || nullif(s.status_as_of, 0)),
			s.link FROM`,
		`sources s`,
		`EXISTS (SELECT 1 FROM public_citations pc WHERE pc.source_id = s.id)`,
		`s.id = k.value`},
	vigie.SearchPublication: {`INSERT INTO search_docs (kind, ref, slug, title, body, extra, countries, link)
		SELECT 'publication', p.id, p.slug, p.title,
			concat_ws(' · ', (SELECT group_concat(value, ', ') FROM json_each(p.publishers)), nullif(p.year, 0)),
			vigie_publication_type(p.type),
			coalesce((SELECT group_concat(country, ' ' ORDER BY country) FROM publication_countries WHERE publication_id = p.id), ''),
			p.link FROM`,
		`publications p`, `true`, `p.id = k.value`},
	vigie.SearchOrganisation: {`INSERT INTO search_docs (kind, ref, slug, title, body, extra, countries, link)
		SELECT 'organisation', o.id, o.slug, o.name || iif(o.acronym != '', ' (' || o.acronym || ')', ''),
			vigie_search_text(o.description),
			concat_ws(' ', nullif(o.office_city, ''),
				(SELECT group_concat(value, ' ') FROM json_each(o.regions)),
				(SELECT group_concat(value, ' ') FROM json_each(o.areas_of_work)),
				(SELECT group_concat(name || ' ' || title, ' ') FROM contacts WHERE organisation_id = o.id)),
			o.country, o.website FROM`,
		`organisations o`, `true`, `o.id = k.value`},
	vigie.SearchNews: {`INSERT INTO search_docs (kind, ref, slug, title, body, countries, date)
		SELECT 'news', n.id, n.slug, n.title, vigie_search_text(concat_ws(char(10, 10), nullif(n.summary, ''), n.body)),
			coalesce((SELECT group_concat(country, ' ' ORDER BY country) FROM news_countries WHERE news_id = n.id), ''),
			n.date FROM`,
		`news n`, `true`, `n.id = k.value`},
}

// index rewrites one document's row: in a transaction (Update) it queues
// the document, and the queue is written a batch at a time (searchQueue);
// outside one it writes the row now.
func (c conn) index(ctx context.Context, kind vigie.SearchKind, ref string) error {
	if c.search == nil {
		return c.writeDocs(ctx, kind, []string{ref})
	}
	c.search.docs = append(c.search.docs, searchDoc{kind, ref})
	if len(c.search.docs) < searchBatch {
		return nil
	}
	return c.flushSearch(ctx)
}

func (c conn) indexID(ctx context.Context, kind vigie.SearchKind, id int64) error {
	return c.index(ctx, kind, strconv.FormatInt(id, 10))
}

// indexAssessment follows a newly published revision. The sources it
// cites follow through public_citations' triggers.
func (c conn) indexAssessment(ctx context.Context, country, indicator string) error {
	return c.index(ctx, vigie.SearchAssessment, country+"/"+indicator)
}

// searchBatch is how many documents a transaction queues before it writes
// their rows.
const searchBatch = 1000

// searchQueue holds, in the order they changed, the documents a
// transaction changed and whose rows it has not rewritten yet. A row
// written alone costs FTS5 a segment of its own (it flushes its pending
// terms at every statement) and search_words a probe of its own
// (migration 0017): an import of 50,000 organisations spent most of its
// time there. Rewritten a batch at a time, a kind per statement, they
// cost one of each per batch.
//
// The queue is written before anything that reads the index or writes it
// another way: a search in the transaction, a write of assessments (whose
// triggers index the sources they cite, migration 0013), and the commit.
// The rows come out in the order of the changes, so a document's place
// among the others (the latest candidates of a search, ties in ranking)
// is the one it had when each row was written at once.
type searchQueue struct{ docs []searchDoc }

type searchDoc struct {
	kind vigie.SearchKind
	ref  string
}

// flushSearch writes the rows of the queued documents: a document queued
// twice counts at its last place, as when it was rewritten twice, and
// each run of one kind is written in one statement.
func (c conn) flushSearch(ctx context.Context) error {
	if c.search == nil || len(c.search.docs) == 0 {
		return nil
	}
	docs := c.search.docs
	c.search.docs = nil
	last := make(map[searchDoc]int, len(docs))
	for i, d := range docs {
		last[d] = i
	}
	var refs []string
	for i, d := range docs {
		if last[d] == i {
			refs = append(refs, d.ref)
		}
		if i+1 < len(docs) && docs[i+1].kind == d.kind {
			continue
		}
		if err := c.writeDocs(ctx, d.kind, refs); err != nil {
			return err
		}
		refs = refs[:0]
	}
	return nil
}

// writeDocs rewrites the rows of the documents of one kind refs names, in
// that order: it deletes them, then inserts again those that are public.
// Their words go into search_words in one probe of them all, the
// per-row trigger held off meanwhile (migration 0020).
func (c conn) writeDocs(ctx context.Context, kind vigie.SearchKind, refs []string) error {
	if len(refs) == 0 {
		return nil
	}
	keys := toJSON(refs)
	st := indexSQL[kind]
	type statement struct {
		sql  string
		args []any
	}
	write := []statement{
		{`DELETE FROM search_docs WHERE kind = ? AND ref IN (SELECT value FROM json_each(?))`, []any{string(kind), keys}},
		{st.insert + ` json_each(?) k CROSS JOIN ` + st.tables + ` WHERE ` + st.key + ` AND ` + st.public + ` ORDER BY k.key`, []any{keys}},
	}
	// Only in a transaction, so that the flag never outlives the write
	// that set it; outside one (no write is), each row probes its own.
	if c.search != nil {
		write = []statement{write[0],
			{`INSERT OR IGNORE INTO search_words_deferred VALUES (1)`, nil},
			write[1],
			{`INSERT INTO search_words_probe (rowid, title, body, extra)
				SELECT id, title, body, extra FROM search_docs WHERE kind = ? AND ref IN (SELECT value FROM json_each(?))`, []any{string(kind), keys}},
			{`INSERT INTO search_words (word) SELECT term FROM search_words_probe_terms
				WHERE length(term) >= 5 AND NOT EXISTS (SELECT 1 FROM search_words w WHERE w.word = term)`, nil},
			{`INSERT INTO search_words_probe (search_words_probe) VALUES ('delete-all')`, nil},
			{`DELETE FROM search_words_deferred`, nil},
		}
	}
	for _, q := range write {
		if _, err := c.q.ExecContext(ctx, q.sql, q.args...); err != nil {
			return fmt.Errorf("search index: %w", err)
		}
	}
	return nil
}

func (c conn) Search(ctx context.Context, q vigie.SearchQuery) ([]vigie.SearchHit, error) {
	terms := vigie.SearchTerms(q.Text)
	if len(terms) == 0 {
		return nil, nil
	}
	// A search in a transaction finds what it wrote.
	if err := c.flushSearch(ctx); err != nil {
		return nil, err
	}
	match := make([]string, len(terms))
	for i, t := range terms {
		m, err := c.matchTerm(ctx, t)
		if err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		match[i] = m
	}
	limit, offset := q.Bounds()
	// The ranking reads the latest q.Candidates() matches (FTS5 walks
	// them newest first and stops there), not every match; the columns
	// and the text are read for the page of hits only. Weights: a match in
	// the title counts ten times one in the text, a match among the names
	// and labels four times.
	rows, err := c.q.QueryContext(ctx, `WITH candidates AS MATERIALIZED (
			SELECT search_fts.rowid AS id, bm25(search_fts, 10.0, 1.0, 4.0) AS score
			FROM search_fts JOIN search_docs d ON d.id = search_fts.rowid
			WHERE search_fts MATCH ?1 AND (?2 = '' OR d.kind = ?2)
				AND CASE WHEN d.kind = 'source' THEN `+sourceIsPublic+`
				ELSE (?3 = '' OR instr(' ' || d.countries || ' ', ' ' || ?3 || ' ') > 0)
					AND (?4 = '' OR instr(' ' || d.indicators || ' ', ' ' || ?4 || ' ') > 0) END
			ORDER BY search_fts.rowid DESC LIMIT ?7),
		top AS MATERIALIZED (SELECT id, score FROM candidates ORDER BY score, id LIMIT ?5 OFFSET ?6)
		SELECT d.kind, d.ref, d.slug, d.title, d.body, d.countries, d.indicators, d.date, d.link
		FROM top JOIN search_docs d ON d.id = top.id ORDER BY top.score, top.id`,
		strings.Join(match, " AND "), string(q.Kind), strings.ToUpper(q.Country), q.Indicator, limit, offset, q.Candidates())
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	var out []vigie.SearchHit
	var sources []int64
	for rows.Next() {
		var h vigie.SearchHit
		var kind, ref, body, countries, indicators, date string
		if err := rows.Scan(&kind, &ref, &h.Slug, &h.Title, &body, &countries, &indicators, &date, &h.Link); err != nil {
			rows.Close()
			return nil, err
		}
		h.Kind = vigie.SearchKind(kind)
		if h.Kind != vigie.SearchAssessment {
			h.ID, _ = strconv.ParseInt(ref, 10, 64)
		}
		if h.Kind == vigie.SearchSource {
			sources = append(sources, h.ID)
		}
		h.Countries = strings.Fields(countries)
		h.Indicators = strings.Fields(indicators)
		h.Date = parseTime(date)
		if h.Date.IsZero() {
			h.Date, _ = time.Parse(time.DateOnly, date)
		}
		h.Snippet = vigie.Snippet(body, terms, vigie.SnippetWords)
		out = append(out, h)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(sources) == 0 {
		return out, err
	}
	return out, c.citedBy(ctx, out, sources)
}

// maxPrefixWords is how many words a term may stand for before Search
// leaves the prefix to FTS5 (see matchTerm).
const maxPrefixWords = 64

// matchTerm is one term of a search as FTS5 query syntax: a word prefix.
// A prefix of five letters or more is written as the words of the index
// that start with it, from search_words (migration 0017), ORed: FTS5
// walks those lists newest first and stops at the candidates, where for
// "exploitation"* it would merge every matching word's whole list first.
// A shorter prefix has a prefix index of its own; a term with letters
// outside a–z, whose folding by FTS5 Go does not repeat, and a prefix of
// more than maxPrefixWords words stay prefix queries.
//
// SearchTerms keeps only letters, digits and marks, and the words are
// FTS5's own tokens, so no quote can end a string early and no operator
// can appear.
func (c conn) matchTerm(ctx context.Context, term string) (string, error) {
	prefix := `"` + term + `"*`
	if len(term) < 5 || strings.TrimFunc(term, func(r rune) bool {
		return 'a' <= r && r <= 'z' || '0' <= r && r <= '9'
	}) != "" {
		return prefix, nil
	}
	// Every word that starts with term sorts from term up to term with its
	// last byte raised (an ASCII letter or digit, so still a character).
	end := term[:len(term)-1] + string(term[len(term)-1]+1)
	rows, err := c.q.QueryContext(ctx, `SELECT word FROM search_words WHERE word >= ? AND word < ? ORDER BY word LIMIT ?`,
		term, end, maxPrefixWords+1)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var words []string
	for rows.Next() {
		var w string
		if err := rows.Scan(&w); err != nil {
			return "", err
		}
		words = append(words, `"`+strings.ReplaceAll(w, `"`, `""`)+`"`)
	}
	if err := rows.Err(); err != nil {
		return "", err
	}
	if len(words) == 0 || len(words) > maxPrefixWords {
		return prefix, nil
	}
	return "(" + strings.Join(words, " OR ") + ")", nil
}

// sourceIsPublic is true, in Search, when a published assessment cites
// the source of row d, of country ?3 and indicator ?4 if they are set.
const sourceIsPublic = `EXISTS (SELECT 1 FROM public_citations pc
	WHERE pc.source_id = CAST(d.ref AS INTEGER) AND (?3 = '' OR pc.country = ?3) AND (?4 = '' OR pc.indicator = ?4))`

// citedBy fills the Countries and Indicators of the source hits: those of
// the published assessments that cite them.
func (c conn) citedBy(ctx context.Context, hits []vigie.SearchHit, sources []int64) error {
	ids := make([]string, len(sources))
	for i, id := range sources {
		ids[i] = strconv.FormatInt(id, 10)
	}
	rows, err := c.q.QueryContext(ctx, `SELECT source_id, country, indicator FROM public_citations
		WHERE source_id IN (SELECT value FROM json_each(?)) ORDER BY 1, 2, 3`, "["+strings.Join(ids, ",")+"]")
	if err != nil {
		return err
	}
	defer rows.Close()
	type lists struct{ countries, indicators []string }
	by := map[int64]*lists{}
	for rows.Next() {
		var id int64
		var country, indicator string
		if err := rows.Scan(&id, &country, &indicator); err != nil {
			return err
		}
		l := by[id]
		if l == nil {
			l = &lists{}
			by[id] = l
		}
		if !slices.Contains(l.countries, country) {
			l.countries = append(l.countries, country)
		}
		if !slices.Contains(l.indicators, indicator) {
			l.indicators = append(l.indicators, indicator)
		}
	}
	for i := range hits {
		if l := by[hits[i].ID]; hits[i].Kind == vigie.SearchSource && l != nil {
			slices.Sort(l.indicators)
			hits[i].Countries, hits[i].Indicators = l.countries, l.indicators
		}
	}
	return rows.Err()
}

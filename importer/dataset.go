package importer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"reflect"
	"slices"
	"strings"
	"time"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/export"
)

// Vigie's own exports (see export/) import by merging, so that nothing
// stored is ever lost or overwritten:
//
//   - Revisions merge by country, indicator and number. A revision the
//     database lacks is restored as it is, with its number, state, author,
//     times and review; one it has already is left alone when it says the
//     same, and is an error naming the row when it differs.
//   - The published state of an assessment moves to the file's published
//     revision when the database has none, or when the file's was
//     published later than the database's; otherwise the database's stays.
//   - Sources match as every write matches them (kind, title, year and
//     status); a stored source whose details differ is an error.
//   - Organisations, publications and news match by slug: new ones are
//     added, identical ones are left alone, different ones are errors. An
//     organisation whose country and name are stored under another slug is
//     an error too.
//   - Translations match by kind, key, field and language: new ones are
//     added, identical ones left alone, different ones are errors — but
//     for the framework's (indicators, ratings), whose different wording
//     is noted and the database's kept, as for the framework itself.
//   - The featured story is set when the database has none.
//   - The framework (indicators and ratings) must already be the
//     database's: a key it lacks is an error; different wording is noted
//     and the database's kept, since admins, not imports, edit it.
//
// A file is read and checked whole before the transaction starts, a row
// at a time (see export.Open); every table that grows with the record is
// then read again and merged in batches, compared with what is stored as
// it goes, and the file is merged whole or not at all: once a row
// conflicts, nothing more is written, the rest is still compared so that
// every conflict is listed, and the transaction writes nothing. A dry
// run shows what would change.

// isDataset tells the page importer's input from Vigie's exports.
func isDataset(f File) bool {
	return f.FS != nil || f.Path != "" || export.Sniff(f.Name, f.Data) != ""
}

// dataset is one export, checked, ready to merge: what grows with the
// record is read from the file again, a batch at a time, as it is merged.
type dataset struct {
	file string
	o    *export.Opened
	ds   *export.Dataset // the tables held whole (see export.Opened)
}

func readDataset(f File, p *export.Progress) (*dataset, error) {
	format := export.FormatCSV
	switch {
	case f.Path != "":
		format = f.format
	case f.FS == nil:
		format = export.Sniff(f.Name, f.Data)
	}
	o, err := export.Open(export.Input{Name: f.Name, Path: f.Path, Data: f.Data, FS: f.FS}, format, p)
	if err != nil {
		return nil, err
	}
	return &dataset{file: f.Name, o: o, ds: o.Dataset}, nil
}

// historyBatch is how many revisions, or other records, are merged at a
// time.
const historyBatch = 1000

// merge is what a dataset changes: the framework, the sources and the
// featured story are compared with the database before anything is
// written (plan), the rest as it is written (apply).
type merge struct {
	d               *dataset
	indicators      map[string]vigie.Indicator
	ratings         []vigie.Rating
	storedPublished map[[2]string]int
	featured        string
	notes           []string
	// ps lists the rows that conflict with stored data; once there is
	// one, nothing more is written.
	ps export.Problems
	// per assessment: revisions restored, and the published revision if it
	// moves, for the log
	changes   map[[2]string]*assessmentChange
	unchanged int
}

type assessmentChange struct {
	restored  int
	published int
}

// planDatasets compares every dataset's framework and sources with tx
// before anything is written; the rows that conflict are in each merge's
// ps, which apply adds to.
func planDatasets(ctx context.Context, tx vigie.Tx, sets []*dataset, author string) ([]*merge, error) {
	var merges []*merge
	for _, d := range sets {
		m, ps, err := d.plan(ctx, tx, author)
		if err != nil {
			return nil, err
		}
		m.ps = ps
		merges = append(merges, m)
	}
	return merges, nil
}

// plan compares d with what tx holds and returns the merge, or every row
// that conflicts with stored data.
func (d *dataset) plan(ctx context.Context, tx vigie.Tx, author string) (*merge, export.Problems, error) {
	m := &merge{d: d, changes: map[[2]string]*assessmentChange{}}
	var ps export.Problems
	add := func(table string, row int, column, format string, args ...any) {
		ps = append(ps, export.Problem{At: d.ds.At(table, row, column), Msg: fmt.Sprintf(format, args...)})
	}
	ds := d.ds

	// The framework.
	inds, err := tx.Indicators(ctx)
	if err != nil {
		return nil, nil, err
	}
	storedInds := map[string]vigie.Indicator{}
	for _, ind := range inds {
		storedInds[ind.Key] = ind
	}
	for i, r := range ds.Indicators {
		s, ok := storedInds[r.Key]
		switch {
		case !ok:
			add("indicators", i, "key", "the indicator %q is not in this database's framework; an admin must add it before this import", r.Key)
		case s.Name != r.Name || s.Rationale != r.Rationale || string(s.ValueKind) != r.ValueKind || s.Position != r.Position:
			m.notes = append(m.notes, fmt.Sprintf("%s: the indicator %q is worded differently here; the database's wording is kept", d.ds.At("indicators", i, "key"), r.Key))
		}
	}
	ratings, err := tx.Ratings(ctx)
	if err != nil {
		return nil, nil, err
	}
	for i, r := range ds.Ratings {
		j := slices.IndexFunc(ratings, func(x vigie.Rating) bool { return x.Key == r.Key })
		switch {
		case j < 0:
			add("ratings", i, "key", "the rating %q is not in this database's scale; an admin must add it before this import", r.Key)
		case ratings[j].Label != r.Label || ratings[j].Meaning != r.Meaning || ratings[j].Assessed != r.Assessed || ratings[j].Position != r.Position:
			m.notes = append(m.notes, fmt.Sprintf("%s: the rating %q is worded differently here; the database's wording is kept", d.ds.At("ratings", i, "key"), r.Key))
		}
	}

	// Sources.
	err = d.o.EachStoredSource(ctx, tx, func(rec export.Record[vigie.Source], x vigie.Source) error {
		s := rec.Value
		for _, f := range []struct{ col, here, there string }{
			{"title", s.Title, x.Title}, {"identifier", s.Identifier, x.Identifier},
			{"publisher", s.Publisher, x.Publisher}, {"link", s.Link, x.Link},
		} {
			if f.here != f.there {
				ps = append(ps, export.Problem{At: d.o.At("sources", rec.Loc, f.col), Msg: fmt.Sprintf(
					"the stored source %q has %s %q, not %q; sources are shared by every assessment citing them, so an import does not change them",
					x.Title, f.col, f.there, f.here)})
			}
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}

	m.indicators, m.ratings = storedInds, ratings
	published, err := tx.Assessments(ctx, vigie.AssessmentFilter{})
	if err != nil {
		return nil, nil, err
	}
	m.storedPublished = map[[2]string]int{}
	for _, a := range published {
		m.storedPublished[[2]string{a.Country, a.Indicator}] = a.Revision
	}

	featured := d.o.Featured
	if featured != "" {
		switch f, err := tx.FeaturedStory(ctx); {
		case vigie.IsNotFound(err):
			m.featured = featured
		case err != nil:
			return nil, nil, err
		case f.Slug != featured:
			m.notes = append(m.notes, fmt.Sprintf("%s: the featured story stays %q", d.file, f.Slug))
		}
	}
	return m, ps, nil
}

// publishedLater reports whether a was published after b: later in time,
// or at the same time with a higher number, as the public sees it.
func publishedLater(a, b vigie.Revision) bool {
	return a.PublishedAt.After(b.PublishedAt) || (a.PublishedAt.Equal(b.PublishedAt) && a.Number > b.Number)
}

// diffColumn picks the column a message about a differing revision
// points at: the first differing one that is a column of revisions.
func diffColumn(diff []string) string {
	for _, f := range diff {
		if f != "citations" {
			return f
		}
	}
	return "number"
}

func errorColumn(err error) string {
	if e, ok := err.(*vigie.Error); ok && e.Field != "" && !strings.Contains(e.Field, "[") {
		return e.Field
	}
	return ""
}

// differs names the exported fields in which two records differ, both
// normalised, their IDs ignored.
func differs(a, b any) []string {
	va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
	var out []string
	for i := range va.NumField() {
		name := va.Type().Field(i).Name
		if name == "ID" {
			continue
		}
		if !reflect.DeepEqual(va.Field(i).Interface(), vb.Field(i).Interface()) {
			out = append(out, strings.ToLower(name))
		}
	}
	return out
}

func normalOrg(o vigie.Organisation) vigie.Organisation {
	o.ID = 0
	o.Regions, o.AreasOfWork = nilIfEmpty(o.Regions), nilIfEmpty(o.AreasOfWork)
	if len(o.Contacts) == 0 {
		o.Contacts = nil
	}
	return o
}

func normalPub(p vigie.Publication) vigie.Publication {
	p.ID = 0
	p.Publishers, p.Countries = nilIfEmpty(p.Publishers), nilIfEmpty(slices.Sorted(slices.Values(p.Countries)))
	return p
}

func normalNews(n vigie.NewsItem) vigie.NewsItem {
	n.ID = 0
	n.Date = n.Date.UTC().Truncate(24 * time.Hour)
	n.Countries = nilIfEmpty(slices.Sorted(slices.Values(n.Countries)))
	return n
}

func nilIfEmpty(l []string) []string {
	if len(l) == 0 {
		return nil
	}
	return l
}

// apply writes the merge.
func (m *merge) apply(ctx context.Context, tx vigie.Tx, author string, log io.Writer, total *Summary, p *export.Progress) error {
	name := base(m.d.file)
	sum := &Summary{Files: 1} // this file's, for the audit log
	defer func() {
		total.Organisations += sum.Organisations
		total.Publications += sum.Publications
		total.News += sum.News
		total.Translations += sum.Translations
		total.Revisions += sum.Revisions
		total.Assessments += sum.Assessments
		total.Unchanged += sum.Unchanged
	}()
	for _, n := range m.notes {
		fmt.Fprintf(log, "note: %s\n", n)
	}
	if err := m.mergeLibrary(ctx, tx, name, log, sum); err != nil {
		return err
	}
	if err := m.mergeTranslations(ctx, tx, name, log, sum); err != nil {
		return err
	}
	if m.featured != "" && len(m.ps) == 0 {
		if _, err := vigie.FeatureStory(ctx, tx, m.featured); err != nil {
			return fmt.Errorf("%s: featured story %q: %w", name, m.featured, err)
		}
		sum.News++
		fmt.Fprintf(log, "%s: featured story is now %q\n", name, m.featured)
	}
	p.Start("importing", m.d.o.Revisions)
	noted := len(m.notes)
	err := m.restoreHistory(ctx, tx, author, sum, p)
	p.Finish()
	for _, n := range m.notes[noted:] {
		fmt.Fprintf(log, "note: %s\n", n)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if len(m.ps) > 0 {
		return m.ps
	}
	keys := make([][2]string, 0, len(m.changes))
	for k := range m.changes {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b [2]string) int { return strings.Compare(a[0]+"/"+a[1], b[0]+"/"+b[1]) })
	for _, k := range keys {
		c := m.changes[k]
		line := fmt.Sprintf("%s: assessment %s/%s: %d revision(s) restored", name, k[0], k[1], c.restored)
		if c.published != 0 {
			line += fmt.Sprintf(", published revision %d", c.published)
			sum.Assessments++
		}
		fmt.Fprintln(log, line)
	}
	sum.Unchanged += m.unchanged
	if !sum.Changed() {
		return nil
	}
	return tx.AddAudit(ctx, vigie.AuditEntry{At: time.Now().UTC(), Actor: author, Action: "dataset.import",
		Target: "file:" + name, Detail: sum.String(), Addr: "cli"})
}

// problem adds a conflict with stored data at column of the row at loc of
// table.
func (m *merge) problem(table string, loc int, column, format string, args ...any) {
	m.ps = append(m.ps, export.Problem{At: m.d.o.At(table, loc, column), Msg: fmt.Sprintf(format, args...)})
}

// libraryKind is how the records of one kind of the library (organisations,
// publications, news) are merged: named in problems as table and what,
// found by slug, compared after normal, and written by add.
type libraryKind[T any] struct {
	table, what string
	slug        func(T) string
	bySlug      func(context.Context, []string) ([]T, error) // the stored records of these slugs
	normal      func(T) T
	// conflict reports a problem that a new record would make and says
	// whether one was found (nil: none can be).
	conflict func(context.Context, export.Record[T]) (bool, error)
	add      func(context.Context, *T) error
}

// mergeLibraryBatch compares each record of batch with the stored record
// of its slug, read for the whole batch at once (on PostgreSQL one round
// trip rather than one per record). One that differs (after normal) is a
// problem at the record's place, since an import never overwrites; a new
// one is added while no problem has been found.
func mergeLibraryBatch[T any](ctx context.Context, m *merge, k libraryKind[T], batch []export.Record[T]) error {
	slugs := make([]string, len(batch))
	for i, rec := range batch {
		slugs[i] = k.slug(rec.Value)
	}
	list, err := k.bySlug(ctx, slugs)
	if err != nil {
		return err
	}
	stored := make(map[string]T, len(list))
	for _, x := range list {
		stored[k.slug(x)] = x
	}
	for _, rec := range batch {
		v := rec.Value
		if old, ok := stored[k.slug(v)]; ok {
			if diff := differs(k.normal(old), k.normal(v)); len(diff) > 0 {
				m.problem(k.table, rec.Loc, "slug", "the stored %s %q differs in %s; an import does not overwrite it",
					k.what, k.slug(v), strings.Join(diff, ", "))
			} else {
				m.unchanged++
			}
			continue
		}
		if k.conflict != nil {
			found, err := k.conflict(ctx, rec)
			if err != nil {
				return err
			}
			if found {
				continue
			}
		}
		if len(m.ps) > 0 {
			continue
		}
		if err := k.add(ctx, &v); err != nil {
			return err
		}
	}
	return nil
}

// mergeLibrary merges the file's organisations, publications and news a
// batch at a time (mergeLibraryBatch).
func (m *merge) mergeLibrary(ctx context.Context, tx vigie.Tx, name string, log io.Writer, sum *Summary) error {
	orgs := libraryKind[vigie.Organisation]{table: "organisations", what: "organisation",
		slug: func(o vigie.Organisation) string { return o.Slug }, bySlug: tx.OrganisationsBySlug, normal: normalOrg,
		// Another slug for the same name in the same country.
		conflict: func(ctx context.Context, rec export.Record[vigie.Organisation]) (bool, error) {
			o := rec.Value
			names, err := tx.OrganisationNamed(ctx, o.Country, o.Name)
			if err != nil || len(names) == 0 {
				return false, err
			}
			m.problem("organisations", rec.Loc, "slug", "%s already has %q, stored as %q", o.Country, o.Name, names[0].Slug)
			return true, nil
		},
		add: func(ctx context.Context, o *vigie.Organisation) error {
			if _, err := vigie.MergeOrganisation(ctx, tx, o); err != nil {
				return fmt.Errorf("%s: organisation %q: %w", name, o.Slug, err)
			}
			sum.Organisations++
			fmt.Fprintf(log, "%s: organisation %s\n", name, o.DisplayName())
			return nil
		}}
	pubs := libraryKind[vigie.Publication]{table: "publications", what: "publication",
		slug: func(p vigie.Publication) string { return p.Slug }, bySlug: tx.PublicationsBySlug, normal: normalPub,
		add: func(ctx context.Context, p *vigie.Publication) error {
			if _, err := vigie.MergePublication(ctx, tx, p); err != nil {
				return fmt.Errorf("%s: publication %q: %w", name, p.Slug, err)
			}
			sum.Publications++
			fmt.Fprintf(log, "%s: publication %q (%d)\n", name, p.Title, p.Year)
			return nil
		}}
	news := libraryKind[vigie.NewsItem]{table: "news", what: "story",
		slug: func(n vigie.NewsItem) string { return n.Slug }, bySlug: tx.NewsItemsBySlug, normal: normalNews,
		add: func(ctx context.Context, n *vigie.NewsItem) error {
			if _, err := vigie.MergeNewsItem(ctx, tx, n); err != nil {
				return fmt.Errorf("%s: news item %q: %w", name, n.Slug, err)
			}
			sum.News++
			fmt.Fprintf(log, "%s: news item %q\n", name, n.Title)
			return nil
		}}
	if err := m.d.o.Organisations(historyBatch, func(batch []export.Record[vigie.Organisation]) error {
		return mergeLibraryBatch(ctx, m, orgs, batch)
	}); err != nil {
		return err
	}
	if err := m.d.o.Publications(historyBatch, func(batch []export.Record[vigie.Publication]) error {
		return mergeLibraryBatch(ctx, m, pubs, batch)
	}); err != nil {
		return err
	}
	return m.d.o.News(historyBatch, func(batch []export.Record[vigie.NewsItem]) error {
		return mergeLibraryBatch(ctx, m, news, batch)
	})
}

// mergeTranslations merges the file's translations a batch at a time,
// reading the stored ones of each batch's records at once.
func (m *merge) mergeTranslations(ctx context.Context, tx vigie.Tx, name string, log io.Writer, sum *Summary) error {
	var trs []vigie.Translation
	return m.d.o.Translations(historyBatch, func(batch []export.Record[vigie.Translation]) error {
		trs = trs[:0]
		for _, rec := range batch {
			trs = append(trs, rec.Value)
		}
		stored, err := storedTranslations(ctx, tx, trs)
		if err != nil {
			return err
		}
		for _, rec := range batch {
			t := rec.Value
			old, ok := stored.Get(t.Kind, t.Key, t.Field, t.Lang)
			switch {
			case !ok:
				if len(m.ps) > 0 {
					continue
				}
				if _, err := tx.SaveTranslation(ctx, t); err != nil {
					return fmt.Errorf("%s: %s translation of %s %q: %w", name, t.Lang, t.Kind, t.Key, err)
				}
				sum.Translations++
				fmt.Fprintf(log, "%s: %s translation of %s %q (%s)\n", name, t.Lang, t.Kind, t.Key, t.Field)
			case (old.Text != t.Text || old.SourceVersion != t.SourceVersion) && (t.Kind == vigie.KindIndicator || t.Kind == vigie.KindRating):
				// The framework's wording is the admins' (see above), in
				// every language.
				fmt.Fprintf(log, "note: %s: the %s %s of %s %q stays the database's\n", m.d.file, t.Lang, t.Field, t.Kind, t.Key)
			case old.Text != t.Text || old.SourceVersion != t.SourceVersion:
				m.problem("translations", rec.Loc, "text", "the stored %s translation of %s %q (%s) differs; an import does not overwrite it", t.Lang, t.Kind, t.Key, t.Field)
			default:
				m.unchanged++
			}
		}
		return nil
	})
}

// dirFile reads a data package directory as one input.
func dirFile(path string, fsys fs.FS) File { return File{Name: path, FS: fsys} }

// storedTranslations reads the stored translations of the records trs
// translates: one read per kind rather than one per translation.
func storedTranslations(ctx context.Context, tx vigie.Tx, trs []vigie.Translation) (vigie.TranslationSet, error) {
	keys := map[string][]string{} // by kind
	for _, t := range trs {
		keys[t.Kind] = append(keys[t.Kind], t.Key)
	}
	var stored []vigie.Translation
	for kind, ks := range keys {
		slices.Sort(ks)
		list, err := tx.Translations(ctx, vigie.TranslationFilter{Kind: kind, Keys: slices.Compact(ks)})
		if err != nil {
			return nil, err
		}
		stored = append(stored, list...)
	}
	return vigie.NewTranslationSet(stored), nil
}

// restoreHistory merges the file's revisions a batch at a time: each is
// compared with the stored revisions of its assessment, read once per
// assessment met, and the batch is restored in one call while no
// problem has been found. It adds every revision that conflicts with
// stored data to m.ps; the caller's transaction then writes nothing.
func (m *merge) restoreHistory(ctx context.Context, tx vigie.Tx, author string, sum *Summary, p *export.Progress) error {
	o, ds := m.d.o, m.d.ds
	ps := &m.ps
	filePublished := ds.Published()
	var storedKey [2]string
	var stored map[int]vigie.Revision // of the assessment storedKey
	var restores []vigie.Restore
	return readAhead(o, func(batch []export.RevisionRecord) error {
		restores = restores[:0]
		for _, rec := range batch {
			rev := rec.Revision
			a := rev.Content
			ak := [2]string{a.Country, a.Indicator}
			if stored == nil || storedKey != ak {
				list, err := tx.Revisions(ctx, a.Country, a.Indicator)
				if err != nil {
					return err
				}
				storedKey, stored = ak, make(map[int]vigie.Revision, len(list))
				for _, r := range list {
					stored[r.Number] = r
				}
			}
			s, exists := stored[rev.Number]
			if ds.Scope == export.ScopePublished {
				// Published-only files leave out who wrote and reviewed.
				if exists {
					rev.Author, rev.Reason, rev.Reviewer, rev.ReviewComment = s.Author, s.Reason, s.Reviewer, s.ReviewComment
				} else if rev.Author == "" {
					rev.Author = author
				}
			}
			if exists {
				if diff := vigie.DiffRevision(s, rev); len(diff) > 0 {
					*ps = append(*ps, export.Problem{At: o.AtRevision(rec, diffColumn(diff)), Msg: fmt.Sprintf(
						"revision %d of %s/%s is already stored and differs in %s; an import never rewrites history — give a new revision a new number",
						rev.Number, a.Country, a.Indicator, strings.Join(diff, ", "))})
					continue
				}
			} else if ind, ok := m.indicators[a.Indicator]; ok {
				if err := a.Validate(ind, m.ratings); err != nil {
					*ps = append(*ps, export.Problem{At: o.AtRevision(rec, errorColumn(err)), Msg: fmt.Sprintf("does not fit this database's framework: %v", err)})
					continue
				}
			}
			current := false
			if fp, ok := filePublished[ak]; ok && fp[0] == rev.Number {
				sp := m.storedPublished[ak]
				switch {
				case sp == rev.Number:
				case sp == 0 || publishedLater(rev, stored[sp]):
					current = true
				default:
					m.notes = append(m.notes, fmt.Sprintf("%s: %s/%s keeps its published revision %d, published after this file's revision %d",
						ds.At("assessments", fp[1], "revision"), a.Country, a.Indicator, sp, rev.Number))
				}
			}
			if exists && !current {
				m.unchanged++
				continue
			}
			restores = append(restores, vigie.Restore{Revision: rev, Current: current})
			c := m.changes[ak]
			if c == nil {
				c = &assessmentChange{}
				m.changes[ak] = c
			}
			if !exists {
				c.restored++
			}
			if current {
				c.published = rev.Number
			}
		}
		p.Add(len(batch))
		if len(*ps) > 0 || len(restores) == 0 {
			return nil
		}
		written, _, err := tx.RestoreRevisions(ctx, restores)
		sum.Revisions += written
		return err
	})
}

// readAhead calls fn with the file's revisions, historyBatch at a time, as
// History does, while the next batch is read and decoded on another
// goroutine: on two cores the decoding and the store's writes overlap.
// It holds at most two batches besides the one fn has.
func readAhead(o *export.Opened, fn func([]export.RevisionRecord) error) error {
	batches := make(chan []export.RevisionRecord, 1)
	stop := make(chan struct{})
	read := make(chan error, 1)
	go func() {
		defer close(batches)
		read <- o.History(historyBatch, func(batch []export.RevisionRecord) error {
			select {
			case batches <- slices.Clone(batch): // History reuses its slice
				return nil
			case <-stop:
				return errStopped
			}
		})
	}()
	// However fn ends (an error, a panic), the reader is stopped and
	// drained before the file can be closed under it.
	defer func() {
		close(stop)
		for range batches {
		}
	}()
	for batch := range batches {
		if err := fn(batch); err != nil {
			return err
		}
	}
	return <-read
}

var errStopped = errors.New("stopped")

package storetest

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	vigie "github.com/vigie-network/vigie"
)

func cursorTests() []namedTest {
	return []namedTest{{"CursorsReadInFileOrder", testCursors}, {"EachRevisionReadsTheHistoryInFileOrder", testEachRevision}}
}

// The export's cursors list every record in the export's order, which
// compares text byte by byte: "alpha-beta" before "alphabet" (a collation
// that skips punctuation puts them the other way), "Zeta" after "alpha".
func testCursors(t *testing.T, s vigie.Store) {
	titles := []string{"Zeta Law", "alphabet", "Alpha-beta", "alpha"}
	slugs := []string{"zeta", "alphabet", "alpha-beta", "alpha"}
	update(t, s, func(tx vigie.Tx) error {
		var cites []vigie.Citation
		for _, title := range titles {
			cites = append(cites, vigie.Citation{Source: vigie.Source{Kind: vigie.SourceLaw, Title: title, Year: 2001}})
		}
		// The same title as a publication, and in another year.
		cites = append(cites, vigie.Citation{Source: vigie.Source{Kind: vigie.SourcePublication, Title: "alpha", Year: 2001}},
			vigie.Citation{Source: vigie.Source{Kind: vigie.SourceLaw, Title: "Alpha", Year: 1999}})
		_, _, err := tx.SaveAssessment(ctx, vigie.Assessment{Country: "ML", Indicator: "age-of-consent", Rating: vigie.RatingYes,
			Citations: cites}, vigie.Change{Author: "import"})
		if err != nil {
			return err
		}
		for i, slug := range slugs {
			o := vigie.Organisation{Slug: slug, Country: "ML", Name: titles[i], Contacts: []vigie.Contact{{Name: "Second " + slug}}}
			if i%2 == 0 {
				o.Contacts = []vigie.Contact{{Name: "First " + slug}, {Name: "Second " + slug}}
			}
			if err := tx.InsertOrganisation(ctx, &o); err != nil {
				return err
			}
			p := vigie.Publication{Slug: slug, Title: titles[i], Type: vigie.PubResearch, Year: 2020 + i, Countries: []string{"SN", "ML"}}
			if err := tx.InsertPublication(ctx, &p); err != nil {
				return err
			}
			n := vigie.NewsItem{Slug: slug, Title: titles[i], Countries: []string{"SN", "BF"}}
			if err := tx.InsertNewsItem(ctx, &n); err != nil {
				return err
			}
			for _, lang := range []string{"fr", "es"} {
				if _, err := tx.SaveTranslation(ctx, vigie.Translation{Kind: vigie.KindNews, Key: slug, Field: "title", Lang: lang,
					Text: titles[i] + " " + lang, SourceVersion: "v"}); err != nil {
					return err
				}
			}
		}
		// An organisation without contacts.
		o := vigie.Organisation{Slug: "b", Country: "SN", Name: "B"}
		return tx.InsertOrganisation(ctx, &o)
	})

	var sources []string
	if err := s.EachSource(ctx, func(src vigie.Source) error {
		sources = append(sources, strings.Join([]string{vigie.Fold(src.Title), string(src.Kind), strconv.Itoa(src.Year)}, "|"))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	want := []string{"alpha|law|1999", "alpha|law|2001", "alpha|publication|2001", "alpha-beta|law|2001", "alphabet|law|2001", "zeta law|law|2001"}
	if !slices.Equal(sources, want) {
		t.Errorf("EachSource: %q, want %q", sources, want)
	}

	bySlug := slices.Clone(slugs)
	slices.Sort(bySlug) // byte order: alpha, alpha-beta, alphabet, zeta
	var orgs, contacts []string
	if err := s.EachOrganisation(ctx, func(o vigie.Organisation) error {
		orgs = append(orgs, o.Slug)
		for _, c := range o.Contacts {
			contacts = append(contacts, c.Name)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	wantOrgs := slices.Insert(slices.Clone(bySlug), 3, "b")
	if !slices.Equal(orgs, wantOrgs) {
		t.Errorf("EachOrganisation: %q, want %q", orgs, wantOrgs)
	}
	wantContacts := []string{"Second alpha", "First alpha-beta", "Second alpha-beta", "Second alphabet", "First zeta", "Second zeta"}
	if !slices.Equal(contacts, wantContacts) {
		t.Errorf("contacts: %q, want %q", contacts, wantContacts)
	}

	var pubs, news []string
	if err := s.EachPublication(ctx, func(p vigie.Publication) error {
		pubs = append(pubs, p.Slug)
		if !slices.Equal(p.Countries, []string{"ML", "SN"}) {
			t.Errorf("publication %s: countries %q", p.Slug, p.Countries)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.EachNewsItem(ctx, func(n vigie.NewsItem) error {
		news = append(news, n.Slug)
		if !slices.Equal(n.Countries, []string{"BF", "SN"}) {
			t.Errorf("news %s: countries %q", n.Slug, n.Countries)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(pubs, bySlug) || !slices.Equal(news, bySlug) {
		t.Errorf("EachPublication: %q, EachNewsItem: %q, want %q", pubs, news, bySlug)
	}

	var trs []vigie.Translation
	if err := s.EachTranslation(ctx, func(tr vigie.Translation) error {
		if tr.Kind == vigie.KindNews { // the framework's translations come with the store
			trs = append(trs, tr)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	sorted := slices.IsSortedFunc(trs, func(a, b vigie.Translation) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Key, b.Key), cmp.Compare(a.Field, b.Field), cmp.Compare(a.Lang, b.Lang))
	})
	if len(trs) != 2*len(slugs) || !sorted || trs[0].Key != "alpha" || trs[2].Key != "alpha-beta" || trs[0].Lang != "es" {
		t.Errorf("EachTranslation: %d of the news, sorted %v, first %+v", len(trs), sorted, trs[:min(3, len(trs))])
	}

	// fn's error stops the cursor and comes back.
	stop := vigie.Errorf(vigie.EINVALID, "stop")
	n := 0
	if err := s.EachOrganisation(ctx, func(vigie.Organisation) error { n++; return stop }); !errors.Is(err, stop) || n != 1 {
		t.Errorf("EachOrganisation after an error from fn: %v, %d calls", err, n)
	}
}

// testEachRevision: the history cursor lists every revision, drafts too,
// by country, indicator position and number, each with its citations in
// order as Revisions reads them (their sources by ID only).
func testEachRevision(t *testing.T, s vigie.Store) {
	inds, err := s.Indicators(ctx)
	if err != nil {
		t.Fatalf("framework: %d indicators, %v", len(inds), err)
	}
	slices.SortFunc(inds, func(a, b vigie.Indicator) int {
		return cmp.Or(cmp.Compare(a.Position, b.Position), cmp.Compare(a.Key, b.Key))
	})
	// Two indicators whose keys sort the other way from their positions.
	var first, last string
	for i, x := range inds {
		for _, y := range inds[i+1:] {
			if first == "" && x.Key > y.Key {
				first, last = x.Key, y.Key
			}
		}
	}
	if first == "" {
		t.Fatal("the framework's keys are in the order of its positions: no test of the order")
	}
	a := extraterritoriality()
	a.Citations[1].Articles = "Art. 4 « 5 », 6\n7" // any text survives
	for _, k := range []struct{ country, indicator string }{{"SN", first}, {"ML", last}, {"ML", first}} {
		a.Country, a.Indicator, a.Value = k.country, k.indicator, nil
		if k.indicator != "extraterritoriality-extradition" {
			a.Rating = vigie.RatingYes
		}
		save(t, s, a, day(2024, 1, 1, 0, 0))
		a.Citations = a.Citations[:1]
		save(t, s, a, day(2024, 2, 1, 0, 0))
		a.Citations = nil
		update(t, s, func(tx vigie.Tx) error {
			_, err := tx.AddRevision(ctx, a, vigie.NewRevision{State: vigie.RevisionDraft, Base: 2, Change: vigie.Change{Author: "researcher"}})
			return err
		})
		a = extraterritoriality()
		a.Citations[1].Articles = "Art. 4 « 5 », 6\n7"
	}
	var got, want []string
	describe := func(r vigie.Revision) string {
		var ids []string
		for _, c := range r.Content.Citations {
			ids = append(ids, strconv.FormatInt(c.Source.ID, 10)+":"+c.Articles)
		}
		return fmt.Sprintf("%s/%s#%d %s [%s]", r.Content.Country, r.Content.Indicator, r.Number, r.State, strings.Join(ids, "; "))
	}
	if err := s.EachRevision(ctx, func(r vigie.Revision) error {
		got = append(got, describe(r))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for _, k := range [][2]string{{"ML", first}, {"ML", last}, {"SN", first}} {
		revs, err := s.Revisions(ctx, k[0], k[1])
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range slices.Backward(revs) { // oldest first
			want = append(want, describe(r))
		}
	}
	if !slices.Equal(got, want) || len(got) != 9 {
		t.Errorf("EachRevision:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

package export_test

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/export"
	"github.com/vigie-network/vigie/importer"
)

// withLibrary is ds with n more organisations (two contacts each),
// publications and news items (two countries each), a law cited for each
// and a translation of each organisation's description.
func withLibrary(ds *export.Dataset, n int) *export.Dataset {
	out := *ds
	out.Sources = slices.Clone(ds.Sources)
	out.Citations = slices.Clone(ds.Citations)
	out.Organisations = slices.Clone(ds.Organisations)
	out.Contacts = slices.Clone(ds.Contacts)
	out.Publications = slices.Clone(ds.Publications)
	out.PublicationCountries = slices.Clone(ds.PublicationCountries)
	out.News = slices.Clone(ds.News)
	out.NewsCountries = slices.Clone(ds.NewsCountries)
	out.Translations = slices.Clone(ds.Translations)
	last := out.Revisions[len(out.Revisions)-1]
	position := 0
	for _, c := range out.Citations {
		if c.Country == last.Country && c.Indicator == last.Indicator && c.Revision == last.Number {
			position = max(position, c.Position)
		}
	}
	nextID := 0
	for _, s := range out.Sources {
		nextID = max(nextID, s.ID)
	}
	for i := range n {
		slug := fmt.Sprintf("zz-org-%04d", i)
		out.Organisations = append(out.Organisations, export.Organisation{Slug: slug, Country: "SN",
			Name: fmt.Sprintf("Réseau %04d", i), Description: "A member."})
		for p := 1; p <= 2; p++ {
			out.Contacts = append(out.Contacts, export.Contact{Organisation: slug, Position: p, Name: fmt.Sprintf("Person %d of %d", p, i)})
		}
		out.Translations = append(out.Translations, export.Translation{Kind: "organisation", Key: slug, Field: "description",
			Lang: "fr", Text: "Un membre.", SourceVersion: "v1"})
		pub := fmt.Sprintf("zz-report-%04d", i)
		out.Publications = append(out.Publications, export.Publication{Slug: pub, Title: fmt.Sprintf("Report %04d", i),
			Type: "other", Year: 2020, Language: "en"})
		story := fmt.Sprintf("zz-story-%04d", i)
		out.News = append(out.News, export.News{Slug: story, Title: fmt.Sprintf("Story %04d", i), Date: "2021-03-04"})
		for _, c := range []string{"ML", "SN"} {
			out.PublicationCountries = append(out.PublicationCountries, export.PublicationCountry{Publication: pub, Country: c})
			out.NewsCountries = append(out.NewsCountries, export.NewsCountry{News: story, Country: c})
		}
		nextID++
		out.Sources = append(out.Sources, export.Source{ID: nextID, Kind: "law", Title: fmt.Sprintf("Zz law %04d", i), Year: 2001, StatusAsOf: 2021})
		position++
		out.Citations = append(out.Citations, export.Citation{Country: last.Country, Indicator: last.Indicator, Revision: last.Number,
			Position: position, Source: nextID})
	}
	out.Sort()
	return &out
}

// library is what Opened's readers give back, a line per record.
func library(t *testing.T, o *export.Opened) []string {
	t.Helper()
	var out []string
	check := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	check(o.EachSource(func(r export.Record[vigie.Source]) error {
		out = append(out, "source "+r.Value.Title)
		return nil
	}))
	check(o.Organisations(2, func(batch []export.Record[vigie.Organisation]) error {
		for _, r := range batch {
			var names []string
			for _, c := range r.Value.Contacts {
				names = append(names, c.Name)
			}
			out = append(out, fmt.Sprintf("organisation %s %s: %s", r.Value.Slug, r.Value.Name, strings.Join(names, ", ")))
		}
		return nil
	}))
	check(o.Publications(2, func(batch []export.Record[vigie.Publication]) error {
		for _, r := range batch {
			out = append(out, fmt.Sprintf("publication %s %v", r.Value.Slug, r.Value.Countries))
		}
		return nil
	}))
	check(o.News(2, func(batch []export.Record[vigie.NewsItem]) error {
		for _, r := range batch {
			out = append(out, fmt.Sprintf("news %s %v", r.Value.Slug, r.Value.Countries))
		}
		return nil
	}))
	check(o.Translations(2, func(batch []export.Record[vigie.Translation]) error {
		for _, r := range batch {
			out = append(out, fmt.Sprintf("translation %s %s %s", r.Value.Kind, r.Value.Key, r.Value.Text))
		}
		return nil
	}))
	return out
}

// An export opened for import holds none of the tables that grow with
// the record: ten times the organisations, publications, news, sources
// and translations leave the rows held the same, and what is read again
// is every record with its contacts and countries, whatever the chunks
// and the format. A file whose contacts and countries are not in their
// owners' order reads the same, those rows then held.
func TestOpenHoldsNoLibrary(t *testing.T) {
	defer export.SetHistoryChunk(3)()
	base := smallDataset(t)
	for _, format := range []string{export.FormatJSON, export.FormatCSV, export.FormatXLSX} {
		var held []int
		for _, n := range []int{4, 40} {
			ds := withLibrary(base, n)
			o, err := export.Open(export.Input{Name: fileName(format), Data: write(t, format, ds)}, format, nil)
			if err != nil {
				t.Fatalf("%s, %d: %v", format, n, err)
			}
			held = append(held, o.Held())
			if o.Count("organisations") != len(ds.Organisations) || o.Count("translations") != len(ds.Translations) ||
				len(o.Dataset.Organisations)+len(o.Dataset.Sources)+len(o.Dataset.News)+len(o.Dataset.Translations) != 0 {
				t.Errorf("%s, %d: %d organisations counted, %d translations, %d organisations held", format, n,
					o.Count("organisations"), o.Count("translations"), len(o.Dataset.Organisations))
			}
			got := library(t, o)
			o.Close()

			// The same rows, contacts and countries listed backwards.
			shuffled := *ds
			shuffled.Contacts = slices.Clone(ds.Contacts)
			slices.Reverse(shuffled.Contacts)
			shuffled.PublicationCountries = slices.Clone(ds.PublicationCountries)
			slices.Reverse(shuffled.PublicationCountries)
			shuffled.NewsCountries = slices.Clone(ds.NewsCountries)
			slices.Reverse(shuffled.NewsCountries)
			o, err = export.Open(export.Input{Name: fileName(format), Data: write(t, format, &shuffled)}, format, nil)
			if err != nil {
				t.Fatalf("%s, %d, shuffled: %v", format, n, err)
			}
			want := len(ds.Contacts) + len(ds.PublicationCountries) + len(ds.NewsCountries)
			if o.Held()-held[len(held)-1] != want {
				t.Errorf("%s, %d, shuffled: %d rows held, want %d more than in order (%d)", format, n, o.Held(), want, held[len(held)-1])
			}
			if again := library(t, o); !slices.Equal(again, got) {
				t.Errorf("%s, %d: shuffled, the records read\n%s\nin order\n%s", format, n, strings.Join(again, "\n"), strings.Join(got, "\n"))
			}
			o.Close()
			if n == 40 {
				if !slices.Contains(got, "organisation zz-org-0039 Réseau 0039: Person 1 of 39, Person 2 of 39") ||
					!slices.Contains(got, "news zz-story-0039 [ML SN]") || !slices.Contains(got, "source Zz law 0039") ||
					!slices.Contains(got, "translation organisation zz-org-0039 Un membre.") {
					t.Errorf("%s: records read:\n%s", format, strings.Join(got, "\n"))
				}
			}
		}
		if held[0] != held[1] {
			t.Errorf("%s: %d rows held for 4 more organisations, %d for 40", format, held[0], held[1])
		}
	}
}

// A bad row in a table read a chunk at a time is refused with its place,
// and a key given twice names where it was first, its chunk gone.
func TestOpenNamesBadLibraryRows(t *testing.T) {
	defer export.SetHistoryChunk(2)()
	ds := withLibrary(smallDataset(t), 6)
	bad := *ds
	bad.Organisations = slices.Clone(ds.Organisations)
	last := len(bad.Organisations) - 1
	bad.Organisations[last].Slug = bad.Organisations[0].Slug
	bad.Contacts = slices.Clone(ds.Contacts)
	bad.Contacts[len(bad.Contacts)-1].Organisation = "nobody"
	bad.News = slices.Clone(ds.News)
	bad.News[len(bad.News)-1].Date = "soon"
	for format, want := range map[string][]string{
		export.FormatJSON: {
			fmt.Sprintf("vigie.json#/organisations/%d/slug: the same key as vigie.json#/organisations/0/slug", last),
			fmt.Sprintf(`vigie.json#/contacts/%d/organisation: no organisation "nobody"`, len(bad.Contacts)-1),
			fmt.Sprintf(`vigie.json#/news/%d/date:`, len(bad.News)-1),
		},
		// (CSV lines count the line breaks of descriptions and bodies)
		export.FormatCSV: {
			`vigie.zip/organisations.csv:\d+:1: the same key as vigie.zip/organisations.csv:2:1`,
			`vigie.zip/contacts.csv:\d+:1: no organisation "nobody"`,
			`vigie.zip/news.csv:\d+:3: "soon" is not a date`,
		},
		export.FormatXLSX: {
			fmt.Sprintf("[vigie.xlsx]organisations!A%d: the same key as [vigie.xlsx]organisations!A2", last+2),
			fmt.Sprintf(`[vigie.xlsx]contacts!A%d: no organisation "nobody"`, len(bad.Contacts)+1),
			fmt.Sprintf(`[vigie.xlsx]news!C%d:`, len(bad.News)+1),
		},
	} {
		_, err := export.Open(export.Input{Name: fileName(format), Data: write(t, format, &bad)}, format, nil)
		for _, w := range want {
			if format != export.FormatCSV {
				w = regexp.QuoteMeta(w)
			}
			if err == nil || !regexp.MustCompile(w).MatchString(err.Error()) {
				t.Errorf("%s: err = %v\nwant %q", format, err, w)
			}
		}
	}
}

// An organisation, a publication, a story or a translation that differs
// from the stored one is refused with its place in the file, though its
// table is merged as it is read again, and the import writes nothing.
func TestMergeRefusesLibraryConflictsWithTheirPlace(t *testing.T) {
	defer export.SetHistoryChunk(2)()
	ds := withLibrary(smallDataset(t), 6)
	dst := openStore(t)
	first := *ds
	first.Organisations = ds.Organisations[:1]
	first.Contacts = nil
	for _, c := range ds.Contacts {
		if c.Organisation == first.Organisations[0].Slug {
			first.Contacts = append(first.Contacts, c)
		}
	}
	first.Translations = nil
	if _, err := importBytes(t, dst, export.FormatJSON, write(t, export.FormatJSON, &first), importer.Options{}); err != nil {
		t.Fatal(err)
	}
	stored, _ := dst.NewsItems(ctx, vigie.NewsFilter{})

	changed := *ds
	changed.Organisations = slices.Clone(ds.Organisations)
	changed.Organisations[0].Description += " Changed."
	changed.News = slices.Clone(ds.News)
	changed.News[len(changed.News)-1].Title += " (changed)"
	_, err := importBytes(t, dst, export.FormatJSON, write(t, export.FormatJSON, &changed), importer.Options{})
	for _, want := range []string{
		fmt.Sprintf("vigie.json#/organisations/0/slug: the stored organisation %q differs in description", ds.Organisations[0].Slug),
		fmt.Sprintf("vigie.json#/news/%d/slug: the stored story %q differs in title", len(ds.News)-1, ds.News[len(ds.News)-1].Slug),
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("err = %v\nwant %q", err, want)
		}
	}
	if orgs, _ := dst.Organisations(ctx, vigie.OrganisationFilter{}); len(orgs) != 1 {
		t.Errorf("%d organisations stored after a refused import, want 1", len(orgs))
	}
	if news, _ := dst.NewsItems(ctx, vigie.NewsFilter{}); len(news) != len(stored) {
		t.Errorf("%d news items stored after a refused import, want %d", len(news), len(stored))
	}
}

// A source that the database stores with other details is refused with
// its place, whether the file lists its sources in the order of their
// keys (read beside the stored ones) or not (the stored ones held), among
// sources only the file has and sources only the database has.
func TestMergeRefusesChangedSourcesWithTheirPlace(t *testing.T) {
	defer export.SetHistoryChunk(2)()
	base := smallDataset(t)
	if len(base.Sources) < 3 {
		t.Fatalf("the fixture has %d sources: too few", len(base.Sources))
	}
	dst := openStore(t)
	if _, err := importBytes(t, dst, export.FormatJSON, write(t, export.FormatJSON, base), importer.Options{}); err != nil {
		t.Fatal(err)
	}
	update(t, dst, func(tx vigie.Tx) error {
		_, _, err := tx.SaveAssessment(ctx, vigie.Assessment{Country: "GM", Indicator: "age-of-consent", Rating: vigie.RatingPartial,
			Citations: []vigie.Citation{{Source: vigie.Source{Kind: vigie.SourceLaw, Title: "AAA only stored", Year: 1999}},
				{Source: vigie.Source{Kind: vigie.SourceLaw, Title: "zzz only stored", Year: 1999}}}},
			vigie.Change{Author: "someone", At: day0.AddDate(1, 0, 0)})
		return err
	})
	ds := withLibrary(base, 3) // laws only the file has
	changed := *ds
	changed.Sources = slices.Clone(ds.Sources)
	for _, i := range []int{0, len(base.Sources) - 1} {
		changed.Sources[i].Publisher += " (changed)"
	}
	reversed := changed
	reversed.Sources = slices.Clone(changed.Sources)
	slices.Reverse(reversed.Sources)
	for name, set := range map[string]*export.Dataset{"in key order": &changed, "reversed": &reversed} {
		o, err := export.Open(export.Input{Name: "vigie.json", Data: write(t, export.FormatJSON, set)}, export.FormatJSON, nil)
		if err != nil {
			t.Fatal(err)
		}
		if inOrder := export.SourcesInKeyOrder(o); inOrder != (name == "in key order") {
			t.Errorf("%s: the sources are read beside the stored ones: %v", name, inOrder)
		}
		o.Close()
		_, err = importBytes(t, dst, export.FormatJSON, write(t, export.FormatJSON, set), importer.Options{})
		for _, i := range []int{0, len(base.Sources) - 1} {
			at := slices.IndexFunc(set.Sources, func(s export.Source) bool { return s.ID == changed.Sources[i].ID })
			want := fmt.Sprintf("vigie.json#/sources/%d/publisher: the stored source %q has publisher %q, not %q", at,
				base.Sources[i].Title, base.Sources[i].Publisher, changed.Sources[i].Publisher)
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("%s: err = %v\nwant %q", name, err, want)
			}
		}
		if err != nil && strings.Count(err.Error(), "the stored source") != 2 {
			t.Errorf("%s: %d sources refused, want 2:\n%v", name, strings.Count(err.Error(), "the stored source"), err)
		}
	}
	// As stored, the file merges.
	if _, err := importBytes(t, dst, export.FormatJSON, write(t, export.FormatJSON, base), importer.Options{}); err != nil {
		t.Errorf("the file with its sources as stored: %v", err)
	}
}

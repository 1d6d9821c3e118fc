package export_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/export"
	"github.com/vigie-network/vigie/importer"
	"github.com/xuri/excelize/v2"
)

func TestRoundTrip(t *testing.T) {
	src := openStore(t)
	seedFull(t, src)
	for _, format := range []string{export.FormatJSON, export.FormatCSV, export.FormatXLSX} {
		t.Run(format, func(t *testing.T) {
			first := exportBytes(t, src, format, export.Options{})
			dst := openStore(t)
			sum, err := importBytes(t, dst, format, first, importer.Options{})
			if err != nil {
				t.Fatalf("import: %v", err)
			}
			if sum.Revisions == 0 || sum.Organisations != 2 || sum.Publications != 2 {
				t.Errorf("summary = %+v", sum)
			}
			second := exportBytes(t, dst, format, export.Options{})
			if !bytes.Equal(first, second) {
				t.Fatalf("export → import → export changed the %s file (%d bytes, then %d)", format, len(first), len(second))
			}
			// Importing into the database it came from changes nothing.
			v1, _ := src.DataVersion(ctx)
			sum, err = importBytes(t, src, format, first, importer.Options{})
			if err != nil || sum.Changed() {
				t.Errorf("re-import into the source: %+v, %v", sum, err)
			}
			if v2, _ := src.DataVersion(ctx); v2 != v1 {
				t.Errorf("re-import moved the data version from %d to %d", v1, v2)
			}
		})
	}
}

// TestRoundTripKeepsEverything checks the imported database itself, not
// only its export: every revision of every state, with its citations.
func TestRoundTripKeepsEverything(t *testing.T) {
	src := openStore(t)
	seedFull(t, src)
	dst := openStore(t)
	if _, err := importBytes(t, dst, export.FormatJSON, exportBytes(t, src, export.FormatJSON, export.Options{}), importer.Options{}); err != nil {
		t.Fatal(err)
	}
	states := map[string]int{}
	for _, st := range []string{vigie.RevisionDraft, vigie.RevisionSubmitted, vigie.RevisionReturned, vigie.RevisionPublished} {
		want, _ := src.RevisionsInState(ctx, st)
		got, _ := dst.RevisionsInState(ctx, st)
		if len(got) != len(want) || len(got) == 0 {
			t.Fatalf("%s: %d revisions, want %d (and some)", st, len(got), len(want))
		}
		key := func(r vigie.Revision) string { return r.Content.Country + r.Content.Indicator + string(rune(r.Number)) }
		slices.SortFunc(want, func(a, b vigie.Revision) int { return strings.Compare(key(a), key(b)) })
		slices.SortFunc(got, func(a, b vigie.Revision) int { return strings.Compare(key(a), key(b)) })
		for i := range want {
			if diff := vigie.DiffRevision(want[i], got[i]); len(diff) > 0 {
				t.Errorf("%s revision %d of %s/%s differs in %v", st, want[i].Number, want[i].Content.Country, want[i].Content.Indicator, diff)
			}
		}
		states[st] = len(got)
	}
	for _, c := range vigie.Countries() {
		want, _ := src.Assessments(ctx, vigie.AssessmentFilter{Country: c.ISO2})
		got, _ := dst.Assessments(ctx, vigie.AssessmentFilter{Country: c.ISO2})
		if len(got) != len(want) || (len(got) > 0 && (got[0].Revision != want[0].Revision || !got[0].UpdatedAt.Equal(want[0].UpdatedAt))) {
			t.Fatalf("%s: published state %+v, want %+v", c.ISO2, got, want)
		}
	}
	ratings := map[string]bool{}
	all, _ := dst.Assessments(ctx, vigie.AssessmentFilter{})
	for _, a := range all {
		ratings[a.Rating] = true
	}
	if len(ratings) != len(vigie.DefaultRatings()) {
		t.Errorf("the fixture uses ratings %v, want all %d", ratings, len(vigie.DefaultRatings()))
	}
	org, err := dst.Organisation(ctx, "acesem")
	if err != nil || len(org.Contacts) != 2 || org.Contacts[1].Address != "Rue 12\nBamako" || !strings.HasSuffix(org.Description, tricky) {
		t.Errorf("organisation = %+v, %v", org, err)
	}
	if f, err := dst.FeaturedStory(ctx); err != nil || f.Slug != "public-opinion-is-clear" || len(f.Countries) != 2 {
		t.Errorf("featured = %+v, %v", f, err)
	}
	want, _ := src.Translations(ctx, vigie.TranslationFilter{})
	got, _ := dst.Translations(ctx, vigie.TranslationFilter{})
	if len(want) < 3 || len(got) != len(want) {
		t.Fatalf("%d translations, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i].Key != want[i].Key || got[i].Field != want[i].Field || got[i].Lang != want[i].Lang ||
			got[i].Text != want[i].Text || got[i].SourceVersion != want[i].SourceVersion {
			t.Errorf("translation %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

// jsonDocument is src's JSON export as a document a test can spoil.
func jsonDocument(t testing.TB, src vigie.Reader) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(exportBytes(t, src, export.FormatJSON, export.Options{}), &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// Translations travel with the data; one that contradicts the stored
// translation, or is not a translation Vigie knows, is refused by row.
func TestTranslationsInTheData(t *testing.T) {
	src := openStore(t)
	seedFull(t, src)
	doc := jsonDocument(t, src)
	trs := doc["translations"].([]any)
	first := trs[0].(map[string]any)["text"]
	trs[0].(map[string]any)["text"] = "Une autre traduction"
	trs[1].(map[string]any)["lang"] = "de"
	bad, _ := json.Marshal(doc)
	_, err := importBytes(t, src, export.FormatJSON, bad, importer.Options{})
	for _, want := range []string{
		`vigie.json#/translations/1/lang: lang: "de" is not a language content is translated into`,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("the error does not say %s:\n%v", want, err)
		}
	}
	trs[1].(map[string]any)["lang"] = "es"
	bad, _ = json.Marshal(doc)
	_, err = importBytes(t, src, export.FormatJSON, bad, importer.Options{})
	if err == nil || !strings.Contains(err.Error(), "translations/0/text") || !strings.Contains(err.Error(), "differs") {
		t.Errorf("a different stored translation: %v", err)
	}
	// The framework's translations are the admins': a different one in a
	// file is noted and the database's kept.
	trs[0].(map[string]any)["text"] = first
	for _, r := range trs {
		if row := r.(map[string]any); row["kind"] == vigie.KindIndicator && row["lang"] == "fr" && row["field"] == "name" {
			row["text"] = "Un autre nom"
			break
		}
	}
	bad, _ = json.Marshal(doc)
	sum, err := importBytes(t, src, export.FormatJSON, bad, importer.Options{})
	if err != nil || sum.Changed() {
		t.Errorf("a different framework translation: %v, %+v", err, sum)
	}
	// An export as of a past day has no translations: they have no history.
	var past map[string]any
	if err := json.Unmarshal(exportBytes(t, src, export.FormatJSON, export.Options{AsOf: "2025-12-31"}), &past); err != nil {
		t.Fatal(err)
	}
	if list, _ := past["translations"].([]any); len(list) != 0 {
		t.Errorf("an as-of export holds %d of today's translations", len(list))
	}
}

func TestCSVDirectoryRoundTrip(t *testing.T) {
	src := openStore(t)
	seedFull(t, src)
	ds, err := export.Build(ctx, src, export.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "vigie")
	if err := export.WriteCSVDir(dir, ds, nil); err != nil {
		t.Fatal(err)
	}
	dst := openStore(t)
	if _, err := importer.ImportFiles(ctx, dst, []string{dir}, importer.Options{}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(exportBytes(t, src, export.FormatCSV, export.Options{}), exportBytes(t, dst, export.FormatCSV, export.Options{})) {
		t.Error("the data package directory did not round trip")
	}
}

// csvPackage writes the fixture as a data package directory.
func csvPackage(t *testing.T) (dir string, src vigie.Store) {
	s := openStore(t)
	seedFull(t, s)
	ds, err := export.Build(ctx, s, export.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir = filepath.Join(t.TempDir(), "pkg")
	if err := export.WriteCSVDir(dir, ds, nil); err != nil {
		t.Fatal(err)
	}
	return dir, s
}

// editLine replaces field (1-based) of the record starting at line in a
// CSV file whose records are one line each at that point.
func editLine(t *testing.T, file string, line, field int, value string) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\r\n")
	fields := strings.Split(lines[line-1], ",")
	fields[field-1] = value
	lines[line-1] = strings.Join(fields, ",")
	if err := os.WriteFile(file, []byte(strings.Join(lines, "\r\n")), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestCSVWithErrorsIsRefusedWhole(t *testing.T) {
	dir, _ := csvPackage(t)
	// Three bad lines in two files: each must be listed, with its line and column.
	editLine(t, filepath.Join(dir, "assessments.csv"), 3, 4, "maybe")        // rating
	editLine(t, filepath.Join(dir, "assessments.csv"), 7, 1, "XX")           // country
	editLine(t, filepath.Join(dir, "sources.csv"), 8, 6, "two thousand")     // year
	editLine(t, filepath.Join(dir, "contacts.csv"), 2, 5, "(+223) 77 08 40") // phone, not E.164
	dst := openStore(t)
	v0, _ := dst.DataVersion(ctx)
	_, err := importer.ImportFiles(ctx, dst, []string{dir}, importer.Options{})
	if err == nil {
		t.Fatal("a package with errors was imported")
	}
	for _, want := range []string{
		`assessments.csv:3:4: .*maybe`,
		`assessments.csv:7:1: .*"XX"`,
		`sources.csv:8:6: year: "two thousand" is not a whole number`,
		`contacts.csv:2:5: phone: .*E.164`,
	} {
		if !regexp.MustCompile(regexp.QuoteMeta(dir) + "/" + want).MatchString(err.Error()) {
			t.Errorf("the error does not list %s:\n%v", want, err)
		}
	}
	if v1, _ := dst.DataVersion(ctx); v1 != v0 {
		t.Errorf("a refused import wrote something (data version %d → %d)", v0, v1)
	}
	if revs, _ := dst.RevisionsInState(ctx, vigie.RevisionPublished); len(revs) != 0 {
		t.Errorf("a refused import stored %d revisions", len(revs))
	}
}

func TestProblemsAreCapped(t *testing.T) {
	var ps export.Problems
	for i := range 130 {
		ps = append(ps, export.Problem{At: "x.csv:" + string(rune('0'+i%10)), Msg: "bad"})
	}
	msg := ps.Error()
	if n := strings.Count(msg, "\n"); n != export.MaxListed {
		t.Errorf("%d lines, want %d and a last one", n+1, export.MaxListed)
	}
	if !strings.HasSuffix(msg, "and 30 more problem(s)") {
		t.Errorf("message ends %q", msg[len(msg)-40:])
	}
}

func TestMalformedCSV(t *testing.T) {
	dir, _ := csvPackage(t)
	file := filepath.Join(dir, "news.csv")
	data, _ := os.ReadFile(file)
	os.WriteFile(file, append(data, []byte("x,\"never closed\r\n")...), 0o644)
	_, err := importer.ImportFiles(ctx, openStore(t), []string{dir}, importer.Options{})
	line := bytes.Count(data, []byte("\n")) + 1 // the bad record starts after the last line break
	want := filepath.Join(dir, "news.csv") + ":" + strconv.Itoa(line) + ":2: a quoted field is never closed"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("err = %v, want %s", err, want)
	}
}

func TestJSONErrorsUseJSONPointers(t *testing.T) {
	src := openStore(t)
	seedFull(t, src)
	doc := jsonDocument(t, src)
	doc["revisions"].([]any)[3].(map[string]any)["rating"] = "maybe"
	doc["revisions"].([]any)[5].(map[string]any)["number"] = "five"
	doc["news"].([]any)[0].(map[string]any)["colour"] = "red"
	bad, _ := json.Marshal(doc)
	_, err := importBytes(t, openStore(t), export.FormatJSON, bad, importer.Options{})
	for _, want := range []string{
		`vigie.json#/revisions/3/rating: rating: unknown rating "maybe"`,
		`vigie.json#/revisions/5/number: must be a whole number, not "five"`,
		`vigie.json#/news/0/colour: unknown member`,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("the error does not say %s:\n%v", want, err)
		}
	}
}

func TestXLSXErrorsNameTheCell(t *testing.T) {
	src := openStore(t)
	seedFull(t, src)
	data := exportBytes(t, src, export.FormatXLSX, export.Options{})
	bad := editXLSX(t, data, map[string]string{
		"revisions!L5":  "maybe",      // rating
		"revisions!C9":  "nine",       // number
		"citations!E2":  "999",        // a source that does not exist
		"news!C3":       "31/12/2024", // date
		"countries!A10": "Atlantis",   // iso2
	})
	_, err := importBytes(t, openStore(t), export.FormatXLSX, bad, importer.Options{})
	for _, want := range []string{
		`[vigie.xlsx]revisions!L5: rating: unknown rating "maybe"`,
		`[vigie.xlsx]revisions!C9: number: "nine" is not a whole number`,
		`[vigie.xlsx]citations!E2: no source 999`,
		`[vigie.xlsx]news!C3: "31/12/2024" is not a date`,
		`[vigie.xlsx]countries!A10: unknown country code "Atlantis"`,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("the error does not say %s:\n%v", want, err)
		}
	}
}

func TestDryRunWritesNothing(t *testing.T) {
	src := openStore(t)
	seedFull(t, src)
	data := exportBytes(t, src, export.FormatJSON, export.Options{})
	dst := openStore(t)
	v0, _ := dst.DataVersion(ctx)
	var log bytes.Buffer
	sum, err := importBytes(t, dst, export.FormatJSON, data, importer.Options{DryRun: true, Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	if !sum.Changed() || sum.Revisions == 0 || !strings.Contains(log.String(), "assessment ML/age-of-consent: 5 revision(s) restored, published revision 3") {
		t.Errorf("a dry run did not say what would change: %+v\n%s", sum, log.String())
	}
	if v1, _ := dst.DataVersion(ctx); v1 != v0 {
		t.Errorf("a dry run wrote (data version %d → %d)", v0, v1)
	}
	if all, _ := dst.Assessments(ctx, vigie.AssessmentFilter{}); len(all) != 0 {
		t.Errorf("a dry run stored %d assessments", len(all))
	}
}

// failingStore breaks every transaction once the import starts writing
// revisions, after its other writes, as a crash or a full disk would
// halfway through an import.
type failingStore struct{ vigie.Store }

var errKilled = errors.New("killed halfway")

func (s failingStore) Update(ctx2 context.Context, fn func(vigie.Tx) error) error {
	return s.Store.Update(ctx2, func(tx vigie.Tx) error { return fn(failingTx{tx}) })
}

type failingTx struct{ vigie.Tx }

func (t failingTx) RestoreRevisions(ctx2 context.Context, rs []vigie.Restore) (int, int, error) {
	// Write half, then fail.
	if _, _, err := t.Tx.RestoreRevisions(ctx2, rs[:len(rs)/2]); err != nil {
		return 0, 0, err
	}
	return 0, 0, errKilled
}

func TestImportKilledHalfwayLeavesTheDatabaseAsItWas(t *testing.T) {
	src := openStore(t)
	seedFull(t, src)
	data := exportBytes(t, src, export.FormatJSON, export.Options{})
	dst := openStore(t)
	before := exportBytes(t, dst, export.FormatJSON, export.Options{})
	v0, _ := dst.DataVersion(ctx)
	_, err := importBytes(t, failingStore{dst}, export.FormatJSON, data, importer.Options{})
	if !errors.Is(err, errKilled) {
		t.Fatalf("err = %v, want the injected failure", err)
	}
	if v1, _ := dst.DataVersion(ctx); v1 != v0 {
		t.Errorf("data version %d → %d after a failed import", v0, v1)
	}
	if after := exportBytes(t, dst, export.FormatJSON, export.Options{}); !bytes.Equal(before, after) {
		t.Error("the database changed after a failed import")
	}
}

func TestMergeIntoAStoreWithData(t *testing.T) {
	src := openStore(t)
	seedFull(t, src)
	data := exportBytes(t, src, export.FormatJSON, export.Options{})

	// A database that already has a different revision 1 of one
	// assessment, and a different featured story.
	dst := openStore(t)
	update(t, dst, func(tx vigie.Tx) error {
		_, _, err := tx.SaveAssessment(ctx, vigie.Assessment{Country: "ML", Indicator: "sec-police-unit", Rating: vigie.RatingNo},
			vigie.Change{Author: "someone", At: day0})
		return err
	})
	_, err := importBytes(t, dst, export.FormatJSON, data, importer.Options{})
	if err == nil {
		t.Fatal("a conflicting revision was merged")
	}
	if !regexp.MustCompile(`vigie\.json#/revisions/\d+/author: revision 1 of ML/sec-police-unit is already stored and differs in author, .*rating`).MatchString(err.Error()) {
		t.Errorf("the error does not name the conflicting row:\n%v", err)
	}
	if revs, _ := dst.Revisions(ctx, "ML", "sec-police-unit"); len(revs) != 1 || revs[0].Author != "someone" {
		t.Errorf("the stored revision changed: %+v", revs)
	}

	// A database holding the first part of the history takes the rest,
	// and the published state moves to the later revision.
	part := openStore(t)
	ds, _ := export.ReadJSON("part.json", data, nil)
	keep := ds.Revisions[:0]
	for _, r := range ds.Revisions {
		if r.Country != "ML" || r.Number <= 2 {
			keep = append(keep, r)
		}
	}
	ds.Revisions = keep
	cites := ds.Citations[:0]
	for _, c := range ds.Citations {
		if c.Country != "ML" || c.Revision <= 2 {
			cites = append(cites, c)
		}
	}
	ds.Citations = cites
	for i, a := range ds.Assessments {
		if a.Country == "ML" && a.Revision > 2 {
			for _, r := range ds.Revisions {
				if r.Country == "ML" && r.Indicator == a.Indicator && r.Number == 1 {
					ds.Assessments[i] = export.Assessment{Country: "ML", Indicator: a.Indicator, Revision: 1, Rating: r.Rating,
						Value: r.Value, AsOf: r.AsOf, PublishedAt: r.PublishedAt}
				}
			}
		}
	}
	var buf bytes.Buffer
	export.WriteJSON(&buf, ds, nil)
	if _, err := importBytes(t, part, export.FormatJSON, buf.Bytes(), importer.Options{}); err != nil {
		t.Fatal(err)
	}
	if a, _ := part.Assessment(ctx, "ML", "csam-definition"); a.Revision != 1 {
		t.Fatalf("partial import: published revision %d", a.Revision)
	}
	sum, err := importBytes(t, part, export.FormatJSON, data, importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Assessments != 9 || sum.Revisions != 9*3 {
		t.Errorf("merge summary = %+v, want 9 assessments moved and 27 revisions restored", sum)
	}
	if a, _ := part.Assessment(ctx, "ML", "csam-definition"); a.Revision != 3 || a.Rating != vigie.RatingYes {
		t.Errorf("after the merge: published revision %d (%s), want 3", a.Revision, a.Rating)
	}
	if !bytes.Equal(exportBytes(t, part, export.FormatJSON, export.Options{}), data) {
		t.Error("after merging the rest, the export differs from the source's")
	}
}

func TestAsOf(t *testing.T) {
	src := openStore(t)
	seedFull(t, src)
	// Mali's histories were first published on day0, and again a month
	// later: as of the day before that, the first revisions were public.
	asOf := day0.AddDate(0, 1, -1)
	ds, err := export.Build(ctx, src, export.Options{AsOf: asOf.Format(time.DateOnly)})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range ds.Revisions {
		if r.State != vigie.RevisionPublished || !r.PublishedAt.Before(asOf.AddDate(0, 0, 1)) {
			t.Fatalf("as-of export holds %+v", r)
		}
	}
	mali := 0
	for _, a := range ds.Assessments {
		if a.Country == "ML" {
			mali++
			if a.Revision != 1 || a.Rating != vigie.RatingPartial {
				t.Errorf("as of then, %s/%s showed revision 1, not %d (%s)", a.Country, a.Indicator, a.Revision, a.Rating)
			}
		}
	}
	if mali != 9 {
		t.Errorf("%d of Mali's assessments as of then, want 9", mali)
	}
	later, _ := export.Build(ctx, src, export.Options{AsOf: "2030-01-01"})
	now, _ := export.Build(ctx, src, export.Options{Scope: export.ScopeFull})
	if len(later.Assessments) != len(now.Assessments) {
		t.Errorf("as of a later day: %d assessments, now %d", len(later.Assessments), len(now.Assessments))
	}
	if _, err := export.Build(ctx, src, export.Options{AsOf: "31/12/2024"}); err == nil {
		t.Error("a bad day was accepted")
	}
}

func TestPublishedScopeHidesDraftsAndAuthors(t *testing.T) {
	src := openStore(t)
	seedFull(t, src)
	ds, err := export.Build(ctx, src, export.Options{Scope: export.ScopePublished})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range ds.Revisions {
		if r.State != vigie.RevisionPublished || r.Author != "" || r.Reason != "" || r.Reviewer != "" || r.ReviewComment != "" {
			t.Fatalf("published-only export holds %+v", r)
		}
	}
	var buf bytes.Buffer
	if err := export.WriteJSON(&buf, ds, nil); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "Ana Researcher") || strings.Contains(buf.String(), "new study") {
		t.Error("names or reasons leak into the published export")
	}
	// It imports, named after the importer, and round trips.
	dst := openStore(t)
	if _, err := importBytes(t, dst, export.FormatJSON, buf.Bytes(), importer.Options{Author: "mirror"}); err != nil {
		t.Fatal(err)
	}
	if revs, _ := dst.Revisions(ctx, "ML", "csam-definition"); len(revs) == 0 || revs[0].Author != "mirror" {
		t.Errorf("revisions = %+v", revs)
	}
	if again := exportBytes(t, dst, export.FormatJSON, export.Options{Scope: export.ScopePublished}); !bytes.Equal(again, buf.Bytes()) {
		t.Error("the published export does not round trip")
	}
	if _, err := importBytes(t, dst, export.FormatJSON, buf.Bytes(), importer.Options{Author: "someone else"}); err != nil {
		t.Errorf("importing the published export again: %v", err)
	}
}

func TestDataPackageDescriptor(t *testing.T) {
	src := openStore(t)
	seedFull(t, src)
	data := exportBytes(t, src, export.FormatCSV, export.Options{})
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	read := func(name string) []byte {
		f, err := zr.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		var buf bytes.Buffer
		buf.ReadFrom(f)
		return buf.Bytes()
	}
	var pkg struct {
		Profile   string
		Resources []struct {
			Name, Path, Encoding string
			Schema               struct {
				Fields      []struct{ Name, Type string }
				PrimaryKey  []string
				ForeignKeys []struct {
					Fields    []string
					Reference struct {
						Resource string
						Fields   []string
					}
				}
			}
		}
	}
	if err := json.Unmarshal(read(export.DescriptorName), &pkg); err != nil {
		t.Fatal(err)
	}
	if pkg.Profile != "tabular-data-package" || len(pkg.Resources) != len(export.Tables()) {
		t.Fatalf("descriptor: profile %q, %d resources", pkg.Profile, len(pkg.Resources))
	}
	names := map[string]map[string]bool{}
	for _, r := range pkg.Resources {
		names[r.Name] = map[string]bool{}
		for _, f := range r.Schema.Fields {
			names[r.Name][f.Name] = true
		}
	}
	for _, r := range pkg.Resources {
		body := read(r.Path)
		if r.Encoding != "utf-8" || bytes.HasPrefix(body, []byte("\ufeff")) {
			t.Errorf("%s: encoding %q or a byte order mark", r.Path, r.Encoding)
		}
		head := strings.Split(string(body[:bytes.Index(body, []byte("\r\n"))]), ",")
		var want []string
		for _, f := range r.Schema.Fields {
			want = append(want, f.Name)
			if f.Type == "" {
				t.Errorf("%s.%s has no type", r.Name, f.Name)
			}
		}
		if !slices.Equal(head, want) {
			t.Errorf("%s header %v, schema %v", r.Path, head, want)
		}
		for _, k := range r.Schema.PrimaryKey {
			if !names[r.Name][k] {
				t.Errorf("%s: primary key %s is no field", r.Name, k)
			}
		}
		for _, fk := range r.Schema.ForeignKeys {
			for i, f := range fk.Fields {
				if !names[r.Name][f] || !names[fk.Reference.Resource][fk.Reference.Fields[i]] {
					t.Errorf("%s: foreign key %v → %s %v names a missing field", r.Name, fk.Fields, fk.Reference.Resource, fk.Reference.Fields)
				}
			}
		}
	}
}

func TestEditionsAndChangelog(t *testing.T) {
	s := openStore(t)
	seedFull(t, s)
	first, err := export.PublishEdition(ctx, s, "2025", "test", day0.AddDate(0, 2, 0))
	if err != nil {
		t.Fatal(err)
	}
	if first.SHA256 != vigie.SnapshotDigest(first.Snapshot) || first.Size != int64(len(first.Snapshot)) {
		t.Errorf("edition digest or size wrong: %+v", first.SHA256)
	}
	ds1, err := export.ReadEdition(first)
	if err != nil {
		t.Fatal(err)
	}
	if ds1.Edition == nil || ds1.Edition.Name != "2025" || ds1.Scope != export.ScopePublished {
		t.Errorf("edition meta = %+v", ds1.Meta)
	}
	// Editions are frozen.
	if _, err := export.PublishEdition(ctx, s, "2025", "test", day0.AddDate(0, 3, 0)); vigie.ErrorCode(err) != vigie.ECONFLICT {
		t.Errorf("publishing 2025 again: %v", err)
	}
	// Change a rating, add an assessment, and publish again.
	update(t, s, func(tx vigie.Tx) error {
		a, _ := tx.Assessment(ctx, "ML", "csam-definition")
		a.Rating = vigie.RatingNoData
		if _, _, err := tx.SaveAssessment(ctx, a, vigie.Change{Author: "x", At: day0.AddDate(0, 3, 0)}); err != nil {
			return err
		}
		existing, _ := tx.Assessments(ctx, vigie.AssessmentFilter{Country: "SN"})
		_, _, err := tx.SaveAssessment(ctx, vigie.Assessment{Country: "SN", Indicator: otherIndicator(existing), Rating: vigie.RatingNo,
			Explanation: "new"}, vigie.Change{Author: "x", At: day0.AddDate(0, 3, 0)})
		return err
	})
	second, err := export.PublishEdition(ctx, s, "2026", "test", day0.AddDate(0, 4, 0))
	if err != nil {
		t.Fatal(err)
	}
	ds2, _ := export.ReadEdition(second)
	log := export.Compare(ds1, ds2)
	if len(log.Changed) != 1 || log.Changed[0] != (export.Change{Country: "ML", Indicator: "csam-definition", Before: vigie.RatingYes, After: vigie.RatingNoData}) {
		t.Errorf("changed = %+v", log.Changed)
	}
	if len(log.Added) != 1 || log.Added[0].Country != "SN" || len(log.Removed) != 0 {
		t.Errorf("added %+v, removed %+v", log.Added, log.Removed)
	}
	// The snapshot exports as it was frozen, in every format, the same way each time.
	for _, f := range []string{export.FormatCSV, export.FormatXLSX} {
		var a, b bytes.Buffer
		export.Write(&a, f, ds1, nil)
		export.Write(&b, f, ds1, nil)
		if !bytes.Equal(a.Bytes(), b.Bytes()) || a.Len() == 0 {
			t.Errorf("%s of an edition is not deterministic", f)
		}
	}
	list, _ := s.Editions(ctx)
	if len(list) != 2 || list[0].Name != "2026" {
		t.Errorf("editions = %+v", list)
	}
}

// otherIndicator returns an indicator none of the assessments is about.
func otherIndicator(existing []vigie.Assessment) string {
	for _, ind := range vigie.DefaultIndicators() {
		if !slices.ContainsFunc(existing, func(a vigie.Assessment) bool { return a.Indicator == ind.Key }) {
			return ind.Key
		}
	}
	return ""
}

// editXLSX sets cells ("sheet!A1") of a workbook to text.
func editXLSX(t *testing.T, data []byte, cells map[string]string) []byte {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for ref, v := range cells {
		sheet, cell, _ := strings.Cut(ref, "!")
		if err := f.SetCellStr(sheet, cell, v); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

package storetest

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	vigie "github.com/vigie-network/vigie"
)

// restoreTests cover what imports of Vigie's own exports rely on:
// revisions restored verbatim, and editions.
func restoreTests() []namedTest {
	return []namedTest{
		{"RestoreRevisionsVerbatim", testRestoreVerbatim},
		{"RestoreRevisionsNeverRewriteHistory", testRestoreConflict},
		{"RestoreRevisionsCheckFirst", testRestoreChecks},
		{"RestoreRevisionsListRatingChanges", testRestoreRatingChanges},
		{"SearchAfterBulkWrite", testSearchAfterBulkWrite},
		{"Editions", testEditions},
	}
}

// restoredHistory is an assessment's history as an export carries it:
// every state, a gap where a draft was left out, times of its own.
func restoredHistory() []vigie.Revision {
	at := func(day, hour int) time.Time { return time.Date(2025, 2, day, hour, 30, 15, 250_000_000, time.UTC) }
	age := 15
	first := extraterritoriality()
	second := first
	second.Rating, second.Value, second.AsOf = vigie.RatingYes, nil, vigie.AsOf{Year: 2024, Month: 7, Day: 1}
	second.Explanation = "Revised.\r\nWith a Windows line break and trailing space "
	second.Citations = []vigie.Citation{first.Citations[2], {Source: vigie.Source{Kind: vigie.SourcePublication,
		Title: "SECTT Legal Checklist Mali", Publisher: "A network", Year: 2020, Link: "https://example.org/checklist"}}}
	third := first
	third.Indicator, third.Rating, third.Value, third.Citations = "age-of-consent", vigie.RatingNo, &age, nil
	return []vigie.Revision{
		{Number: 1, Base: 0, State: vigie.RevisionPublished, Author: "ana@example.org", Reason: "first study",
			CreatedAt: at(1, 9), PublishedAt: at(2, 10), Reviewer: "Rui", ReviewComment: "checked", Content: first},
		{Number: 2, Base: 1, State: vigie.RevisionReturned, Author: "ana@example.org", Reason: "typo",
			CreatedAt: at(3, 9), Reviewer: "Rui", ReviewComment: "please cite the article", Content: first},
		{Number: 4, Base: 2, State: vigie.RevisionPublished, Author: "Ana", Reason: "new law",
			CreatedAt: at(4, 9), PublishedAt: at(5, 11), Reviewer: "Rui", Content: second},
		{Number: 5, Base: 4, State: vigie.RevisionSubmitted, Author: "Ana", CreatedAt: at(6, 9), Content: second},
		{Number: 6, Base: 5, State: vigie.RevisionDraft, Author: "Ana", CreatedAt: at(7, 9), Content: first},
		{Number: 1, Base: 0, State: vigie.RevisionPublished, Author: "import", CreatedAt: at(1, 8), PublishedAt: at(1, 8), Content: third},
	}
}

func restoreAll(t *testing.T, s vigie.Store, revs []vigie.Revision, current func(vigie.Revision) bool) (written, moved int) {
	t.Helper()
	update(t, s, func(tx vigie.Tx) (err error) {
		written, moved, err = tx.RestoreRevisions(ctx, restores(revs, current))
		return err
	})
	return written, moved
}

func restores(revs []vigie.Revision, current func(vigie.Revision) bool) []vigie.Restore {
	out := make([]vigie.Restore, len(revs))
	for i, r := range revs {
		out[i] = vigie.Restore{Revision: r, Current: current(r)}
	}
	return out
}

func restoreOne(s vigie.Store, r vigie.Revision, current bool) error {
	return s.Update(ctx, func(tx vigie.Tx) error {
		_, _, err := tx.RestoreRevisions(ctx, []vigie.Restore{{Revision: r, Current: current}})
		return err
	})
}

func isCurrent(r vigie.Revision) bool {
	return (r.Content.Indicator == "extraterritoriality-extradition" && r.Number == 4) || r.Content.Indicator == "age-of-consent"
}

func testRestoreVerbatim(t *testing.T, s vigie.Store) {
	history := restoredHistory()
	if w, m := restoreAll(t, s, history, isCurrent); w != len(history) || m != 2 {
		t.Errorf("restore wrote %d revisions and moved %d published states, want %d and 2", w, m, len(history))
	}
	revs, err := s.Revisions(ctx, "ML", "extraterritoriality-extradition")
	if err != nil {
		t.Fatal(err)
	}
	want := history[:5]
	if len(revs) != len(want) {
		t.Fatalf("got %d revisions, want %d", len(revs), len(want))
	}
	for i, got := range revs {
		w := want[len(want)-1-i] // newest first
		if diff := vigie.DiffRevision(got, w); len(diff) > 0 {
			t.Errorf("revision %d read back differs in %v:\n got %+v\nwant %+v", w.Number, diff, got, w)
		}
	}
	if got := revs[1].Content.Citations[1].Source; got.Publisher != "A network" || got.Link != "https://example.org/checklist" || got.ID == 0 {
		t.Errorf("publication source read back as %+v", got)
	}
	pub, err := s.Assessment(ctx, "ML", "extraterritoriality-extradition")
	if err != nil {
		t.Fatal(err)
	}
	if pub.Revision != 4 || pub.Rating != vigie.RatingYes || !pub.UpdatedAt.Equal(history[2].PublishedAt) {
		t.Errorf("published state = revision %d, rating %s, updated %v; want revision 4", pub.Revision, pub.Rating, pub.UpdatedAt)
	}
	if age, _ := s.Assessment(ctx, "ML", "age-of-consent"); age.Value == nil || *age.Value != 15 {
		t.Errorf("age of consent = %+v", age)
	}
	// Search follows the published state, as after every publish.
	hits, err := s.Search(ctx, vigie.SearchQuery{Text: "revised", Kind: vigie.SearchAssessment})
	if err != nil || len(hits) != 1 || hits[0].Countries[0] != "ML" || hits[0].Indicators[0] != "extraterritoriality-extradition" {
		t.Errorf("search for the restored published text: %+v, %v", hits, err)
	}
	queue, _ := s.RevisionsInState(ctx, vigie.RevisionSubmitted)
	if len(queue) != 1 || queue[0].Number != 5 {
		t.Errorf("review queue after restore = %+v", queue)
	}

	// Restoring the same history again writes nothing.
	v1, _ := s.DataVersion(ctx)
	if w, m := restoreAll(t, s, history, isCurrent); w+m != 0 {
		t.Errorf("restoring the same history again wrote %d revisions and moved %d published states", w, m)
	}
	if v2, _ := s.DataVersion(ctx); v2 != v1 {
		t.Errorf("data version moved from %d to %d on a no-op restore", v1, v2)
	}

	// Editing goes on from the restored numbers.
	update(t, s, func(tx vigie.Tx) error {
		rev, err := tx.AddRevision(ctx, extraterritoriality(), vigie.NewRevision{State: vigie.RevisionDraft, Base: 6,
			Change: vigie.Change{Author: "ana"}})
		if err == nil && rev.Number != 7 {
			err = fmt.Errorf("next revision is %d, want 7", rev.Number)
		}
		return err
	})

	// An older published revision restored as current moves the pointer back.
	update(t, s, func(tx vigie.Tx) error {
		w, m, err := tx.RestoreRevisions(ctx, []vigie.Restore{{Revision: history[0], Current: true}})
		if err == nil && (w != 0 || m != 1) {
			err = fmt.Errorf("moving the published state back: %d written, %d moved; want 0 and 1", w, m)
		}
		return err
	})
	if pub, _ := s.Assessment(ctx, "ML", "extraterritoriality-extradition"); pub.Revision != 1 {
		t.Errorf("published revision = %d, want 1", pub.Revision)
	}
	if hits, _ := s.Search(ctx, vigie.SearchQuery{Text: "revised", Kind: vigie.SearchAssessment}); len(hits) != 0 {
		t.Errorf("search still finds the text no longer published: %+v", hits)
	}
}

// testRestoreRatingChanges: a history restored in batches, the newer
// revisions first, lists the same rating changes as the same history
// published one revision at a time.
func testRestoreRatingChanges(t *testing.T, s vigie.Store) {
	a := extraterritoriality()
	for i, rating := range []string{vigie.RatingPartial, vigie.RatingPartial, vigie.RatingYes, vigie.RatingNo, vigie.RatingNo, vigie.RatingYes} {
		a.Rating, a.Explanation = rating, fmt.Sprintf("Version %d.", i+1)
		save(t, s, a, day(2024, time.Month(i+1), 1, 0, 0))
	}
	published, err := s.Revisions(ctx, "ML", a.Indicator) // newest first
	if err != nil {
		t.Fatal(err)
	}
	var copies []vigie.Revision
	for _, r := range published {
		r.ID, r.Content.Country = 0, "SN"
		copies = append(copies, r)
	}
	newest := copies[0].Number
	restoreAll(t, s, copies[:3], func(r vigie.Revision) bool { return r.Number == newest })
	restoreAll(t, s, copies[3:], func(vigie.Revision) bool { return false })
	changes := func(country string) string {
		t.Helper()
		return revisionSummary(publishedRevisions(t, s, vigie.HistoryFilter{Country: country, Indicator: a.Indicator, RatingChanges: true}))
	}
	want := strings.ReplaceAll(changes("ML"), "ML=", "SN=")
	if want != "SN=partial#1 SN=yes#3 SN=no#4 SN=yes#6" {
		t.Fatalf("published one at a time, the changes are %q", want)
	}
	if got := changes("SN"); got != want {
		t.Errorf("restored in two batches, the changes are %q, want %q", got, want)
	}
}

func testRestoreConflict(t *testing.T, s vigie.Store) {
	history := restoredHistory()
	restoreAll(t, s, history, isCurrent)
	v1, _ := s.DataVersion(ctx)
	for _, edit := range []struct {
		field string
		fn    func(*vigie.Revision)
	}{
		{"rating", func(r *vigie.Revision) { r.Content.Rating = vigie.RatingNo }},
		{"author", func(r *vigie.Revision) { r.Author = "someone else" }},
		{"published_at", func(r *vigie.Revision) { r.PublishedAt = r.PublishedAt.Add(time.Nanosecond) }},
		{"citations", func(r *vigie.Revision) { r.Content.Citations[0].Articles = "Art. 1" }},
	} {
		r := history[0]
		r.Content.Citations = slices.Clone(r.Content.Citations)
		edit.fn(&r)
		err := restoreOne(s, r, false)
		var ve *vigie.Error
		if !errors.As(err, &ve) || ve.Code != vigie.ECONFLICT || !strings.Contains(ve.Message, edit.field) {
			t.Errorf("restoring revision 1 with another %s: err = %v, want a conflict naming it", edit.field, err)
		}
	}
	if v2, _ := s.DataVersion(ctx); v2 != v1 {
		t.Errorf("refused restores moved the data version from %d to %d", v1, v2)
	}
	revs, _ := s.Revisions(ctx, "ML", "extraterritoriality-extradition")
	if len(revs) != 5 || revs[4].Content.Rating != history[0].Content.Rating {
		t.Errorf("history changed after refused restores: %+v", revs)
	}
}

func testRestoreChecks(t *testing.T, s vigie.Store) {
	good := restoredHistory()[0]
	bad := []struct {
		name, field string
		current     bool
		edit        func(*vigie.Revision)
	}{
		{"number 0", "number", false, func(r *vigie.Revision) { r.Number = 0 }},
		{"base not before the number", "base", false, func(r *vigie.Revision) { r.Base = 1 }},
		{"unknown state", "state", false, func(r *vigie.Revision) { r.State = "approved" }},
		{"no author", "author", false, func(r *vigie.Revision) { r.Author = " " }},
		{"no creation time", "created_at", false, func(r *vigie.Revision) { r.CreatedAt = time.Time{} }},
		{"published without a time", "published_at", false, func(r *vigie.Revision) { r.PublishedAt = time.Time{} }},
		{"a draft with a publication time", "published_at", false, func(r *vigie.Revision) { r.State = vigie.RevisionDraft }},
		{"a draft as the published state", "state", true, func(r *vigie.Revision) {
			r.State, r.PublishedAt = vigie.RevisionDraft, time.Time{}
		}},
		{"unknown rating", "rating", false, func(r *vigie.Revision) { r.Content.Rating = "maybe" }},
	}
	for _, tt := range bad {
		r := good
		tt.edit(&r)
		err := restoreOne(s, r, tt.current)
		var ve *vigie.Error
		if !errors.As(err, &ve) || ve.Code != vigie.EINVALID || ve.Field != tt.field {
			t.Errorf("%s: err = %#v, want invalid %s", tt.name, err, tt.field)
		}
	}
	// One bad revision in a batch: nothing of the batch is written.
	wrong := good
	wrong.Number, wrong.Base, wrong.Content.Rating = 2, 1, "maybe"
	err := s.Update(ctx, func(tx vigie.Tx) error {
		_, _, err := tx.RestoreRevisions(ctx, []vigie.Restore{{Revision: good}, {Revision: wrong}})
		if err == nil {
			return errors.New("accepted")
		}
		revs, _ := tx.Revisions(ctx, "ML", good.Content.Indicator)
		if len(revs) != 0 {
			return fmt.Errorf("a refused batch wrote %d revisions in its transaction", len(revs))
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
	if revs, _ := s.Revisions(ctx, "ML", good.Content.Indicator); len(revs) != 0 {
		t.Errorf("refused restores wrote %d revisions", len(revs))
	}
}

func testEditions(t *testing.T, s vigie.Store) {
	if list, err := s.Editions(ctx); err != nil || len(list) != 0 {
		t.Fatalf("Editions on an empty store = %v, %v", list, err)
	}
	edition := func(name string, day int, snapshot string) vigie.Edition {
		return vigie.Edition{Name: name, PublishedAt: time.Date(2026, 1, day, 12, 0, 0, 0, time.UTC), DataVersion: int64(day),
			SHA256: vigie.SnapshotDigest([]byte(snapshot)), Size: int64(len(snapshot)), Snapshot: []byte(snapshot)}
	}
	v0, _ := s.DataVersion(ctx)
	update(t, s, func(tx vigie.Tx) error {
		for _, e := range []vigie.Edition{edition("2025", 1, `{"a":1}`), edition("2026", 2, `{"a":2}`)} {
			if err := tx.SaveEdition(ctx, e); err != nil {
				return err
			}
		}
		return nil
	})
	if v1, _ := s.DataVersion(ctx); v1 <= v0 {
		t.Errorf("data version did not grow with new editions")
	}
	list, err := s.Editions(ctx)
	if err != nil || len(list) != 2 || list[0].Name != "2026" || list[1].Name != "2025" {
		t.Fatalf("Editions = %+v, %v; want 2026 then 2025", list, err)
	}
	if l := list[0]; l.Snapshot != nil || l.Size != 7 || l.DataVersion != 2 || l.SHA256 != vigie.SnapshotDigest([]byte(`{"a":2}`)) ||
		!l.PublishedAt.Equal(time.Date(2026, 1, 2, 12, 0, 0, 0, time.UTC)) {
		t.Errorf("listed edition = %+v", l)
	}
	got, err := s.Edition(ctx, "2025")
	if err != nil || string(got.Snapshot) != `{"a":1}` || got.Name != "2025" {
		t.Errorf("Edition(2025) = %+v, %v", got, err)
	}
	if _, err := s.Edition(ctx, "1999"); !vigie.IsNotFound(err) {
		t.Errorf("Edition(1999): err = %v, want not found", err)
	}
	err = s.Update(ctx, func(tx vigie.Tx) error { return tx.SaveEdition(ctx, edition("2025", 3, `{"changed":true}`)) })
	if vigie.ErrorCode(err) != vigie.ECONFLICT {
		t.Errorf("saving an existing edition again: err = %v, want conflict", err)
	}
	if got, _ := s.Edition(ctx, "2025"); string(got.Snapshot) != `{"a":1}` {
		t.Errorf("an edition changed: %s", got.Snapshot)
	}
	forged := edition("2027", 4, `{"a":3}`)
	forged.Snapshot = []byte(`{"a":4}`)
	err = s.Update(ctx, func(tx vigie.Tx) error { return tx.SaveEdition(ctx, forged) })
	var ve *vigie.Error
	if !errors.As(err, &ve) || ve.Field != "sha256" {
		t.Errorf("an edition whose digest does not match: err = %v", err)
	}
	bad := edition("2026 Edition", 5, `{}`)
	if err := s.Update(ctx, func(tx vigie.Tx) error { return tx.SaveEdition(ctx, bad) }); vigie.ErrorCode(err) != vigie.EINVALID {
		t.Errorf("an edition name with spaces: err = %v", err)
	}
}

// testSearchAfterBulkWrite writes what an import writes, in one
// transaction: more organisations than a store writes search rows for at
// a time (sqlite/search.go, searchBatch), publications, news, and
// restored histories with published, superseded and draft revisions.
// After it, a search finds every published record, and nothing of what
// the public does not see.
func testSearchAfterBulkWrite(t *testing.T, s vigie.Store) {
	// A word of letters only, one per record: "zorgabc".
	word := func(stem string, i int) string {
		return stem + string(rune('a'+i/676%26)) + string(rune('a'+i/26%26)) + string(rune('a'+i%26))
	}
	const orgs, library = 1100, 40
	var inds []vigie.Indicator
	for _, ind := range vigie.DefaultIndicators() {
		if ind.ValueKind != vigie.ValueYears && len(inds) < 4 {
			inds = append(inds, ind)
		}
	}
	at := func(i, n int) time.Time { return time.Date(2024, 3, 1+i, 9+n, 0, 0, 0, time.UTC) }
	update(t, s, func(tx vigie.Tx) error {
		for i := range orgs {
			o := &vigie.Organisation{Country: vigie.Countries()[i%40].ISO2, Name: "Network " + word("zorg", i),
				Description: "Works on " + word("zdesc", i) + "."}
			if _, err := vigie.MergeOrganisation(ctx, tx, o); err != nil {
				return err
			}
		}
		var rs []vigie.Restore
		for i, ind := range inds {
			content := func(stem, source string) vigie.Assessment {
				return vigie.Assessment{Country: "SN", Indicator: ind.Key, Rating: vigie.RatingPartial, Explanation: "Text " + word(stem, i),
					Citations: []vigie.Citation{{Source: vigie.Source{Kind: vigie.SourceLaw, Title: "Law " + word(source, i), Year: 2001}}}}
			}
			rs = append(rs,
				vigie.Restore{Revision: vigie.Revision{Number: 1, State: vigie.RevisionPublished, Author: "a", CreatedAt: at(i, 0),
					PublishedAt: at(i, 1), Content: content("zsuperseded", "zoldlaw")}},
				vigie.Restore{Revision: vigie.Revision{Number: 2, Base: 1, State: vigie.RevisionPublished, Author: "a", CreatedAt: at(i, 2),
					PublishedAt: at(i, 3), Content: content("zcurrent", "zlaw")}, Current: true},
				vigie.Restore{Revision: vigie.Revision{Number: 3, Base: 2, State: vigie.RevisionDraft, Author: "a", CreatedAt: at(i, 4),
					Content: content("zdraft", "zdraftlaw")}})
		}
		if _, _, err := tx.RestoreRevisions(ctx, rs); err != nil {
			return err
		}
		// After the history, so that their rows are the last to write.
		for i := range library {
			p := &vigie.Publication{Slug: word("zpub", i), Title: "Study " + word("zpub", i), Type: vigie.PubResearch, Year: 2020}
			if _, err := vigie.MergePublication(ctx, tx, p); err != nil {
				return err
			}
			n := &vigie.NewsItem{Slug: word("znews", i), Title: "Story " + word("znews", i), Date: day(2025, 1, 1+i%28, 0, 0), Body: "About " + word("zbody", i)}
			if _, err := vigie.MergeNewsItem(ctx, tx, n); err != nil {
				return err
			}
		}
		return nil
	})

	found := func(text string, want vigie.SearchKind) {
		t.Helper()
		hits := search(t, s, vigie.SearchQuery{Text: text})
		var shown strings.Builder // the title and snippet, which show the word
		for _, h := range hits {
			shown.WriteString(h.Title)
			for _, p := range h.Snippet {
				shown.WriteString(" " + p.Text)
			}
		}
		if len(hits) != 1 || hits[0].Kind != want || !strings.Contains(strings.ToLower(shown.String()), text) {
			t.Errorf("Search(%q) = %q, want the one %s", text, keys(hits), want)
		}
	}
	for i := range orgs {
		found(word("zorg", i), vigie.SearchOrganisation)
	}
	for _, i := range []int{0, orgs / 2, orgs - 1} {
		found(word("zdesc", i), vigie.SearchOrganisation)
	}
	for i := range library {
		found(word("zpub", i), vigie.SearchPublication)
		found(word("znews", i), vigie.SearchNews)
		found(word("zbody", i), vigie.SearchNews)
	}
	for i := range inds {
		found(word("zcurrent", i), vigie.SearchAssessment)
		found(word("zlaw", i), vigie.SearchSource)
		for _, stem := range []string{"zsuperseded", "zoldlaw", "zdraft", "zdraftlaw"} {
			if got := searchKeys(t, s, vigie.SearchQuery{Text: word(stem, i)}); len(got) != 0 {
				t.Errorf("Search(%q) = %q: what the public does not see is found", word(stem, i), got)
			}
		}
	}
}

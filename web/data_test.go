package web

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/export"
)

func TestDataPageWithoutEditions(t *testing.T) {
	s, _ := testSite(t)
	doc := page(t, s, "/data", http.StatusOK)
	if textOf(doc.Find("h1")) != "Open data" {
		t.Errorf("h1 = %q", textOf(doc.Find("h1")))
	}
	var hrefs []string
	doc.Find("#current a[download]").Each(func(_ int, a *goquery.Selection) { hrefs = append(hrefs, a.AttrOr("href", "")) })
	if strings.Join(hrefs, " ") != "/data/vigie.json /data/vigie.csv.zip /data/vigie.xlsx" {
		t.Errorf("current downloads = %v", hrefs)
	}
	if textOf(doc.Find("#editions .empty")) == "" {
		t.Error("no word that there is no edition yet")
	}
	// The current download holds the published data only.
	res, body := get(t, s, "/data/vigie.json")
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/json" ||
		!strings.Contains(res.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("current JSON: %d %v", res.StatusCode, res.Header)
	}
	ds, err := export.ReadJSON("current.json", body, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ds.Scope != export.ScopePublished || len(ds.Assessments) == 0 {
		t.Errorf("current download: scope %s, %d assessments", ds.Scope, len(ds.Assessments))
	}
	for _, r := range ds.Revisions {
		if r.Author != "" || r.State != vigie.RevisionPublished {
			t.Errorf("the public download holds %+v", r)
		}
	}
	if res, _ := get(t, s, "/data/other.json"); res.StatusCode != http.StatusNotFound {
		t.Errorf("/data/other.json: %d", res.StatusCode)
	}
}

func TestEditionsOnTheDataPage(t *testing.T) {
	s, st := testSite(t)
	ctx := context.Background()
	first, err := export.PublishEdition(ctx, st, "2025", "test", time.Date(2025, 12, 31, 12, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	// A rating changes, an assessment is added; then the second edition.
	update(t, st, func(ctx context.Context, tx vigie.Tx) error {
		a, _ := tx.Assessment(ctx, "ML", "extraterritoriality-extradition")
		a.Rating = vigie.RatingPartial
		if _, _, err := tx.SaveAssessment(ctx, a, fixtureChange); err != nil {
			return err
		}
		_, _, err := tx.SaveAssessment(ctx, vigie.Assessment{Country: "SN", Indicator: "sec-police-unit", Rating: vigie.RatingYes}, fixtureChange)
		return err
	})
	if _, err := export.PublishEdition(ctx, st, "2026", "test", time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}

	doc := page(t, s, "/data", http.StatusOK)
	editions := doc.Find("article.edition")
	if editions.Length() != 2 || editions.First().AttrOr("id", "") != "edition-2026" {
		t.Fatalf("%d editions shown, first %q", editions.Length(), editions.First().AttrOr("id", ""))
	}
	newest := editions.First()
	var hrefs []string
	newest.Find("a[download]").Each(func(_ int, a *goquery.Selection) { hrefs = append(hrefs, a.AttrOr("href", "")) })
	if strings.Join(hrefs, " ") != "/data/editions/2026.json /data/editions/2026.csv.zip /data/editions/2026.xlsx" {
		t.Errorf("downloads = %v", hrefs)
	}
	changed := newest.Find("ul.changed li")
	if changed.Length() != 1 || !strings.Contains(textOf(changed), "Mali, Extraterritoriality & Extradition: Assessed, Not Rated → Partial") {
		t.Errorf("changed = %q", textOf(changed))
	}
	if added := newest.Find("ul.added li"); added.Length() != 1 || !strings.Contains(textOf(added), "Senegal, SEC Police Unit: Yes") {
		t.Errorf("added = %q", textOf(added))
	}
	if !strings.Contains(textOf(newest), "Compared with the 2025 edition") {
		t.Error("the changelog does not name the edition it compares with")
	}
	cite := textOf(newest.Find(".cite"))
	// Without --base-url the citation holds the path: the Host header is the reader's to set.
	if !strings.HasPrefix(cite, "Vigie, 2026 edition (1 June 2026), /data/editions/2026, SHA-256 ") {
		t.Errorf("how to cite = %q", cite)
	}
	if first := editions.Last(); !strings.Contains(textOf(first), "The first edition") {
		t.Error("the first edition is not marked as such")
	}

	// The JSON download is the frozen snapshot, byte for byte.
	res, body := get(t, s, "/data/editions/2025.json")
	if res.StatusCode != http.StatusOK || !bytes.Equal(body, first.Snapshot) || vigie.SnapshotDigest(body) != first.SHA256 {
		t.Fatalf("2025.json: %d, %d bytes, digest matches: %v", res.StatusCode, len(body), vigie.SnapshotDigest(body) == first.SHA256)
	}
	if !strings.Contains(cite, vigie.SnapshotDigest(mustGet(t, s, "/data/editions/2026.json"))) {
		t.Error("the citation's SHA-256 is not the download's")
	}
	etag := res.Header.Get("ETag")
	if res, _ := get(t, s, "/data/editions/2025.json", "If-None-Match", etag); res.StatusCode != http.StatusNotModified {
		t.Errorf("conditional GET: %d", res.StatusCode)
	}
	// CSV and XLSX are made from the snapshot, and read back to the same data.
	for _, f := range []struct{ path, format string }{{"/data/editions/2025.csv.zip", export.FormatCSV}, {"/data/editions/2025.xlsx", export.FormatXLSX}} {
		res, body := get(t, s, f.path)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", f.path, res.StatusCode)
		}
		ds, err := export.Read(f.path, f.format, body, nil)
		if err != nil {
			t.Fatalf("%s: %v", f.path, err)
		}
		var again bytes.Buffer
		export.WriteJSON(&again, ds, nil)
		if !bytes.Equal(again.Bytes(), first.Snapshot) {
			t.Errorf("%s does not hold the frozen data", f.path)
		}
		if _, body2 := get(t, s, f.path); !bytes.Equal(body, body2) {
			t.Errorf("%s differs between two downloads", f.path)
		}
	}

	// The edition's own page.
	one := page(t, s, "/data/editions/2025", http.StatusOK)
	if textOf(one.Find("h1")) != "2025 edition" || one.Find("article.edition").Length() != 1 {
		t.Errorf("edition page: h1 %q", textOf(one.Find("h1")))
	}
	for _, path := range []string{"/data/editions/1999", "/data/editions/1999.json"} {
		if res, _ := get(t, s, path); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", path, res.StatusCode)
		}
	}
}

func mustGet(t *testing.T, h http.Handler, path string) []byte {
	t.Helper()
	res, body := get(t, h, path)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("%s: %d", path, res.StatusCode)
	}
	return body
}

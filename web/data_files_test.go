package web

import (
	"bytes"
	"context"
	"net/http"
	"testing"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/export"
)

// The downloads are what the published data exports to, byte for byte;
// the three formats share one reading of the store per data version, and
// a write makes the next download read it again: nobody downloads
// yesterday's data.
func TestDownloadsFollowTheData(t *testing.T) {
	s, st := testSite(t)
	download := func(file string) []byte {
		t.Helper()
		res, body := get(t, s, file)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", file, res.StatusCode)
		}
		return body
	}
	want := func(format string) []byte {
		t.Helper()
		ds, err := export.Build(context.Background(), st, export.Options{Scope: export.ScopePublished})
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := export.Write(&b, format, ds, nil); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	for _, f := range dataFormats {
		if got := download("/data/vigie" + f.suffix); !bytes.Equal(got, want(f.format)) {
			t.Errorf("/data/vigie%s differs from the export of the published data (%d bytes, want %d)", f.suffix, len(got), len(want(f.format)))
		}
	}
	first := s.downloads.stream
	if first == nil || len(s.downloads.files) != 3 {
		t.Fatalf("the server keeps %d download files and stream %v", len(s.downloads.files), first)
	}
	download("/data/vigie.json")
	if s.downloads.stream != first {
		t.Error("a second download read the store again for the same data version")
	}
	update(t, st, func(ctx context.Context, tx vigie.Tx) error {
		_, err := vigie.MergeOrganisation(ctx, tx, &vigie.Organisation{Country: "ML", Name: "Réseau des juristes", Acronym: "RJ"})
		return err
	})
	if got := download("/data/vigie.json"); !bytes.Equal(got, want(export.FormatJSON)) || !bytes.Contains(got, []byte("Réseau des juristes")) {
		t.Error("after adding an organisation the download is not the new export")
	}
	if first.refs.Load() != 0 {
		t.Errorf("the stream of the version before is still held (%d references)", first.refs.Load())
	}
}

// A download being read when the data changes is read to its end from
// its file, which goes when its last reader is done.
func TestDownloadOutlivesItsVersion(t *testing.T) {
	s, st := testSite(t)
	ctx := context.Background()
	old, err := s.download(ctx, export.FormatJSON)
	if err != nil {
		t.Fatal(err)
	}
	update(t, st, func(ctx context.Context, tx vigie.Tx) error {
		_, err := vigie.MergeOrganisation(ctx, tx, &vigie.Organisation{Country: "ML", Name: "Réseau des juristes", Acronym: "RJ"})
		return err
	})
	fresh, err := s.download(ctx, export.FormatJSON)
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.release()
	var b bytes.Buffer
	if _, err := b.ReadFrom(old.body()); err != nil || int64(b.Len()) != old.size || bytes.Contains(b.Bytes(), []byte("Réseau des juristes")) {
		t.Errorf("the old download: %v, %d of %d bytes", err, b.Len(), old.size)
	}
	old.release()
	if _, err := old.f.Stat(); err == nil {
		t.Error("the old download's file is still open after its last reader")
	}
}

// The page cache keeps pages, not downloads: they grow with the record and
// are served from their files.
func TestDownloadsStayOutOfThePageCache(t *testing.T) {
	s, _ := testSite(t)
	s.WithPageCache(0)
	for _, p := range []string{"/data/vigie.json", "/data/vigie.csv.zip", "/data"} {
		if res, _ := get(t, s, p); res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", p, res.StatusCode)
		}
	}
	g := s.cache.gen.Load()
	g.mu.RLock()
	defer g.mu.RUnlock()
	for enc := range g.pages {
		for key := range g.pages[enc] {
			if key != "/data" {
				t.Errorf("the page cache holds %s", key)
			}
		}
	}
	if _, ok := g.pages[0]["/data"]; !ok {
		if _, ok := g.pages[1]["/data"]; !ok {
			t.Error("the open data page itself is not cached")
		}
	}
}

package web

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/vigie-network/vigie/export"
)

// TestDatasetJSONLD: /data and an edition's page hold a schema.org
// Dataset that parses as JSON, with its licence, temporal coverage, the
// three downloads and the citation.
func TestDatasetJSONLD(t *testing.T) {
	s, st := testSite(t)
	s.WithBaseURL("https://vigie.example.org")
	if _, err := export.PublishEdition(context.Background(), st, "2025", "test", time.Date(2025, 12, 31, 12, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	read := func(path string) map[string]any {
		t.Helper()
		scripts := page(t, s, path, http.StatusOK).Find(`script[type="application/ld+json"]`)
		if scripts.Length() != 1 {
			t.Fatalf("GET %s: %d JSON-LD blocks", path, scripts.Length())
		}
		var ld map[string]any
		if err := json.Unmarshal([]byte(scripts.Text()), &ld); err != nil {
			t.Fatalf("GET %s: JSON-LD does not parse: %v\n%s", path, err, scripts.Text())
		}
		return ld
	}
	for path, want := range map[string]struct{ url, coverage, download string }{
		"/data":                  {"https://vigie.example.org/data", "2025-03-01/" + time.Now().UTC().Format(time.DateOnly), "https://vigie.example.org/data/vigie.csv.zip"},
		"/fr/data/editions/2025": {"https://vigie.example.org/data/editions/2025", "2025-03-01/2025-12-31", "https://vigie.example.org/data/editions/2025.csv.zip"},
	} {
		ld := read(path)
		if ld["@context"] != "https://schema.org" || ld["@type"] != "Dataset" || ld["license"] != dataLicense || ld["url"] != want.url {
			t.Errorf("GET %s: %v", path, ld)
		}
		if ld["temporalCoverage"] != want.coverage {
			t.Errorf("GET %s: temporal coverage %v, want %s", path, ld["temporalCoverage"], want.coverage)
		}
		dist, _ := ld["distribution"].([]any)
		var urls []string
		for _, d := range dist {
			urls = append(urls, d.(map[string]any)["contentUrl"].(string))
		}
		if len(dist) != 3 || !strings.Contains(strings.Join(urls, " "), want.download) {
			t.Errorf("GET %s: distribution %v", path, urls)
		}
		if c, _ := ld["citation"].(string); !strings.Contains(c, "2025") || ld["description"] == "" {
			t.Errorf("GET %s: citation %q", path, c)
		}
	}
	if ld := read("/fr/data/editions/2025"); ld["version"] != "2025" || !strings.HasPrefix(ld["identifier"].(string), "sha256:") {
		t.Errorf("edition: %v", ld)
	}

	// Without a configured address the links are relative: a forged Host
	// header must not reach a page the cache keeps for everyone.
	s, st = testSite(t)
	res, body := get(t, s, "/data") // httptest asks for Host example.com
	if res.StatusCode != http.StatusOK || strings.Contains(string(body), `example.com/data/vigie`) ||
		!strings.Contains(string(body), `"contentUrl":"/data/vigie.json"`) {
		t.Errorf("JSON-LD without a base URL:\n%s", body)
	}
}

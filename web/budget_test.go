package web

import (
	"net/http"
	"strings"
	"testing"
)

// TestPageBudgetsInEveryLanguage holds issue #6's budgets in English,
// French and Spanish, stylesheet included: a full country profile under
// 30 KB compressed, one indicator across the world with its map under
// 80 KB. Translations make pages longer, not only different.
func TestPageBudgetsInEveryLanguage(t *testing.T) {
	st := openTestStore(t)
	seedFullProfile(t, st)
	seedIndicatorWorld(t, st, "age-of-consent")
	s := serverOn(st, nil)
	_, css := get(t, s, s.css.path, "Accept-Encoding", "gzip")
	for _, lang := range []string{"", "/fr", "/es"} {
		for path, budget := range map[string]int{"/countries/mali": 30 << 10, "/indicators/age-of-consent": 80 << 10} {
			res, body := get(t, s, lang+path, "Accept-Encoding", "gzip")
			if res.StatusCode != http.StatusOK || res.Header.Get("Content-Encoding") != "gzip" {
				t.Fatalf("GET %s: %d %q", lang+path, res.StatusCode, res.Header.Get("Content-Encoding"))
			}
			plain := string(gunzip(t, body))
			total := len(body) + len(css)
			t.Logf("GET %s: %d B, %d B gzip, %d B with the stylesheet", lang+path, len(plain), len(body), total)
			if total >= budget {
				t.Errorf("GET %s weighs %d B compressed with its stylesheet; the budget is %d", lang+path, total, budget)
			}
			if strings.Contains(plain, "<script") {
				t.Errorf("GET %s has a script: no page may need JavaScript", lang+path)
			}
		}
	}
}

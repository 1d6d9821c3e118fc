// Package bench holds Vigie's load harness (bench/load), its scaling
// table (bench/scale), the synthetic dataset they share (bench/synth) and
// this micro-benchmark of the page cache's hot path. Figures and how to
// reproduce them: RESULTS.md.
package bench

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/sqlite"
	"github.com/vigie-network/vigie/web"
)

// discard is a ResponseWriter that keeps nothing, so that the benchmark
// counts the site's allocations and not a recorder's.
type discard struct {
	h    http.Header
	code int
	n    int
}

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) WriteHeader(code int)        { d.code = code }
func (d *discard) Write(p []byte) (int, error) { d.n += len(p); return len(p), nil }

// BenchmarkCachedPage serves a cached public page through the whole site
// handler (security headers, page cache, compression, sessions, routes),
// as every reader's request after the first of a data version does:
// go test ./bench -bench CachedPage -benchmem.
func BenchmarkCachedPage(b *testing.B) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "vigie.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	age := 16
	if err := st.Update(ctx, func(tx vigie.Tx) error {
		_, _, err := tx.SaveAssessment(ctx, vigie.Assessment{Country: "ML", Indicator: "age-of-consent", Rating: vigie.RatingYes,
			Value: &age, Explanation: "The Penal Code protects every child under 16.", AsOf: vigie.AsOf{Year: 2024}},
			vigie.Change{Author: "bench"})
		return err
	}); err != nil {
		b.Fatal(err)
	}
	site := web.New(vigie.NewService(st), nil).WithPageCache(time.Hour)
	for _, c := range []struct{ path, enc string }{
		{"/countries/mali", "gzip"}, {"/countries/mali", "identity"}, {"/", "gzip"},
	} {
		path, enc := c.path, c.enc
		b.Run(path+" "+enc, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, path, nil)
			req.Header.Set("Accept-Encoding", enc)
			w := &discard{h: http.Header{}}
			site.ServeHTTP(w, req) // fills the cache
			b.ReportAllocs()
			for b.Loop() {
				clear(w.h)
				w.code, w.n = 0, 0
				site.ServeHTTP(w, req)
				if w.code != http.StatusOK || w.n == 0 {
					b.Fatalf("%d, %d bytes", w.code, w.n)
				}
			}
		})
	}
}

// Command load is Vigie's load harness. From the repository root:
//
//	go run ./bench/load                    # about 3 minutes
//	go run ./bench/load -soak 5m           # then five minutes of load, sampling vigie's memory
//	go run ./bench/load -pprof cpu.pprof   # and a CPU profile of vigie during the mixed run
//
// It builds cmd/vigie, writes the synthetic dataset of bench/synth into a
// new SQLite database (or, with -db postgres://…, a new database on that
// server), starts "vigie serve" on 127.0.0.1, warms it up, then loads the
// main pages at 64 keep-alive connections, each page for -duration, with
// wrk when it is installed (apt-get install wrk), else a Go load
// generator. Beside it, nginx (apt-get install nginx) serves the same page
// bytes, gzipped, as static files with the same headers; the report gives
// both servers' requests/s, p50 and p99 latency and errors, and their
// ratio. Everything listens on 127.0.0.1 only, and every process it starts
// is stopped when it ends.
package main

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"time"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/bench/synth"
)

type options struct {
	duration, warmup time.Duration
	conns, rounds    int
	scale            int
	db               string
	tool             string
	nginx, bare      bool
	soak, soakEvery  time.Duration
	soakWrite        time.Duration
	pprof, baseline  string
	keep             bool
	out              string
}

func main() {
	var o options
	flag.DurationVar(&o.duration, "duration", 10*time.Second, "load per page and server")
	flag.DurationVar(&o.warmup, "warmup", 3*time.Second, "load on every page before measuring")
	flag.IntVar(&o.conns, "conns", 64, "concurrent keep-alive connections")
	flag.IntVar(&o.rounds, "rounds", 1, "runs per page and server, alternating; the median is reported")
	flag.IntVar(&o.scale, "scale", 1, "dataset scale (see bench/synth)")
	flag.StringVar(&o.db, "db", "", "postgres://… server URL to run on a new database there; default a new SQLite file")
	flag.StringVar(&o.tool, "tool", "auto", "load generator: wrk, go, or auto (wrk when installed)")
	flag.BoolVar(&o.nginx, "nginx", true, "measure nginx serving the same bytes")
	flag.BoolVar(&o.bare, "bare", true, "measure a bare net/http server serving the same bytes (Go's floor)")
	flag.StringVar(&o.baseline, "baseline", "", "also measure this vigie binary (built from another commit) on the same database")
	flag.DurationVar(&o.soak, "soak", 0, "after the measurements, load vigie this long and sample its memory")
	flag.DurationVar(&o.soakEvery, "soak-every", 5*time.Second, "memory sampling interval of the soak")
	flag.DurationVar(&o.soakWrite, "soak-write", time.Minute, "during the soak, change the data this often (0: never), so that the page cache is rebuilt")
	flag.StringVar(&o.pprof, "pprof", "", "write a CPU profile of vigie during the mixed run to this file")
	flag.BoolVar(&o.keep, "keep", false, "keep the work folder (binary, database, logs, nginx tree)")
	flag.StringVar(&o.out, "o", "", "also write the report to this file")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, o); err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}

// target is a set of pages measured together.
type target struct {
	name  string
	paths []string
}

func run(ctx context.Context, o options) error {
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "vigie-load-")
	if err != nil {
		return err
	}
	if o.keep {
		fmt.Fprintln(os.Stderr, "work folder:", dir)
	} else {
		defer os.RemoveAll(dir)
	}
	report := &strings.Builder{}
	out := io.MultiWriter(os.Stdout, report)
	status := func(format string, args ...any) { fmt.Fprintf(os.Stderr, "· "+format+"\n", args...) }

	var load loader
	switch o.tool {
	case "go":
		load = goLoader{}
	case "wrk", "auto":
		if p, err := exec.LookPath("wrk"); err == nil {
			load = wrkLoader{path: p, dir: dir}
		} else if o.tool == "wrk" {
			return errors.New("wrk is not installed: apt-get install -y wrk, or -tool go")
		} else {
			load = goLoader{}
		}
	default:
		return fmt.Errorf("-tool %q: use wrk, go or auto", o.tool)
	}
	nginxBin := ""
	if o.nginx {
		if nginxBin, err = exec.LookPath("nginx"); err != nil {
			return errors.New("nginx is not installed: apt-get install -y nginx, or -nginx=false")
		}
	}

	status("building cmd/vigie")
	bin, err := buildVigie(root, dir)
	if err != nil {
		return err
	}

	dsn, storeName := filepath.Join(dir, "vigie.db"), "SQLite"
	if o.db != "" {
		var drop func()
		if dsn, drop, err = createPostgresDB(ctx, o.db); err != nil {
			return fmt.Errorf("new database on %s: %w", o.db, err)
		}
		defer drop()
		storeName = "PostgreSQL"
	}
	status("writing the %d× dataset into %s", o.scale, storeName)
	st, err := openStore(ctx, dsn)
	if err != nil {
		return err
	}
	stats, err := synth.Generate(ctx, st, synth.Options{Scale: o.scale,
		Log: func(f string, a ...any) { status(f, a...) }})
	st.Close()
	if err != nil {
		return err
	}

	srv, err := startVigie(bin, dsn, dir, o.pprof != "" || o.soak > 0)
	if err != nil {
		return err
	}
	defer srv.stop()
	status("vigie serve at %s (pid %d)", srv.base, srv.cmd.Process.Pid)

	// Every public page, fetched once as the load will ask for it.
	targets := []target{
		{"home /", []string{"/"}},
		{"countries /countries", []string{"/countries"}},
	}
	var countryPaths []string
	for _, slug := range stats.SampleCountries {
		countryPaths = append(countryPaths, "/countries/"+slug)
	}
	targets = append(targets, target{fmt.Sprintf("country /countries/{slug} (%d)", len(countryPaths)), countryPaths},
		target{"indicator /indicators/{key} (3)", []string{"/indicators/age-of-consent", "/indicators/csam-definition", "/indicators/public-case-data"}})
	searches := []string{"/search?q=penal", "/search?q=exploitation", "/search?q=mali", "/search?q=protection+enfance"}
	if code, _, _, err := fetch(srv.base, searches[0], true); err == nil && code == 200 {
		targets = append(targets, target{fmt.Sprintf("search /search?q=… (%d)", len(searches)), searches})
	} else {
		status("no /search page yet (%d): search is measured by bench/scale on the store", code)
		searches = nil
	}
	all := []string{"/", "/countries", "/indicators", "/publications", "/news", "/organisations"}
	for _, ind := range vigie.DefaultIndicators() {
		all = append(all, "/indicators/"+ind.Key)
	}
	for _, c := range vigie.Countries() {
		all = append(all, "/countries/"+c.Slug)
	}
	all = append(all, searches...)
	// The same pages in French and Spanish, once the site has them.
	if code, _, _, err := fetch(srv.base, "/fr/countries/mali", true); err == nil && code == 200 {
		english := all
		for _, lang := range []string{"fr", "es"} {
			for _, p := range english {
				all = append(all, "/"+lang+p)
			}
		}
	} else {
		status("no /fr/ pages yet (%d): the mix is in English only", code)
	}
	var pages []page
	var mix []string
	sizes := map[string]int{}
	for _, p := range all {
		code, h, gz, err := fetch(srv.base, p, true)
		if err != nil {
			return err
		}
		if code != 200 {
			status("%s answers %d: left out", p, code)
			continue
		}
		if h.Get("Content-Encoding") != "gzip" || h.Get("ETag") == "" {
			status("%s: not a cached, gzipped page (Content-Encoding %q, ETag %q)", p, h.Get("Content-Encoding"), h.Get("ETag"))
		}
		plain, err := gunzip(gz) // for nginx's clients that refuse gzip; the load asks for gzip
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		pages = append(pages, page{path: p, plain: plain, gz: gz, header: h})
		mix = append(mix, p)
		sizes[p] = len(gz)
	}
	targets = append(targets, target{fmt.Sprintf("mix: every page (%d)", len(mix)), mix})

	var ngx string
	if o.nginx {
		var stopNginx func()
		if ngx, stopNginx, err = startNginx(nginxBin, dir, pages); err != nil {
			return err
		}
		defer stopNginx()
		// Same bytes: what nginx sends is what vigie sent.
		for _, p := range []string{"/", "/countries/mali"} {
			_, _, a, _ := fetch(srv.base, p, true)
			_, _, b, _ := fetch(ngx, p, true)
			if string(a) != string(b) {
				return fmt.Errorf("nginx does not serve vigie's bytes for %s (%d and %d bytes)", p, len(a), len(b))
			}
		}
		status("nginx at %s serves the same %d pages", ngx, len(pages))
	}

	// The servers measured, in the order each round visits them.
	type contender struct {
		name, base string
	}
	servers := []contender{{"vigie", srv.base}}
	if o.baseline != "" {
		other, err := startVigie(o.baseline, dsn, dir, false)
		if err != nil {
			return fmt.Errorf("-baseline: %w", err)
		}
		defer other.stop()
		for _, p := range mix { // render every page once, as the harness did for vigie
			if _, _, _, err := fetch(other.base, p, true); err != nil {
				return err
			}
		}
		servers = append(servers, contender{"baseline", other.base})
	}
	if o.bare {
		bare, err := startBare(pages)
		if err != nil {
			return err
		}
		defer bare.stop()
		servers = append(servers, contender{"bare Go", bare.base})
	}
	if ngx != "" {
		servers = append(servers, contender{"nginx", ngx})
	}

	// Warm up all: vigie renders each page once per data version.
	status("warming up for %v", o.warmup)
	for _, c := range servers {
		if _, err := load.run(ctx, c.base, mix, o.conns, o.warmup); err != nil {
			return err
		}
	}
	rssBefore, _ := rss(srv.cmd.Process.Pid)

	fmt.Fprintf(out, "## Load test, %s\n\n", time.Now().UTC().Format("2006-01-02 15:04 MST"))
	fmt.Fprintf(out, "- machine: %s\n", machine())
	fmt.Fprintf(out, "- command: `go run ./bench/load %s`\n", strings.Join(os.Args[1:], " "))
	fmt.Fprintf(out, "- dataset (%s): %s\n", storeName, stats)
	fmt.Fprintf(out, "- load: %s, %d keep-alive connections, %v per page and server, median of %d alternating round(s), Accept-Encoding: gzip\n",
		load.name(), o.conns, o.duration, o.rounds)
	if o.baseline != "" {
		fmt.Fprintf(out, "- baseline: %s, another vigie binary on the same database\n", o.baseline)
	}
	if o.bare {
		fmt.Fprintln(out, "- bare Go: net/http serving the same bytes and headers from a map, no middleware (bench/load/bare.go)")
	}
	if o.nginx {
		fmt.Fprintf(out, "- nginx: %s, 2 workers, the same gzipped bytes as static files (gzip_static) with the same headers\n", version(nginxBin, "-v"))
	}
	fmt.Fprintln(out)
	head, rule := "| pages | gzip bytes |", "|---|--:|"
	for _, c := range servers {
		head += " " + c.name + " req/s | p50 | p99 | errors |"
		rule += "--:|--:|--:|--:|"
	}
	for _, c := range servers[1:] {
		head += " vigie/" + c.name + " |"
		rule += "--:|"
	}
	fmt.Fprintln(out, head)
	fmt.Fprintln(out, rule)
	type verdict struct {
		name       string
		ratio, p99 float64
		errors     int
	}
	var verdicts []verdict
	for _, t := range targets {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		status("loading %s", t.name)
		var profile chan error
		if o.pprof != "" && strings.HasPrefix(t.name, "mix") {
			profile = make(chan error, 1)
			go func() { profile <- takeProfile(srv.pprof, max(1, int(o.duration.Seconds())-1), o.pprof) }()
		}
		// Rounds alternate the servers, so that a neighbour's burst on the
		// shared machine hits all of them; the median round of each is kept.
		runs := make([][]result, len(servers))
		for round := range o.rounds {
			for i, c := range servers {
				r, err := load.run(ctx, c.base, t.paths, o.conns, o.duration)
				if err != nil {
					return err
				}
				runs[i] = append(runs[i], r)
				if profile != nil && round == 0 && i == 0 {
					if err := <-profile; err != nil {
						status("profile: %v", err)
					}
				}
			}
		}
		medians := make([]result, len(servers))
		for i := range servers {
			medians[i] = medianRun(runs[i])
		}
		v := medians[0]
		bytes := 0
		for _, p := range t.paths {
			bytes += sizes[p]
		}
		row := fmt.Sprintf("| %s | %d |", t.name, bytes/max(1, len(t.paths)))
		for _, r := range medians {
			row += fmt.Sprintf(" %.0f | %s | %s | %d |", r.RPS(), ms(r.P50), ms(r.P99), r.Errors)
		}
		ratio := math.NaN()
		for i, r := range medians[1:] {
			row += fmt.Sprintf(" %.2f |", v.RPS()/r.RPS())
			if servers[i+1].name == "nginx" {
				ratio = v.RPS() / r.RPS()
			}
		}
		fmt.Fprintln(out, row)
		verdicts = append(verdicts, verdict{t.name, ratio, float64(v.P99) / 1e6, v.Errors})
	}
	rssAfter, _ := rss(srv.cmd.Process.Pid)
	fmt.Fprintf(out, "\nvigie's resident memory: %.1f MB after the warm-up, %.1f MB after the runs.\n", mb(rssBefore), mb(rssAfter))
	fmt.Fprintln(out, "\nGoal: cached pages at 0.7× nginx or better, p99 under 20 ms, no errors.")
	for _, v := range verdicts {
		var miss []string
		if o.nginx && !(v.ratio >= 0.7) {
			miss = append(miss, fmt.Sprintf("ratio %.2f", v.ratio))
		}
		if v.p99 >= 20 {
			miss = append(miss, fmt.Sprintf("p99 %.1f ms", v.p99))
		}
		if v.errors > 0 {
			miss = append(miss, fmt.Sprintf("%d errors", v.errors))
		}
		if len(miss) > 0 {
			fmt.Fprintf(out, "- MISSED %s: %s\n", v.name, strings.Join(miss, ", "))
		}
	}
	if o.pprof != "" {
		if top, err := exec.Command("go", "tool", "pprof", "-top", "-nodecount=25", bin, o.pprof).Output(); err == nil {
			fmt.Fprintf(out, "\nCPU profile of vigie during the mixed run (%s):\n\n```\n%s```\n", o.pprof, top)
		}
	}

	if o.soak > 0 {
		if err := soak(ctx, o, load, srv, dsn, mix, out); err != nil {
			return err
		}
	}
	if o.out != "" {
		return os.WriteFile(o.out, []byte(report.String()), 0o644)
	}
	return nil
}

// soak loads every page for o.soak, changing the data every o.soakWrite
// so that the page cache is dropped and refilled, and samples vigie's
// resident memory.
func soak(ctx context.Context, o options, load loader, srv *server, dsn string, mix []string, out io.Writer) error {
	fmt.Fprintf(os.Stderr, "· soak: %v of load, memory sampled every %v, data changed every %v\n", o.soak, o.soakEvery, o.soakWrite)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan struct{})
	writes := 0
	if o.soakWrite > 0 {
		st, err := openStore(ctx, dsn)
		if err != nil {
			return err
		}
		defer st.Close()
		go func() {
			tick := time.NewTicker(o.soakWrite)
			defer tick.Stop()
			for {
				select {
				case <-ctx.Done():
					return
				case <-done:
					return
				case <-tick.C:
				}
				writes++
				n := vigie.NewsItem{Slug: "soak-heartbeat", Title: "Soak heartbeat", Date: time.Now().UTC(),
					Summary: fmt.Sprintf("Change %d of the soak.", writes)}
				if err := st.Update(ctx, func(tx vigie.Tx) error { _, err := vigie.MergeNewsItem(ctx, tx, &n); return err }); err != nil && ctx.Err() == nil {
					fmt.Fprintln(os.Stderr, "soak write:", err)
				}
			}
		}()
	}
	var samples, heaps []sample
	start := time.Now()
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		tick := time.NewTicker(o.soakEvery)
		defer tick.Stop()
		lastHeap := time.Duration(-time.Hour)
		for {
			if r, err := rss(srv.cmd.Process.Pid); err == nil {
				samples = append(samples, sample{time.Since(start), r})
			}
			// The live heap after a collection tells a leak from the
			// allocator keeping freed memory; reading it costs a GC, so
			// twice a minute.
			if at := time.Since(start); at-lastHeap >= 30*time.Second && srv.pprof != "" {
				if h, err := liveHeap(srv.pprof); err == nil {
					heaps = append(heaps, sample{at, h})
					lastHeap = at
				}
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	res, err := load.run(ctx, srv.base, mix, o.conns, o.soak)
	close(done)
	<-sampled
	if err != nil {
		return err
	}
	if len(samples) < 4 {
		return errors.New("soak: too few memory samples")
	}
	lo, hi := samples[0].rss, samples[0].rss
	for _, s := range samples {
		lo, hi = min(lo, s.rss), max(hi, s.rss)
	}
	// The trend is the least-squares slope over the samples after the
	// first fifth, once the heap has found its size.
	tail := samples[len(samples)/5:]
	var sx, sy, sxx, sxy float64
	for _, s := range tail {
		x, y := s.at.Minutes(), mb(s.rss)
		sx, sy, sxx, sxy = sx+x, sy+y, sxx+x*x, sxy+x*y
	}
	nf := float64(len(tail))
	slope := (nf*sxy - sx*sy) / (nf*sxx - sx*sx)
	firstQ, lastQ := meanRSS(samples[len(samples)/4:len(samples)/2]), meanRSS(samples[len(samples)*3/4:])
	fmt.Fprintf(out, "\n### Soak: %v of load on every page, the data changed %d times\n\n", o.soak, writes)
	fmt.Fprintf(out, "- %d requests, %.0f req/s, p50 %s, p99 %s, max %s, %d errors\n", res.Requests, res.RPS(), ms(res.P50), ms(res.P99), ms(res.Max), res.Errors)
	fmt.Fprintf(out, "- vigie's RSS, %d samples every %v: min %.1f MB, max %.1f MB, first %.1f MB, last %.1f MB\n",
		len(samples), o.soakEvery, mb(lo), mb(hi), mb(samples[0].rss), mb(samples[len(samples)-1].rss))
	fmt.Fprintf(out, "- trend after the first fifth: %+.2f MB/min; mean of the second quarter %.1f MB, of the last quarter %.1f MB\n", slope, firstQ, lastQ)
	var minutes []string
	for m := 0; ; m++ {
		var in []sample
		for _, s := range samples {
			if int(s.at/time.Minute) == m {
				in = append(in, s)
			}
		}
		if len(in) == 0 {
			break
		}
		minutes = append(minutes, fmt.Sprintf("%.0f", meanRSS(in)))
	}
	fmt.Fprintf(out, "- RSS by minute (mean, MB): %s\n", strings.Join(minutes, ", "))
	if len(heaps) > 1 {
		var hs []string
		for _, h := range heaps {
			hs = append(hs, fmt.Sprintf("%.0f", mb(h.rss)))
		}
		fmt.Fprintf(out, "- live heap after a GC, every 30 s (MB): %s\n", strings.Join(hs, ", "))
	}
	verdict := "flat"
	if lastQ > firstQ*1.05 && slope*o.soak.Minutes() > 0.05*firstQ {
		verdict = "GROWING"
	}
	fmt.Fprintf(out, "- RSS: %s\n", verdict)
	// The live heap decides: it holds at most two versions' pages, and
	// any leak would add to it at every change.
	if len(heaps) >= 6 {
		third := len(heaps) / 3
		mid, last := meanRSS(heaps[third:2*third]), meanRSS(heaps[2*third:])
		verdict := "flat"
		if last > mid*1.10 {
			verdict = "GROWING"
		}
		fmt.Fprintf(out, "- live heap: %s (mean of the middle third %.1f MB, of the last third %.1f MB)\n", verdict, mid, last)
	}
	return nil
}

// medianRun is the run of median throughput, with the errors of all runs.
func medianRun(rs []result) result {
	if len(rs) == 0 {
		return result{}
	}
	sorted := slices.Clone(rs)
	slices.SortFunc(sorted, func(a, b result) int { return cmp.Compare(a.RPS(), b.RPS()) })
	m := sorted[len(sorted)/2]
	m.Errors = 0
	for _, r := range rs {
		m.Errors += r.Errors
	}
	return m
}

// sample is one reading of vigie's resident memory during the soak.
type sample struct {
	at  time.Duration
	rss int64
}

func meanRSS(s []sample) float64 {
	var sum float64
	for _, x := range s {
		sum += mb(x.rss)
	}
	return sum / float64(max(1, len(s)))
}

func gunzip(b []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(zr)
}

// liveHeap forces a collection in vigie and reads its heap in use, from
// the runtime.MemStats that /debug/pprof/heap?debug=1 appends.
func liveHeap(addr string) (int64, error) {
	code, _, body, err := fetch("http://"+addr, "/debug/pprof/heap?gc=1&debug=1", false)
	if err != nil {
		return 0, err
	}
	if code != 200 {
		return 0, fmt.Errorf("pprof heap: %d", code)
	}
	for _, line := range strings.Split(string(body), "\n") {
		if v, ok := strings.CutPrefix(line, "# HeapAlloc = "); ok {
			var n int64
			_, err := fmt.Sscan(v, &n)
			return n, err
		}
	}
	return 0, errors.New("pprof heap: no HeapAlloc line")
}

// takeProfile fetches a CPU profile of seconds from vigie's pprof address.
func takeProfile(addr string, seconds int, file string) error {
	code, _, body, err := fetch("http://"+addr, fmt.Sprintf("/debug/pprof/profile?seconds=%d", seconds), false)
	if err != nil {
		return err
	}
	if code != 200 {
		return fmt.Errorf("pprof answered %d: %s", code, body)
	}
	return os.WriteFile(file, body, 0o644)
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/1e6) }
func mb(b int64) float64        { return float64(b) / (1 << 20) }

// machine describes the computer the figures come from.
func machine() string {
	model := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
				model = strings.TrimSpace(v)
				break
			}
		}
	}
	kernel := ""
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		kernel = "Linux " + strings.TrimSpace(string(b))
	}
	var mem string
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		if f := strings.Fields(string(b)); len(f) > 1 {
			var kb float64
			fmt.Sscan(f[1], &kb)
			mem = fmt.Sprintf("%.0f GiB", kb/(1<<20))
		}
	}
	return fmt.Sprintf("%s, %d cores, %s, %s, %s", model, runtime.NumCPU(), mem, kernel, runtime.Version())
}

// version runs bin with flag and returns the first line it prints.
func version(bin string, flag string) string {
	out, _ := exec.Command(bin, flag).CombinedOutput()
	line, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	return strings.TrimSpace(strings.TrimPrefix(line, "nginx version: "))
}

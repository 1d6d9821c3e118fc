// Command scale measures how Vigie's costs grow with its data: the
// uncached country, indicator, history and search pages, the store's
// search, and the full export and its import in each format, at 1×, 10× and 100× the synthetic dataset
// of bench/synth (see there for what "×" multiplies). From the repository
// root:
//
//	go run ./bench/scale                 # 1×, 10× and 100×; 100× takes a while to write once
//	go run ./bench/scale -x 1,10         # quicker
//	go run ./bench/scale -x 1 -json      # one JSON object per scale, for programs
//
// Datasets are SQLite files kept in -dir, written once per scale and
// reused. Pages are rendered by the web package in this process without
// the page cache, gzipped as readers get them: every figure is the median
// of -runs renders. The export runs the real "vigie export" command (built
// from cmd/vigie), whose peak memory is read from the kernel.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/bench/synth"
	"github.com/vigie-network/vigie/sqlite"
	"github.com/vigie-network/vigie/web"
)

func main() {
	scales := flag.String("x", "1,10,100", "comma-separated scales")
	dir := flag.String("dir", filepath.Join(os.TempDir(), "vigie-scale"), "where the datasets are kept between runs")
	runs := flag.Int("runs", 15, "renders per page and scale (the median is reported)")
	exportRuns := flag.Int("export-runs", 3, "exports per scale below 100× (one at 100× and above)")
	maxRSS := flag.Int64("export-max-rss", 8<<30, "stop an export whose resident memory passes this many bytes")
	out := flag.String("o", "", "also write the table to this file")
	generateOnly := flag.Bool("generate-only", false, "write the datasets that are missing, measure nothing")
	exports := flag.Bool("export", true, "also time the full export and its import, in every format (minutes at 100×)")
	formats := flag.String("formats", "json,csv,xlsx", "the export formats to time, with the import of each")
	imports := flag.Bool("import", true, "also time the import of each export into a new SQLite file")
	asJSON := flag.Bool("json", false, "print one JSON object per scale (costs in milliseconds, peak RSS in bytes) instead of the table")
	only := flag.String("pages", "", "measure only the page rows whose name contains this text (e.g. \"/countries\")")
	profiles := flag.String("cpuprofile", "", "write a CPU profile of each page row's renders into this folder (page-<scale>x-<n>.pprof)")
	flag.Parse()
	if !*exports {
		*exportRuns = 0
	}
	cfg := config{scales: *scales, dir: *dir, runs: *runs, exportRuns: *exportRuns, maxRSS: *maxRSS, out: *out,
		generateOnly: *generateOnly, formats: strings.Split(*formats, ","), json: *asJSON, imports: *imports,
		onlyPages: *only, profiles: *profiles}
	if err := run(cfg); err != nil {
		fmt.Fprintln(os.Stderr, "scale:", err)
		os.Exit(1)
	}
}

// measure is one row of the table at one scale.
type measure struct {
	median time.Duration
	// cpu is the median CPU time of the process (every thread, the
	// garbage collector's included) per render or search: on a machine
	// shared with other work it moves far less than the wall time.
	cpu   time.Duration
	bytes int64 // response or export size
	rss   int64 // peak resident memory of the export process
	note  string
}

type row struct {
	name string
	at   map[int]measure
}

type config struct {
	scales, dir, out   string
	runs, exportRuns   int
	maxRSS             int64
	generateOnly, json bool
	imports            bool
	formats            []string
	onlyPages          string // a part of the page rows' names; empty measures them all
	profiles           string // a folder for CPU profiles; empty writes none
}

func run(cfg config) error {
	scaleList, dir, runs, exportRuns, maxRSS, outFile, generateOnly := cfg.scales, cfg.dir, cfg.runs, cfg.exportRuns, cfg.maxRSS, cfg.out, cfg.generateOnly
	var scales []int
	for _, f := range strings.Split(scaleList, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return fmt.Errorf("-x: %q is not a scale", f)
		}
		scales = append(scales, n)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	ctx := context.Background()
	if generateOnly {
		for _, n := range scales {
			_, desc, err := dataset(ctx, dir, n)
			if err != nil {
				return err
			}
			fmt.Println(desc)
		}
		return nil
	}
	bin := filepath.Join(dir, "vigie")
	build := exec.Command("go", "build", "-o", bin, "./cmd/vigie")
	if out, err := build.CombinedOutput(); err != nil {
		return fmt.Errorf("go build ./cmd/vigie (run from the repository root): %w\n%s", err, out)
	}

	rows := []*row{}
	get := func(name string) *row {
		for _, r := range rows {
			if r.name == name {
				return r
			}
		}
		r := &row{name: name, at: map[int]measure{}}
		rows = append(rows, r)
		return r
	}
	var sizes []string
	for _, n := range scales {
		db, desc, err := dataset(ctx, dir, n)
		if err != nil {
			return err
		}
		sizes = append(sizes, "- "+desc)
		st, err := sqlite.Open(ctx, db)
		if err != nil {
			return err
		}
		// What `vigie serve` does soon after it starts: merge the search
		// index that a million separate writes left in many segments.
		t0, merges := time.Now(), 0
		for more := true; more; merges++ {
			if more, err = st.MergeSearchIndex(ctx, 200); err != nil {
				st.Close()
				return err
			}
		}
		fmt.Fprintf(os.Stderr, "· %d× search index merged in %d steps, %v\n", n, merges, time.Since(t0).Round(time.Millisecond))
		// And its upkeep's other part: each past month's final state.
		t0, months := time.Now(), 0
		for more := true; more; {
			var built int
			if built, more, err = st.BuildMonthStates(ctx, time.Now(), 1); err != nil {
				st.Close()
				return err
			}
			months += built
		}
		fmt.Fprintf(os.Stderr, "· %d× month states: %d months built, %v\n", n, months, time.Since(t0).Round(time.Millisecond))
		site := web.New(vigie.NewService(st), nil) // no page cache: every request renders
		page := func(name string, paths ...string) error {
			m, err := medianPage(site, paths, runs)
			if err != nil {
				return fmt.Errorf("%s at %d×: %w", name, n, err)
			}
			get(name).at[n] = m
			fmt.Fprintf(os.Stderr, "· %d× %s: %v, CPU %v\n", n, name, m.median, m.cpu)
			return nil
		}
		var countries []string
		for _, s := range synth.SampleCountries {
			countries = append(countries, "/countries/"+s)
		}
		steps := []struct {
			name  string
			paths []string
		}{
			{"home page / (every indicator's chart)", []string{"/"}},
			{"country page /countries/{slug} (8 countries)", countries},
			{"indicator page /indicators/{key} (3 indicators)", []string{"/indicators/age-of-consent", "/indicators/csam-definition", "/indicators/public-case-data"}},
			{"all countries /countries", []string{"/countries"}},
			{"history page /countries/{slug}/{indicator}/history", []string{"/countries/mali/age-of-consent/history", "/countries/france/csam-definition/history"}},
			{"changes page /changes (one month)", []string{"/changes?from=2012-01-01&to=2012-01-31"}},
			{"changes page /changes (one month), next page", nextPage(site, "/changes?from=2012-01-01&to=2012-01-31")},
			{"changes page /changes (one month, mid-history: June 2018)", []string{"/changes?from=2018-06-01&to=2018-06-30"}},
			{"changes page /changes (its default: the year to today)", []string{"/changes"}},
			{"changes page /changes (mid-month to mid-month)", []string{"/changes?from=2020-03-15&to=2020-04-20"}},
			{"member directory /organisations", []string{"/organisations"}},
			{"member directory /organisations, next page", nextPage(site, "/organisations")},
			{"member directory /organisations?region=europe", []string{"/organisations?region=europe"}},
			{"reports library /publications", []string{"/publications"}},
			{"reports library /publications, next page", nextPage(site, "/publications")},
			{"reports library /publications?type=legal-checklist", []string{"/publications?type=legal-checklist"}},
			{"newsroom /news", []string{"/news"}},
			{"newsroom /news, next page", nextPage(site, "/news")},
			{"newsroom /news?country=mali", []string{"/news?country=mali"}},
			{"search page /search?q=… (4 queries)", searchPaths},
		}
		for i, s := range steps {
			if !strings.Contains(s.name, cfg.onlyPages) {
				continue
			}
			if len(s.paths) == 0 || s.name == steps[len(steps)-1].name && !answers(site, s.paths[0]) {
				get(s.name).at[n] = measure{note: "no page yet"}
				continue
			}
			stop, err := startProfile(cfg.profiles, fmt.Sprintf("page-%dx-%d.pprof", n, i+1))
			if err == nil {
				err = page(s.name, s.paths...)
				stop()
			}
			if err != nil {
				st.Close()
				return err
			}
		}
		if cfg.onlyPages != "" {
			st.Close()
			continue
		}
		// What readers get between data changes: the same page from the cache.
		cached := web.New(vigie.NewService(st), nil).WithPageCache(time.Hour)
		if m, err := medianPage(cached, countries, runs); err == nil {
			get("country page, cached (a hit)").at[n] = m
		}
		m, err := medianSearch(ctx, st, runs)
		if err != nil {
			st.Close()
			return err
		}
		get("store search, 20 hits (4 queries)").at[n] = m
		st.Close()

		times := exportRuns
		if times == 0 {
			continue
		}
		if n >= 100 {
			times = 1
		}
		for _, f := range cfg.formats {
			f = strings.TrimSpace(f)
			file := filepath.Join(dir, fmt.Sprintf("scale-%d.export.%s", n, extension[f]))
			m, err := medianCommand(bin, times, maxRSS, "export", "--db", db, "--format", f, "-o", file)
			if err == nil {
				if fi, err := os.Stat(file); err == nil {
					m.bytes = fi.Size()
				}
			} else {
				m = measure{note: err.Error()}
			}
			get("export, " + strings.ToUpper(f) + " (vigie export)").at[n] = m
			fmt.Fprintf(os.Stderr, "· %d× export %s: %v, %s RSS %s\n", n, f, m.median, size(m.rss), m.note)
			if m.note != "" || !cfg.imports {
				os.Remove(file)
				continue
			}
			// The import of that export into a new, empty database.
			fresh := filepath.Join(dir, fmt.Sprintf("import-%d.db", n))
			removeDB(fresh)
			m, err = medianCommand(bin, 1, maxRSS, "import", "--db", fresh, "-q", file)
			if err != nil {
				m = measure{note: err.Error()}
			}
			m.bytes = 0
			removeDB(fresh)
			os.Remove(file)
			get("import, " + strings.ToUpper(f) + " (vigie import, new SQLite file)").at[n] = m
			fmt.Fprintf(os.Stderr, "· %d× import %s: %v, %s RSS %s\n", n, f, m.median, size(m.rss), m.note)
		}
	}

	var b strings.Builder
	fmt.Fprintf(&b, "## Scaling, %s\n\n", time.Now().UTC().Format("2006-01-02"))
	fmt.Fprintf(&b, "Command: `go run ./bench/scale -x %s -runs %d`; SQLite; medians; pages uncached and gzipped.\n\n", scaleList, runs)
	b.WriteString(strings.Join(sizes, "\n") + "\n\n")
	b.WriteString("| cost |")
	for _, n := range scales {
		fmt.Fprintf(&b, " %d× |", n)
	}
	if len(scales) > 1 {
		fmt.Fprintf(&b, " %d× / %d× |", scales[len(scales)-1], scales[0])
	}
	b.WriteString("\n|---|" + strings.Repeat("--:|", len(scales)+min(1, len(scales)-1)) + "\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "| %s |", r.name)
		for _, n := range scales {
			m := r.at[n]
			switch {
			case m.note != "":
				fmt.Fprintf(&b, " %s |", m.note)
			case m.rss > 0:
				fmt.Fprintf(&b, " %s, %s, %.0f MB RSS |", dur(m.median), size(m.bytes), float64(m.rss)/(1<<20))
			case m.bytes > 0 && m.cpu > 0:
				fmt.Fprintf(&b, " %s, CPU %s (%s) |", dur(m.median), dur(m.cpu), size(m.bytes))
			case m.cpu > 0:
				fmt.Fprintf(&b, " %s, CPU %s |", dur(m.median), dur(m.cpu))
			case m.bytes > 0:
				fmt.Fprintf(&b, " %s (%s) |", dur(m.median), size(m.bytes))
			default:
				fmt.Fprintf(&b, " %s |", dur(m.median))
			}
		}
		if len(scales) > 1 {
			first, last := r.at[scales[0]], r.at[scales[len(scales)-1]]
			switch {
			case first.cpu > 0 && last.cpu > 0:
				fmt.Fprintf(&b, " %.1f×, CPU %.1f× |", float64(last.median)/float64(first.median), float64(last.cpu)/float64(first.cpu))
			case first.median > 0 && last.median > 0:
				fmt.Fprintf(&b, " %.1f× |", float64(last.median)/float64(first.median))
			default:
				b.WriteString(" – |")
			}
		}
		b.WriteString("\n")
	}
	if cfg.json {
		if err := printJSON(rows, scales, sizes); err != nil {
			return err
		}
	} else {
		fmt.Print(b.String())
	}
	if outFile != "" {
		return os.WriteFile(outFile, []byte(b.String()), 0o644)
	}
	return nil
}

var searchPaths = []string{"/search?q=penal", "/search?q=exploitation", "/search?q=mali", "/search?q=protection+enfance"}

var searchTexts = []string{"penal", "exploitation", "mali", "protection enfance"}

// dataset returns the scale's database and a description of it, writing
// it on first use. A file whose generation did not finish is written again.
func dataset(ctx context.Context, dir string, n int) (string, string, error) {
	db := filepath.Join(dir, fmt.Sprintf("scale-%d.db", n))
	done := db + ".done"
	if b, err := os.ReadFile(done); err == nil {
		if desc, ok := strings.CutPrefix(string(b), synth.Version+"\n"); ok {
			return db, strings.TrimSpace(desc), nil
		}
		fmt.Fprintf(os.Stderr, "· %s was written by an older generator (not %q): writing it again\n", db, synth.Version)
	}
	for _, f := range []string{db, db + "-wal", db + "-shm"} {
		os.Remove(f)
	}
	fmt.Fprintf(os.Stderr, "· writing the %d× dataset into %s\n", n, db)
	st, err := sqlite.Open(ctx, db)
	if err != nil {
		return "", "", err
	}
	stats, err := synth.Generate(ctx, st, synth.Options{Scale: n, Log: func(f string, a ...any) {
		fmt.Fprintf(os.Stderr, "  "+f+"\n", a...)
	}})
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", "", err
	}
	desc := stats.String()
	if fi, err := os.Stat(db); err == nil {
		desc += fmt.Sprintf("; SQLite file %s", size(fi.Size()))
	}
	return db, desc, os.WriteFile(done, []byte(synth.Version+"\n"+desc+"\n"), 0o644)
}

// answers reports whether the site has a page at path.
func answers(h http.Handler, path string) bool {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec.Code == http.StatusOK
}

// nextPage is the address of the page after path (its rel="next" link),
// none when the page has no such link.
func nextPage(h http.Handler, path string) []string {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	m := nextLink.FindStringSubmatch(rec.Body.String())
	if rec.Code != http.StatusOK || m == nil {
		return nil
	}
	return []string{html.UnescapeString(m[1])}
}

var nextLink = regexp.MustCompile(`<a href="([^"]+)" rel="next"`)

// medianPage renders each path runs times (after one warm-up render) and
// returns the median render time and the median gzipped size. Pages that
// take over a second are rendered three times.
func medianPage(h http.Handler, paths []string, runs int) (measure, error) {
	var times, cpus []time.Duration
	var sizes []int64
	for _, p := range paths {
		n := runs
		for i := 0; i < n+1; i++ {
			req := httptest.NewRequest(http.MethodGet, p, nil)
			req.Header.Set("Accept-Encoding", "gzip")
			rec := httptest.NewRecorder()
			t0, c0 := time.Now(), processCPU()
			h.ServeHTTP(rec, req)
			d, c := time.Since(t0), processCPU()-c0
			if rec.Code != http.StatusOK {
				return measure{}, fmt.Errorf("%s: %d", p, rec.Code)
			}
			if i == 0 && d > time.Second {
				n = min(n, 3)
			}
			if i > 0 {
				times = append(times, d)
				cpus = append(cpus, c)
				sizes = append(sizes, int64(rec.Body.Len()))
			}
		}
	}
	return measure{median: median(times), cpu: median(cpus), bytes: median(sizes)}, nil
}

// startProfile writes a CPU profile into dir/name until stop is called;
// with no dir it does nothing.
func startProfile(dir, name string) (stop func(), err error) {
	if dir == "" {
		return func() {}, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

// processCPU is the CPU time this process has used so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func medianSearch(ctx context.Context, st vigie.Reader, runs int) (measure, error) {
	var times, cpus []time.Duration
	for _, q := range searchTexts {
		for i := range runs + 1 {
			t0, c0 := time.Now(), processCPU()
			hits, err := st.Search(ctx, vigie.SearchQuery{Text: q})
			d, c := time.Since(t0), processCPU()-c0
			if err != nil {
				return measure{}, fmt.Errorf("search %q: %w", q, err)
			}
			if len(hits) == 0 {
				return measure{}, fmt.Errorf("search %q found nothing", q)
			}
			if i > 0 {
				times = append(times, d)
				cpus = append(cpus, c)
			}
		}
	}
	return measure{median: median(times), cpu: median(cpus)}, nil
}

var extension = map[string]string{"json": "json", "csv": "zip", "xlsx": "xlsx"}

func removeDB(path string) {
	for _, f := range []string{path, path + "-wal", path + "-shm"} {
		os.Remove(f)
	}
}

// printJSON writes one object per scale: each cost's median in
// milliseconds, the sizes in bytes, the peak RSS of exports and imports
// in bytes, and what stopped a cost that has no figure.
func printJSON(rows []*row, scales []int, sizes []string) error {
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	for i, n := range scales {
		obj := struct {
			Scale    int                `json:"scale"`
			Dataset  string             `json:"dataset"`
			MS       map[string]float64 `json:"ms"`
			CPUMS    map[string]float64 `json:"cpu_ms,omitempty"`
			Bytes    map[string]int64   `json:"bytes,omitempty"`
			RSSBytes map[string]int64   `json:"rss_bytes,omitempty"`
			Notes    map[string]string  `json:"notes,omitempty"`
		}{Scale: n, Dataset: strings.TrimPrefix(sizes[i], "- "), MS: map[string]float64{}, CPUMS: map[string]float64{}, Bytes: map[string]int64{},
			RSSBytes: map[string]int64{}, Notes: map[string]string{}}
		for _, r := range rows {
			m, ok := r.at[n]
			if !ok {
				continue
			}
			if m.note != "" {
				obj.Notes[r.name] = m.note
				continue
			}
			obj.MS[r.name] = float64(m.median.Microseconds()) / 1000
			if m.cpu > 0 {
				obj.CPUMS[r.name] = float64(m.cpu.Microseconds()) / 1000
			}
			if m.bytes > 0 {
				obj.Bytes[r.name] = m.bytes
			}
			if m.rss > 0 {
				obj.RSSBytes[r.name] = m.rss
			}
		}
		if err := enc.Encode(obj); err != nil {
			return err
		}
	}
	return nil
}

// medianCommand runs vigie with args times and returns the median wall
// time and the largest peak RSS (bytes counts its standard output). A
// process whose resident memory passes maxRSS is stopped, so that the
// machine (shared with others) never runs out of memory; the row then
// says so.
func medianCommand(bin string, times int, maxRSS int64, args ...string) (measure, error) {
	var ds []time.Duration
	var m measure
	for range times {
		cmd := exec.Command(bin, args...)
		var n countingWriter
		var stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &n, &stderr
		t0 := time.Now()
		if err := cmd.Start(); err != nil {
			return measure{}, err
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		var err error
		var peak int64
		tick := time.NewTicker(100 * time.Millisecond)
	wait:
		for {
			select {
			case err = <-done:
				break wait
			case <-tick.C:
				if r, e := processRSS(cmd.Process.Pid); e == nil && r > maxRSS {
					peak = r
					cmd.Process.Kill()
					<-done
					tick.Stop()
					return measure{}, fmt.Errorf("stopped at %s RSS after %s", size(peak), dur(time.Since(t0)))
				}
			}
		}
		tick.Stop()
		d := time.Since(t0)
		if err != nil {
			var exit *exec.ExitError
			if errors.As(err, &exit) && exit.ProcessState.Sys().(syscall.WaitStatus).Signaled() {
				return measure{}, fmt.Errorf("killed by %v (out of memory?)", exit.ProcessState.Sys().(syscall.WaitStatus).Signal())
			}
			return measure{}, fmt.Errorf("vigie %s: %v: %s", args[0], err, lastLine(stderr.String()))
		}
		ds = append(ds, d)
		m.bytes = int64(n)
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			m.rss = max(m.rss, ru.Maxrss<<10)
		}
	}
	m.median = median(ds)
	return m, nil
}

// processRSS is a process's resident memory, from /proc/PID/status.
func processRSS(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			var kb int64
			_, err := fmt.Sscan(rest, &kb)
			return kb << 10, err
		}
	}
	return 0, errors.New("no VmRSS")
}

type countingWriter int64

func (c *countingWriter) Write(p []byte) (int, error) {
	*c += countingWriter(len(p))
	return len(p), nil
}

var _ io.Writer = (*countingWriter)(nil)

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

func median[T int64 | time.Duration](xs []T) T {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

func dur(d time.Duration) string {
	switch {
	case d >= time.Second:
		return fmt.Sprintf("%.2f s", d.Seconds())
	case d >= 10*time.Millisecond:
		return fmt.Sprintf("%.0f ms", float64(d)/1e6)
	case d < time.Millisecond:
		return fmt.Sprintf("%.0f µs", float64(d)/1e3)
	}
	return fmt.Sprintf("%.2f ms", float64(d)/1e6)
}

func size(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

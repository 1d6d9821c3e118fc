// Command durability measures what SQLite's synchronous=FULL costs against
// NORMAL, on two vigie binaries built from the two settings:
//
//	go build -o /tmp/vigie-full ./cmd/vigie
//	(set synchronous(NORMAL) in sqlite/sqlite.go) go build -o /tmp/vigie-normal ./cmd/vigie
//	go run ./bench/durability -a /tmp/vigie-normal -b /tmp/vigie-full
//
// It writes the synthetic dataset (bench/synth, scale 1) into a SQLite
// file, exports it as JSON with binary a, then, in alternating rounds,
// times "vigie import" of that file into a new database with each binary,
// and the median of sequential API PUTs of one assessment against "vigie
// serve" of each. Everything runs on 127.0.0.1 in a temporary folder.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/vigie-network/vigie/bench/synth"
	"github.com/vigie-network/vigie/sqlite"
)

func main() {
	a := flag.String("a", "", "first vigie binary (e.g. synchronous=NORMAL)")
	b := flag.String("b", "", "second vigie binary (e.g. synchronous=FULL)")
	rounds := flag.Int("rounds", 3, "alternating rounds")
	puts := flag.Int("puts", 100, "sequential PUTs per round and binary")
	flag.Parse()
	if *a == "" || *b == "" {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*a, *b, *rounds, *puts); err != nil {
		fmt.Fprintln(os.Stderr, "durability:", err)
		os.Exit(1)
	}
}

func run(a, b string, rounds, puts int) error {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "vigie-durability-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	src := filepath.Join(dir, "synth.db")
	st, err := sqlite.Open(ctx, src)
	if err != nil {
		return err
	}
	stats, err := synth.Generate(ctx, st, synth.Options{})
	st.Close()
	if err != nil {
		return err
	}
	fmt.Println("dataset:", stats)
	export := filepath.Join(dir, "synth.json")
	if out, err := exec.Command(a, "export", "--db", src, "--format", "json", "-o", export).CombinedOutput(); err != nil {
		return fmt.Errorf("export: %v\n%s", err, out)
	}
	imports := map[string][]time.Duration{}
	putTimes := map[string][]time.Duration{}
	for round := range rounds {
		for _, bin := range []string{a, b} {
			db := filepath.Join(dir, fmt.Sprintf("r%d-%s.db", round, filepath.Base(bin)))
			start := time.Now()
			if out, err := exec.Command(bin, "import", "--db", db, export).CombinedOutput(); err != nil {
				return fmt.Errorf("import with %s: %v\n%s", bin, err, out)
			}
			imports[bin] = append(imports[bin], time.Since(start))
			d, err := measurePuts(bin, db, puts)
			if err != nil {
				return err
			}
			putTimes[bin] = append(putTimes[bin], d...)
			fmt.Printf("round %d %s: import %v, PUT median %v\n", round+1, filepath.Base(bin), imports[bin][round], median(d))
		}
	}
	ia, ib := median(imports[a]), median(imports[b])
	pa, pb := median(putTimes[a]), median(putTimes[b])
	fmt.Printf("import median: %s %v, %s %v (ratio %.2f)\n", filepath.Base(a), ia, filepath.Base(b), ib, float64(ib)/float64(ia))
	fmt.Printf("PUT median: %s %v, %s %v (ratio %.2f)\n", filepath.Base(a), pa, filepath.Base(b), pb, float64(pb)/float64(pa))
	return nil
}

var servingAt = regexp.MustCompile(`http://127\.0\.0\.1:[0-9]+`)

// measurePuts starts vigie serve on db and times sequential PUTs of one
// assessment, each after the GET that gives its ETag (not timed).
func measurePuts(bin, db string, n int) ([]time.Duration, error) {
	cmd := exec.Command(bin, "user", "add", "bench@example.org", "--role", "admin", "--name", "Bench", "--password-stdin", "--db", db)
	cmd.Stdin = strings.NewReader("correct horse battery staple\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("user add: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "token", "create", "bench@example.org", "--db", db).Output()
	if err != nil {
		return nil, fmt.Errorf("token create: %v", err)
	}
	token := strings.TrimSpace(string(out))
	srv := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--db", db)
	stdout, err := srv.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := srv.Start(); err != nil {
		return nil, err
	}
	defer func() { srv.Process.Signal(os.Interrupt); srv.Wait() }()
	base := ""
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if m := servingAt.FindString(sc.Text()); m != "" {
			base = m
			break
		}
	}
	go io.Copy(io.Discard, stdout)
	if base == "" {
		return nil, fmt.Errorf("%s serve did not start", bin)
	}
	url := base + "/api/v1/assessments/ML/age-of-consent"
	var times []time.Duration
	for i := range n + 5 {
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return nil, err
		}
		var doc map[string]any
		err = json.NewDecoder(resp.Body).Decode(&doc)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("GET %s: %s %v", url, resp.Status, err)
		}
		doc["explanation"] = fmt.Sprintf("Revision %d of a measured text.", i)
		doc["reason"] = "durability benchmark"
		body, _ := json.Marshal(doc)
		req, _ = http.NewRequest(http.MethodPut, url, bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("If-Match", resp.Header.Get("ETag"))
		start := time.Now()
		resp, err = http.DefaultClient.Do(req)
		if err != nil {
			return nil, err
		}
		msg, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		took := time.Since(start)
		if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusCreated {
			return nil, fmt.Errorf("PUT: %s %s", resp.Status, msg)
		}
		if i >= 5 { // the first ones warm the server up
			times = append(times, took)
		}
	}
	return times, nil
}

func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

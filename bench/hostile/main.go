// Command hostile measures how other readers fare while clients ask for
// the costliest pages (issue 13): it writes the synthetic dataset, adds
// two published revisions of about 40,000 words to one assessment and two
// unrelated ones of 3,000 words to another, starts "vigie serve" on
// 127.0.0.1, then loads uncached country and indicator pages from one
// client, first alone, then while -hostile clients fetch those
// assessments' history pages in a loop. Every request carries a new ?q=:
// a parameter the page cache keys on (search reads it), so each one is
// rendered; an unknown parameter (?z=) no longer misses the cache.
//
//	go build -o /tmp/vigie ./cmd/vigie && go run ./bench/hostile -bin /tmp/vigie
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/bench/synth"
	"github.com/vigie-network/vigie/sqlite"
)

func main() {
	bin := flag.String("bin", "", "the vigie binary to measure")
	hostile := flag.Int("hostile", 8, "clients fetching costly history pages")
	duration := flag.Duration("duration", 30*time.Second, "measurement with and without the hostile clients")
	profile := flag.String("pprof", "", "write a CPU profile of vigie under the hostile load to this file")
	flag.Parse()
	if *bin == "" {
		flag.Usage()
		os.Exit(2)
	}
	pprofFile = *profile
	if err := run(*bin, *hostile, *duration); err != nil {
		fmt.Fprintln(os.Stderr, "hostile:", err)
		os.Exit(1)
	}
}

var pprofFile string

const pprofAddr = "127.0.0.1:6071"

func run(bin string, hostile int, duration time.Duration) error {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "vigie-hostile-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	db := filepath.Join(dir, "vigie.db")
	st, err := sqlite.Open(ctx, db)
	if err != nil {
		return err
	}
	if _, err := synth.Generate(ctx, st, synth.Options{}); err != nil {
		st.Close()
		return err
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	long := func(words int) string {
		var b strings.Builder
		for range words {
			fmt.Fprintf(&b, "w%d ", rnd.IntN(20000))
		}
		return b.String()
	}
	for _, target := range []struct {
		country, indicator string
		words              int
	}{{"ML", "age-of-consent", 40000}, {"SN", "age-of-consent", 3000}} {
		for i := range 2 {
			err := st.Update(ctx, func(tx vigie.Tx) error {
				a, err := tx.Assessment(ctx, target.country, target.indicator)
				if err != nil {
					return err
				}
				a.Explanation = long(target.words)
				_, _, err = tx.SaveAssessment(ctx, a, vigie.Change{Author: "bench", Reason: "long text",
					At: time.Now().Add(time.Duration(i-2) * time.Hour)})
				return err
			})
			if err != nil {
				st.Close()
				return err
			}
		}
	}
	// The month states a long-running server keeps (built by its upkeep
	// after the first start): the harness measures the steady state.
	for more := true; more; {
		if _, more, err = st.BuildMonthStates(ctx, time.Now(), 50); err != nil {
			st.Close()
			return err
		}
	}
	st.Close()

	srv := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--db", db)
	if pprofFile != "" {
		srv.Env = append(os.Environ(), "VIGIE_PPROF="+pprofAddr)
	}
	stdout, err := srv.StdoutPipe()
	if err != nil {
		return err
	}
	if err := srv.Start(); err != nil {
		return err
	}
	defer func() { srv.Process.Signal(os.Interrupt); srv.Wait() }()
	base := ""
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if m := regexp.MustCompile(`http://127\.0\.0\.1:[0-9]+`).FindString(sc.Text()); m != "" {
			base = m
			break
		}
	}
	go io.Copy(io.Discard, stdout)
	if base == "" {
		return fmt.Errorf("vigie serve did not start")
	}
	client := &http.Client{Timeout: 5 * time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	get := func(path string, gzip bool) (int, time.Duration, error) {
		req, _ := http.NewRequest(http.MethodGet, base+path, nil)
		if gzip {
			req.Header.Set("Accept-Encoding", "gzip")
		}
		start := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			return 0, 0, err
		}
		n, _ := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return int(n), time.Since(start), nil
	}
	var seq atomic.Int64
	others := []string{"/countries/mali", "/countries/senegal", "/countries/france", "/countries/brazil",
		"/indicators/age-of-consent", "/countries", "/countries/kenya", "/countries/india"}
	measure := func(label string) error {
		var times []time.Duration
		byPage := map[string][]time.Duration{}
		deadline := time.Now().Add(duration)
		for time.Now().Before(deadline) {
			p := others[len(times)%len(others)] + fmt.Sprintf("?q=o%d", seq.Add(1))
			_, d, err := get(p, true)
			if err != nil {
				return err
			}
			times = append(times, d)
			byPage[strings.Split(p, "?")[0]] = append(byPage[strings.Split(p, "?")[0]], d)
			time.Sleep(10 * time.Millisecond)
		}
		slices.Sort(times)
		fmt.Printf("%s: %d uncached pages, p50 %v, p90 %v, p99 %v, max %v\n", label, len(times),
			times[len(times)/2].Round(100*time.Microsecond), times[len(times)*9/10].Round(100*time.Microsecond),
			times[len(times)*99/100].Round(100*time.Microsecond), times[len(times)-1].Round(100*time.Microsecond))
		for _, p := range others {
			ts := byPage[p]
			slices.Sort(ts)
			if len(ts) > 0 {
				fmt.Printf("  %s: p50 %v, max %v\n", p, ts[len(ts)/2].Round(100*time.Microsecond), ts[len(ts)-1].Round(100*time.Microsecond))
			}
		}
		return nil
	}
	for _, p := range []string{"/countries/mali/age-of-consent/history", "/countries/senegal/age-of-consent/history"} {
		n, d, err := get(p, false)
		if err != nil {
			return err
		}
		fmt.Printf("first GET %s: %v, %d bytes\n", p, d.Round(time.Millisecond), n)
	}
	if err := measure("alone"); err != nil {
		return err
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var hostileTimes []time.Duration
	var mu sync.Mutex
	for i := range hostile {
		wg.Add(1)
		go func() {
			defer wg.Done()
			target := []string{"mali", "senegal"}[i%2]
			for {
				select {
				case <-stop:
					return
				default:
				}
				_, d, err := get(fmt.Sprintf("/countries/%s/age-of-consent/history?q=h%d", target, seq.Add(1)), true)
				if err != nil {
					return
				}
				mu.Lock()
				hostileTimes = append(hostileTimes, d)
				mu.Unlock()
			}
		}()
	}
	time.Sleep(time.Second)
	if pprofFile != "" {
		go func() {
			resp, err := http.Get("http://" + pprofAddr + "/debug/pprof/profile?seconds=10")
			if err != nil {
				fmt.Fprintln(os.Stderr, "pprof:", err)
				return
			}
			defer resp.Body.Close()
			f, err := os.Create(pprofFile)
			if err == nil {
				io.Copy(f, resp.Body)
				f.Close()
			}
		}()
	}
	err = measure(fmt.Sprintf("with %d hostile clients", hostile))
	close(stop)
	wg.Wait()
	slices.Sort(hostileTimes)
	if n := len(hostileTimes); n > 0 {
		fmt.Printf("hostile history pages: %d, p50 %v, max %v\n", n, hostileTimes[n/2].Round(time.Millisecond), hostileTimes[n-1].Round(time.Millisecond))
	}
	return err
}

package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// result is one load run against one server.
type result struct {
	Requests int
	Duration time.Duration
	Bytes    int64 // response bytes, headers included for wrk
	P50, P99 time.Duration
	Max      time.Duration
	Errors   int // connection errors, timeouts and non-2xx answers
}

func (r result) RPS() float64 { return float64(r.Requests) / r.Duration.Seconds() }

// loader sends GETs for paths round-robin over conns keep-alive
// connections for d, with Accept-Encoding: gzip, as a browser would.
type loader interface {
	name() string
	run(ctx context.Context, base string, paths []string, conns int, d time.Duration) (result, error)
}

// goLoader is a load generator on net/http: one goroutine per connection,
// each sending its next request as soon as the previous answer is read.
type goLoader struct{}

func (goLoader) name() string { return "Go (net/http client)" }

func (goLoader) run(ctx context.Context, base string, paths []string, conns int, d time.Duration) (result, error) {
	tr := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        conns,
		MaxIdleConnsPerHost: conns,
		MaxConnsPerHost:     conns,
		IdleConnTimeout:     time.Minute,
		DisableCompression:  true, // the bytes as they travel; we ask for gzip ourselves
		ForceAttemptHTTP2:   false,
		WriteBufferSize:     4 << 10,
		ReadBufferSize:      64 << 10,
	}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	reqs := make([]*http.Request, len(paths))
	for i, p := range paths {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+p, nil)
		if err != nil {
			return result{}, err
		}
		req.Header.Set("Accept-Encoding", "gzip")
		reqs[i] = req
	}
	type worker struct {
		lat    []time.Duration
		bytes  int64
		errors int
	}
	workers := make([]worker, conns)
	deadline := time.Now().Add(d)
	start := time.Now()
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			me := &workers[w]
			me.lat = make([]time.Duration, 0, 1<<16)
			buf := make([]byte, 64<<10)
			for i := w; ; i++ {
				t0 := time.Now()
				if t0.After(deadline) || ctx.Err() != nil {
					return
				}
				resp, err := client.Do(reqs[i%len(reqs)])
				if err != nil {
					me.errors++
					continue
				}
				for {
					n, err := resp.Body.Read(buf)
					me.bytes += int64(n)
					if err != nil {
						break
					}
				}
				resp.Body.Close()
				me.lat = append(me.lat, time.Since(t0))
				if resp.StatusCode/100 != 2 {
					me.errors++
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	var all []time.Duration
	var res result
	for _, w := range workers {
		all = append(all, w.lat...)
		res.Bytes += w.bytes
		res.Errors += w.errors
	}
	slices.Sort(all)
	res.Requests, res.Duration = len(all), elapsed
	if len(all) > 0 {
		res.P50, res.P99, res.Max = percentile(all, 50), percentile(all, 99), all[len(all)-1]
	}
	return res, nil
}

func percentile(sorted []time.Duration, p float64) time.Duration {
	i := int(float64(len(sorted)-1) * p / 100)
	return sorted[i]
}

// wrkLoader runs Debian's wrk (C, epoll): it costs the shared two cores
// less than a Go client, so more of them go to the server under test. A
// Lua script walks the paths round-robin and prints a machine-readable
// summary line.
type wrkLoader struct {
	path string
	dir  string // for the scripts
}

func (l wrkLoader) name() string { return "wrk 4.1 (2 threads)" }

const wrkScript = `
local paths = {%s}
local i = 0
local id = 0
setup = function(thread)
  thread:set("id", id)
  id = id + 1
end
init = function(args)
  i = id * 7
end
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %%d %%d %%d %%d %%d %%d %%d %%d\n", summary.requests, summary.duration,
    summary.bytes, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(99), latency.max))
end
`

func (l wrkLoader) run(ctx context.Context, base string, paths []string, conns int, d time.Duration) (result, error) {
	quoted := make([]string, len(paths))
	for i, p := range paths {
		quoted[i] = strconv.Quote(p)
	}
	script := filepath.Join(l.dir, "paths.lua")
	if err := os.WriteFile(script, fmt.Appendf(nil, wrkScript, strings.Join(quoted, ", ")), 0o644); err != nil {
		return result{}, err
	}
	secs := max(1, int(d.Round(time.Second)/time.Second))
	cmd := exec.CommandContext(ctx, l.path, "-t2", "-c"+strconv.Itoa(conns), "-d"+strconv.Itoa(secs)+"s",
		"--timeout", "10s", "-H", "Accept-Encoding: gzip", "-s", script, base+paths[0])
	out, err := cmd.Output()
	if err != nil {
		return result{}, fmt.Errorf("wrk: %w\n%s", err, out)
	}
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) != 9 || f[0] != "RESULT" {
			continue
		}
		n := make([]int64, 8)
		for i := range n {
			if n[i], err = strconv.ParseInt(f[i+1], 10, 64); err != nil {
				return result{}, fmt.Errorf("wrk: %q: %w", sc.Text(), err)
			}
		}
		us := time.Microsecond
		return result{Requests: int(n[0]), Duration: time.Duration(n[1]) * us, Bytes: n[2], Errors: int(n[3] + n[4]),
			P50: time.Duration(n[5]) * us, P99: time.Duration(n[6]) * us, Max: time.Duration(n[7]) * us}, nil
	}
	return result{}, fmt.Errorf("wrk printed no summary:\n%s", out)
}

// fetch GETs a page as the load generators ask for it.
func fetch(base, path string, gzip bool) (int, http.Header, []byte, error) {
	req, err := http.NewRequest(http.MethodGet, base+path, nil)
	if err != nil {
		return 0, nil, nil, err
	}
	if gzip {
		req.Header.Set("Accept-Encoding", "gzip")
	}
	tr := &http.Transport{DisableCompression: true}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr, Timeout: time.Minute}).Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, body, err
}

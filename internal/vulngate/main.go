// Command vulngate reads govulncheck's JSON stream (-format json) on
// standard input and decides whether CI fails: it fails on a
// vulnerability that Vigie's code calls in a module it depends on, and
// only reports one in the Go standard library, which is fixed by building
// with a newer Go release rather than by a change to go.mod (the README
// names the release to build with).
//
//	govulncheck -format json ./... | go run ./internal/vulngate
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
)

type frame struct {
	Module   string `json:"module"`
	Version  string `json:"version"`
	Package  string `json:"package"`
	Function string `json:"function"`
}

type message struct {
	Config  *json.RawMessage `json:"config"`
	Finding *struct {
		OSV          string  `json:"osv"`
		FixedVersion string  `json:"fixed_version"`
		Trace        []frame `json:"trace"`
	} `json:"finding"`
}

func main() {
	fatal, reported, err := gate(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "vulngate:", err)
		os.Exit(2)
	}
	for _, line := range reported {
		fmt.Println("standard library (build with a newer Go):", line)
	}
	for _, line := range fatal {
		fmt.Println("CALLED:", line)
	}
	if len(fatal) > 0 {
		fmt.Printf("vulngate: %d called vulnerabilities in dependencies\n", len(fatal))
		os.Exit(1)
	}
	fmt.Printf("vulngate: no called vulnerability in a dependency (%d in the standard library reported)\n", len(reported))
}

// gate sorts the called findings of r into those that fail the build
// (a dependency's) and those only reported (the standard library's).
func gate(r io.Reader) (fatal, reported []string, err error) {
	seen := map[string]bool{}
	started := false
	dec := json.NewDecoder(r)
	for {
		var m message
		if err := dec.Decode(&m); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, nil, err
		}
		started = started || m.Config != nil
		f := m.Finding
		if f == nil || len(f.Trace) == 0 || f.Trace[0].Function == "" {
			continue // imported or required, not called
		}
		top := f.Trace[0]
		line := fmt.Sprintf("%s in %s %s (%s.%s), fixed in %s", f.OSV, top.Module, top.Version, top.Package, top.Function, f.FixedVersion)
		if seen[f.OSV] {
			continue // one line per vulnerability, naming the first call found
		}
		seen[f.OSV] = true
		if top.Module == "stdlib" || top.Module == "toolchain" {
			reported = append(reported, line)
		} else {
			fatal = append(fatal, line)
		}
	}
	if !started {
		return nil, nil, errors.New("no govulncheck output (did it run?)")
	}
	sort.Strings(fatal)
	sort.Strings(reported)
	return fatal, reported, nil
}

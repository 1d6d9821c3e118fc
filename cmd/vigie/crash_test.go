package main

import (
	"context"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/sqlite"
)

// TestImportSurvivesSIGKILL kills "vigie import" at random points, 20
// times, and checks after each that the database opens, passes its
// integrity check and holds all or none of the killed import.
func TestImportSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("the crash test runs 20 imports; skipped with -short")
	}
	template, err := os.ReadFile("../../pageformat/testdata/gambia.txt")
	if err != nil {
		t.Fatal(err)
	}
	// Countries whose names need no care inside a page.
	var countries []vigie.Country
	plain := regexp.MustCompile(`^[A-Za-z ]+$`)
	for _, c := range vigie.Countries() {
		if plain.MatchString(c.Names.EN) && c.ISO2 != "GM" {
			countries = append(countries, c)
		}
	}
	const rounds, perRound = 20, 8
	if len(countries) < rounds*perRound {
		t.Fatalf("only %d plain country names", len(countries))
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "vigie.db")
	pagesFor := func(round int) ([]string, []vigie.Country) {
		set := countries[round*perRound : (round+1)*perRound]
		var paths []string
		for _, c := range set {
			page := strings.ReplaceAll(string(template), "The Gambia", c.Names.EN)
			page = strings.ReplaceAll(page, "Gambia", c.Names.EN)
			p := filepath.Join(dir, c.ISO2+".txt")
			if err := os.WriteFile(p, []byte(page), 0o644); err != nil {
				t.Fatal(err)
			}
			paths = append(paths, p)
		}
		return paths, set
	}
	importCmd := func(paths []string) *exec.Cmd {
		cmd := exec.Command(os.Args[0], append([]string{"import", "-q", "--db", db}, paths...)...)
		cmd.Env = append(os.Environ(), "VIGIE_RUN_MAIN=1")
		return cmd
	}

	// Time one whole import to know where "random points" lie.
	warm, _ := pagesFor(0)
	start := time.Now()
	if out, err := importCmd(warm).CombinedOutput(); err != nil {
		t.Fatalf("warm-up import: %v\n%s", err, out)
	}
	full := time.Since(start)
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	killed := 0
	for round := 1; round < rounds+1 && round*perRound+perRound <= len(countries); round++ {
		paths, set := pagesFor(round)
		cmd := importCmd(paths)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// From early in the parse to just past the usual commit, so that
		// kills land while reading, while writing and after the end.
		delay := time.Duration(float64(full) * (0.2 + rng.Float64()))
		time.Sleep(delay)
		if cmd.Process.Signal(syscall.SIGKILL) == nil {
			killed++
		}
		cmd.Wait()

		if _, err := sqlite.CheckFile(context.Background(), db); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		s, err := sqlite.Open(context.Background(), db)
		if err != nil {
			t.Fatalf("round %d: the database does not open: %v", round, err)
		}
		present := 0
		for _, c := range set {
			if orgs, _ := s.Organisations(context.Background(), vigie.OrganisationFilter{Country: c.ISO2}); len(orgs) == 2 {
				present++
			}
		}
		s.Close()
		if present != 0 && present != len(set) {
			t.Fatalf("round %d: %d of %d pages landed: the import was not all-or-nothing", round, present, len(set))
		}
		t.Logf("round %d: SIGKILL after %v of a %v import; it %s", round, delay.Round(time.Millisecond), full.Round(time.Millisecond),
			map[bool]string{true: "landed whole", false: "left no trace"}[present > 0])
	}
	if killed == 0 {
		t.Error("no import was killed: they all ended before the signal")
	}
}

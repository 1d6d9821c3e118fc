package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestMain lets the tests start the test binary itself as a real vigie
// process (VIGIE_RUN_MAIN=1), so that two processes share one database.
func TestMain(m *testing.M) {
	if os.Getenv("VIGIE_RUN_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

const maliPage = "../../pageformat/testdata/mali.txt"

// importedMali imports the reference page into a new database in a
// temporary folder, and returns the folder and the database.
func importedMali(t *testing.T) (dir, db string) {
	t.Helper()
	dir = t.TempDir()
	db = filepath.Join(dir, "vigie.db")
	if code, out, stderr := runCLI(t, "import", "--db", db, maliPage); code != 0 {
		t.Fatalf("import: exit %d\n%s%s", code, out, stderr)
	}
	return dir, db
}

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestHelpAndVersion(t *testing.T) {
	for _, cmd := range []string{"serve", "import", "version"} {
		code, _, stderr := runCLI(t, cmd, "--help")
		if code != 0 || !strings.Contains(stderr, "Usage: vigie "+cmd) {
			t.Errorf("vigie %s --help: exit %d, %q", cmd, code, stderr)
		}
	}
	if code, out, _ := runCLI(t, "version"); code != 0 || !strings.HasPrefix(out, "vigie ") {
		t.Errorf("vigie version: exit %d, %q", code, out)
	}
	if code, _, stderr := runCLI(t, "frobnicate"); code != 2 || !strings.Contains(stderr, `unknown command "frobnicate"`) {
		t.Errorf("unknown command: exit %d, %q", code, stderr)
	}
	if code, _, _ := runCLI(t, "import", "--db", filepath.Join(t.TempDir(), "x.db")); code != 2 {
		t.Errorf("import without files: exit %d, want 2", code)
	}
}

func TestImportIsIdempotentAndDryRunWritesNothing(t *testing.T) {
	db := filepath.Join(t.TempDir(), "vigie.db")
	code, out, stderr := runCLI(t, "import", "--db", db, "--dry-run", maliPage)
	if code != 0 || !strings.Contains(out, "dry run, nothing written") || !strings.Contains(out, "organisation") {
		t.Fatalf("dry run: exit %d\n%s%s", code, out, stderr)
	}
	code, out, stderr = runCLI(t, "import", "--db", db, maliPage)
	if code != 0 || !strings.Contains(out, "imported") || !strings.Contains(out, "assessment ML/extraterritoriality-extradition: revision 1") {
		t.Fatalf("first import: exit %d\n%s%s", code, out, stderr)
	}
	code, out, _ = runCLI(t, "import", "--db", db, maliPage)
	if code != 0 || !strings.Contains(out, "already up to date") {
		t.Errorf("second import: exit %d\n%s", code, out)
	}
}

func TestImportErrorNamesTheLineAndWritesNothing(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "vigie.db")
	page, err := os.ReadFile(maliPage)
	if err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(string(page), "CSAM Definition", "Weather Forecast", 1)
	badPath := filepath.Join(dir, "bad.txt")
	os.WriteFile(badPath, []byte(bad), 0o644)
	line := 1 + strings.Count(bad[:strings.Index(bad, "Weather Forecast")], "\n")

	// The good page comes first: it must not be written either.
	code, _, stderr := runCLI(t, "import", "--db", db, maliPage, badPath)
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	want := regexp.MustCompile(regexp.QuoteMeta(badPath) + `:` + strconv.Itoa(line) + `: .*Weather Forecast`)
	if !want.MatchString(stderr) || !strings.Contains(stderr, "nothing was imported") {
		t.Errorf("stderr does not name %s:%d: %s", badPath, line, stderr)
	}
	_, out, _ := runCLI(t, "import", "--db", db, "--dry-run", maliPage)
	if !strings.Contains(out, "1 organisation(s)") {
		t.Errorf("the failed import wrote something: a dry run now says %s", out)
	}
}

// TestServerSeesImportFromAnotherProcess runs "vigie serve" as its own
// process and imports into the same database from this one.
func TestServerSeesImportFromAnotherProcess(t *testing.T) {
	db := filepath.Join(t.TempDir(), "vigie.db")
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, os.Args[0], "serve", "--addr", "127.0.0.1:0", "--db", db)
	cmd.Env = append(os.Environ(), "VIGIE_RUN_MAIN=1")
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Stop the server (SIGINT) and wait for it, in that order.
	defer func() { cancel(); cmd.Wait() }()
	urlc := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := regexp.MustCompile(`http://[0-9.:]+`).FindString(sc.Text()); m != "" {
				urlc <- m
			}
		}
	}()
	var base string
	select {
	case base = <-urlc:
	case <-time.After(30 * time.Second):
		t.Fatal("vigie serve did not start")
	}

	get := func(path string) (int, string) {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	if code, body := get("/countries/mali"); code != 200 || strings.Contains(body, "ACESEM") {
		t.Fatalf("before the import: %d, ACESEM shown: %v", code, strings.Contains(body, "ACESEM"))
	}
	if code, out, stderr := runCLI(t, "import", "--db", db, maliPage); code != 0 {
		t.Fatalf("import: %s%s", out, stderr)
	}
	// Published pages are cached per data version, which the server
	// re-reads every 250 ms: the import must show within a second.
	var code int
	var body string
	for deadline := time.Now().Add(time.Second); ; time.Sleep(50 * time.Millisecond) {
		if code, body = get("/countries/mali"); strings.Contains(body, "ACESEM") || time.Now().After(deadline) {
			break
		}
	}
	if code != 200 {
		t.Fatalf("after the import: %d", code)
	}
	for _, fact := range []string{"ACESEM", "Boubacar Hassane", "Penal Code of Mali", "status as of 2021"} {
		if !strings.Contains(body, fact) {
			t.Errorf("the running server does not show %q after the import", fact)
		}
	}
}

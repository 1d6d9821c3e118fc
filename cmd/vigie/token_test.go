package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestTokenCreateAndTheAPI makes a token with the command line and uses it
// against "vigie serve", which serves the API beside the site.
func TestTokenCreateAndTheAPI(t *testing.T) {
	db := filepath.Join(t.TempDir(), "vigie.db")
	if code, out, stderr := runCLI(t, "user", "add", "ana@example.org", "--role", "researcher", "--db", db); code != 0 {
		t.Fatalf("user add: %s%s", out, stderr)
	}
	code, out, stderr := runCLI(t, "token", "create", "Ana@Example.org", "--db", db)
	token := strings.TrimSuffix(out, "\n")
	if code != 0 || !regexp.MustCompile(`^[A-Za-z0-9_-]{43}$`).MatchString(token) || stderr != "" {
		t.Fatalf("token create: exit %d, stdout %q, stderr %q; want the token alone", code, out, stderr)
	}
	if code, out, stderr := runCLI(t, "token", "create", "--db", db, "nobody@example.org"); code != 1 || out != "" || !strings.Contains(stderr, "nobody@example.org") {
		t.Errorf("token for an unknown user: exit %d, stdout %q, stderr %q", code, out, stderr)
	}
	if code, _, _ := runCLI(t, "token", "create", "--db", db); code != 2 {
		t.Errorf("token create without EMAIL: exit %d, want 2", code)
	}
	if code, _, stderr := runCLI(t, "token", "--help"); code != 0 || !strings.Contains(stderr, "vigie token create EMAIL") {
		t.Errorf("token --help: exit %d, %q", code, stderr)
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stdout, w := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--db", db}, w, io.Discard)
		w.Close()
	}()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	base := regexp.MustCompile(`http://[0-9.:]+`).FindString(line)
	if err != nil || base == "" {
		t.Fatalf("vigie serve did not start: %q %v", line, err)
	}
	go io.Copy(io.Discard, stdout)
	defer func() {
		cancel()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			t.Error("vigie serve did not stop")
		}
	}()

	res, err := http.Get(base + "/api/v1/countries/ml")
	if err != nil {
		t.Fatal(err)
	}
	var country struct{ ISO2 string }
	json.NewDecoder(res.Body).Decode(&country)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || country.ISO2 != "ML" || res.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("GET /api/v1/countries/ml: %d %+v", res.StatusCode, country)
	}
	if res, err := http.Get(base + "/countries/mali"); err != nil || res.StatusCode != http.StatusOK ||
		!strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		t.Errorf("the site is not served beside the API: %v %v", res, err)
	}

	body := `{"rating": "no", "value": 15, "explanation": "Set at 15.", "as_of": "2012", "sources": [], "reason": "from the CLI test"}`
	req, _ := http.NewRequest(http.MethodPut, base+"/api/v1/assessments/ML/age-of-consent", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("If-Match", `"r0"`)
	req.Header.Set("Content-Type", "application/json")
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var rev struct {
		Number int
		State  string
		Author string
	}
	json.NewDecoder(res.Body).Decode(&rev)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || rev.Number != 1 || rev.State != "draft" || rev.Author != "ana@example.org" {
		t.Errorf("PUT with the token: %d %+v", res.StatusCode, rev)
	}
}

package main

import (
	"bufio"
	"context"
	"github.com/vigie-network/vigie/internal/testdb"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/postgres"
)

// TestTwoServersShareOnePostgres runs two "vigie serve" processes on one
// PostgreSQL database, as behind a load balancer: a session opened on one
// is valid on the other, and a change published through one shows on the
// other's cached public pages within a second.
func TestTwoServersShareOnePostgres(t *testing.T) {
	admin := os.Getenv("VIGIE_TEST_POSTGRES")
	if admin == "" {
		t.Skip("set VIGIE_TEST_POSTGRES=postgres://… to run two vigie serve processes on one PostgreSQL database")
	}
	dsn := testdb.PostgresDSN(t)

	// Both start at once on the empty database: they take turns migrating.
	var a, b string
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); a = startServeProcess(t, dsn) }()
	go func() { defer wg.Done(); b = startServeProcess(t, dsn) }()
	wg.Wait()
	if a == "" || b == "" {
		t.FailNow()
	}
	if a == b {
		t.Fatalf("both processes answer at %s", a)
	}

	// Users come from the command line, a third process as far as the
	// servers know.
	const password = "correct horse battery staple"
	addUser := func(email, role, name string) {
		t.Helper()
		old := stdin
		stdin = strings.NewReader(password + "\n")
		defer func() { stdin = old }()
		if code, out, errOut := runCLI(t, "user", "add", email, "--role", role, "--name", name, "--password-stdin", "--db", dsn); code != 0 {
			t.Fatalf("user add %s: exit %d\n%s%s", email, code, out, errOut)
		}
	}
	addUser("rui@example.org", "reviewer", "Rui Reviewer")
	addUser("ana@example.org", "researcher", "Ana Researcher")

	// Sign in on A.
	noRedirect := &http.Client{Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noRedirect.PostForm(a+"/login", url.Values{"email": {"rui@example.org"}, "password": {password}, "next": {"/edit"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var session *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "vigie_session" && c.Value != "" {
			session = c
		}
	}
	if resp.StatusCode != http.StatusSeeOther || session == nil {
		t.Fatalf("sign-in on A: %s, session cookie %v", resp.Status, session)
	}

	// The cookie that A set opens the editors' workspace on B.
	get := func(base, path string, cookie *http.Cookie) (int, http.Header, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, base+path, nil)
		if cookie != nil {
			req.AddCookie(cookie)
		}
		resp, err := noRedirect.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header, string(body)
	}
	if code, h, _ := get(b, "/edit", nil); code != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/login") {
		t.Fatalf("B without the cookie: %d to %q, want a redirect to /login", code, h.Get("Location"))
	}
	if code, _, body := get(b, "/edit", session); code != http.StatusOK || !strings.Contains(body, "Rui Reviewer") {
		t.Fatalf("B with A's session cookie: %d, shows the user: %v", code, strings.Contains(body, "Rui Reviewer"))
	}

	// A researcher submits a revision (through the service, from here);
	// it is not public yet.
	st, err := postgres.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ana, err := st.UserByEmail(context.Background(), "ana@example.org")
	if err != nil {
		t.Fatal(err)
	}
	const fact = "Checked by two servers: the age of consent is sixteen"
	age := 16
	rev, err := vigie.NewService(st).SaveDraft(context.Background(), vigie.Actor{User: &ana, Addr: "test"},
		vigie.Assessment{Country: "ML", Indicator: "age-of-consent", Rating: vigie.RatingYes, Value: &age,
			Explanation: fact + ".", AsOf: vigie.AsOf{Year: 2024}}, 0, "two-process test", true)
	if err != nil {
		t.Fatal(err)
	}

	// B serves Mali's page from its cache, without the fact.
	for range 2 {
		if code, h, body := get(b, "/countries/mali", nil); code != 200 || h.Get("ETag") == "" || strings.Contains(body, fact) {
			t.Fatalf("B before publishing: %d, ETag %q, shows the fact: %v", code, h.Get("ETag"), strings.Contains(body, fact))
		}
	}

	// The reviewer publishes through A's review form.
	req, _ := http.NewRequest(http.MethodPost, a+"/edit/review/mali/age-of-consent/"+strconv.Itoa(rev.Number),
		strings.NewReader(url.Values{"action": {"publish"}, "comment": {"checked"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(session)
	resp, err = noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	published := time.Now()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish through A: %s\n%s", resp.Status, body)
	}
	if _, _, body := get(a, "/countries/mali", nil); !strings.Contains(body, fact) {
		t.Errorf("A does not show what it just published")
	}
	// B re-reads the data version every 250 ms: within a second it shows.
	for {
		_, _, body := get(b, "/countries/mali", nil)
		if strings.Contains(body, fact) {
			t.Logf("B showed the change %v after A published it", time.Since(published).Round(time.Millisecond))
			break
		}
		if time.Since(published) > time.Second {
			t.Fatalf("B does not show the change published through A after %v", time.Since(published).Round(time.Millisecond))
		}
		time.Sleep(20 * time.Millisecond)
	}

	// Signing out on B ends the session on A too.
	req, _ = http.NewRequest(http.MethodPost, b+"/logout", nil)
	req.AddCookie(session)
	if resp, err = noRedirect.Do(req); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if code, h, _ := get(a, "/edit", session); code != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/login") {
		t.Errorf("A after signing out on B: %d to %q, want a redirect to /login", code, h.Get("Location"))
	}
}

var servingAt = regexp.MustCompile(`http://[0-9.:]+`)

// startServeProcess runs this test binary as "vigie serve" on a free
// loopback port and returns its address; the process gets SIGINT and is
// waited for when the test ends. It returns "" after reporting a failure.
func startServeProcess(t *testing.T, dsn string) string {
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, os.Args[0], "serve", "--addr", "127.0.0.1:0", "--db", dsn)
	cmd.Env = append(os.Environ(), "VIGIE_RUN_MAIN=1")
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 10 * time.Second
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Error(err)
		cancel()
		return ""
	}
	logs := &lockedWriter{}
	cmd.Stderr = logs
	if err := cmd.Start(); err != nil {
		t.Error(err)
		cancel()
		return ""
	}
	t.Cleanup(func() { cancel(); cmd.Wait() })
	urlc := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := servingAt.FindString(sc.Text()); m != "" {
				urlc <- m
			}
		}
	}()
	select {
	case base := <-urlc:
		return base
	case <-time.After(30 * time.Second):
		t.Errorf("vigie serve did not start:\n%s", logs.String())
		return ""
	}
}

// lockedWriter lets the process write its log while a failing test reads it.
type lockedWriter struct {
	mu sync.Mutex
	w  strings.Builder
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func (l *lockedWriter) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.String()
}

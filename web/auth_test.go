package web

import (
	"context"
	"crypto/tls"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	vigie "github.com/vigie-network/vigie"
)

func TestLoginSetsASessionCookieAndLogoutEndsIt(t *testing.T) {
	e := newEditorsSite(t)
	e.addUser("ana@example.org", vigie.RoleResearcher)
	c := e.visitor("192.0.2.20:1000")

	doc := c.page("/login?next=/edit/review", http.StatusOK)
	for _, name := range []string{"email", "password"} {
		if doc.Find(`form[action="/login"] input[name="`+name+`"]`).Length() != 1 {
			t.Errorf("the sign-in form has no %q field", name)
		}
	}
	if got := doc.Find(`input[name="next"]`).AttrOr("value", ""); got != "/edit/review" {
		t.Errorf("next = %q", got)
	}

	res, body := c.post("/login", url.Values{"email": {"ana@example.org"}, "password": {"wrong password!"}})
	if res.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "The email or the password is wrong") {
		t.Errorf("wrong password: %d\n%s", res.StatusCode, body)
	}
	if c.cookies[sessionCookie] != nil {
		t.Fatal("a wrong password got a session")
	}

	res, _ = c.post("/login", url.Values{"email": {"Ana@Example.org "}, "password": {testPassword}, "next": {"/edit/review"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/edit/review" {
		t.Fatalf("sign-in: %d, Location %q", res.StatusCode, res.Header.Get("Location"))
	}
	ck := c.cookies[sessionCookie]
	if ck == nil || ck.Value == "" || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" || ck.Secure {
		t.Fatalf("session cookie over plain HTTP = %+v", ck)
	}
	doc = c.page("/edit", http.StatusOK)
	if got := textOf(doc.Find("header .session strong")); got != "ana" {
		t.Errorf("signed in as %q", got)
	}

	res, _ = c.post("/logout", url.Values{})
	if res.StatusCode != http.StatusSeeOther || c.cookies[sessionCookie] != nil {
		t.Fatalf("logout: %d, cookie %v", res.StatusCode, c.cookies[sessionCookie])
	}
	res, _ = c.get("/edit")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login?next=%2Fedit" {
		t.Errorf("after logout /edit answers %d → %q", res.StatusCode, res.Header.Get("Location"))
	}
	// The old secret is dead on the server too, not only in the browser.
	replay := e.visitor("192.0.2.20:1000")
	replay.cookies[sessionCookie] = ck
	if res, _ := replay.get("/edit"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("a logged-out session still opens /edit: %d", res.StatusCode)
	}
}

func TestSessionCookieIsSecureOverTLS(t *testing.T) {
	e := newEditorsSite(t)
	e.addUser("ana@example.org", vigie.RoleResearcher)
	req := httptest.NewRequest(http.MethodPost, "https://vigie.example/login",
		strings.NewReader(url.Values{"email": {"ana@example.org"}, "password": {testPassword}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.TLS = &tls.ConnectionState{}
	rec := httptest.NewRecorder()
	e.srv.ServeHTTP(rec, req)
	cookies := rec.Result().Cookies()
	if len(cookies) != 1 || !cookies[0].Secure || !cookies[0].HttpOnly {
		t.Fatalf("cookies over TLS: %+v", cookies)
	}
}

func TestLoginIsRateLimitedWithAClearMessage(t *testing.T) {
	e := newEditorsSite(t)
	// The wait after five failures is a second: a stopped clock keeps the
	// test from depending on how fast the machine hashes passwords.
	stopped := time.Now()
	e.svc.Now = func() time.Time { return stopped }
	e.addUser("ana@example.org", vigie.RoleResearcher)
	c := e.visitor("192.0.2.21:1000")
	for range 5 {
		c.post("/login", url.Values{"email": {"ana@example.org"}, "password": {"not the password"}})
	}
	res, body := c.post("/login", url.Values{"email": {"ana@example.org"}, "password": {testPassword}})
	if res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("sixth attempt: %d", res.StatusCode)
	}
	if msg := textOf(parseHTML(t, body).Find(".notice.bad")); !strings.Contains(msg, "Too many failed sign-ins; try again in") {
		t.Errorf("message %q", msg)
	}
	if c.cookies[sessionCookie] != nil {
		t.Error("signed in past the limit")
	}
}

func TestEditorsPagesNeedASignIn(t *testing.T) {
	e := newEditorsSite(t)
	c := e.visitor("192.0.2.22:1000")
	for _, path := range []string{"/edit", "/edit/review", "/edit/reports", "/edit/audit", "/edit/users",
		"/edit/countries/mali/age-of-consent", "/edit/indicators/age-of-consent", "/edit/organisations/new?country=ML"} {
		res, _ := c.get(path)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login?next="+url.QueryEscape(path) {
			t.Errorf("%s: %d → %q", path, res.StatusCode, res.Header.Get("Location"))
		}
		if res.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: Cache-Control %q", path, res.Header.Get("Cache-Control"))
		}
	}
	res, _ := c.post("/edit/countries/mali/age-of-consent", url.Values{"rating": {"yes"}})
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
		t.Errorf("signed-out post: %d → %q", res.StatusCode, res.Header.Get("Location"))
	}
	if revs := e.revisions("ML", "age-of-consent"); len(revs) != 0 {
		t.Errorf("a signed-out post wrote %d revisions", len(revs))
	}
}

func TestRolesSeeOnlyTheirPages(t *testing.T) {
	e := newEditorsSite(t)
	e.addUser("rui@example.org", vigie.RoleReviewer)
	e.addUser("mo@example.org", vigie.RoleMember, "ML")
	e.addUser("ana@example.org", vigie.RoleResearcher)
	reviewer, member, researcher := e.login("rui@example.org"), e.login("mo@example.org"), e.login("ana@example.org")
	for _, tc := range []struct {
		c      *client
		path   string
		status int
	}{
		{reviewer, "/edit/review", http.StatusOK},
		{reviewer, "/edit/countries/mali/age-of-consent", http.StatusForbidden},
		{reviewer, "/edit/audit", http.StatusForbidden},
		{member, "/edit/review", http.StatusForbidden},
		{member, "/edit/reports", http.StatusForbidden},
		{member, "/edit/organisations/new?country=ML", http.StatusOK},
		{member, "/edit/news/new", http.StatusOK},
		{researcher, "/edit/countries/mali/age-of-consent", http.StatusOK},
		{researcher, "/edit/indicators/age-of-consent", http.StatusOK},
		{researcher, "/edit/reports", http.StatusOK},
		{researcher, "/edit/users", http.StatusForbidden},
		{researcher, "/edit/featured", http.StatusForbidden},
	} {
		res, body := tc.c.get(tc.path)
		if res.StatusCode != tc.status {
			t.Errorf("%s: %d, want %d", tc.path, res.StatusCode, tc.status)
			continue
		}
		if res.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: Cache-Control %q", tc.path, res.Header.Get("Cache-Control"))
		}
		if tc.status == http.StatusForbidden && !strings.Contains(body, "Not allowed") {
			t.Errorf("%s: the 403 page does not say why", tc.path)
		}
	}
}

func TestCrossOriginPostsAreRefused(t *testing.T) {
	e := newEditorsSite(t)
	e.addUser("ana@example.org", vigie.RoleResearcher)
	c := e.login("ana@example.org")
	form := c.assessmentForm("mali", "sec-police-unit")
	form.Set("rating", vigie.RatingYes)
	form.Set("action", "draft")

	for _, header := range [][]string{
		{"Sec-Fetch-Site", "cross-site"},
		{"Origin", "https://attacker.example"},
	} {
		res, body := c.post("/edit/countries/mali/sec-police-unit", form, header...)
		if res.StatusCode != http.StatusForbidden || !strings.Contains(body, "sent from another site") {
			t.Errorf("%s: %d\n%s", header[0], res.StatusCode, body)
		}
	}
	// The public form too, and signing in.
	v := e.visitor("192.0.2.23:1000")
	if res, _ := v.post("/countries/mali/report", url.Values{"change": {"x"}}, "Sec-Fetch-Site", "cross-site"); res.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site report: %d", res.StatusCode)
	}
	if res, _ := v.post("/login", url.Values{"email": {"ana@example.org"}, "password": {testPassword}}, "Origin", "https://attacker.example"); res.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site sign-in: %d", res.StatusCode)
	}
	if revs := e.revisions("ML", "sec-police-unit"); len(revs) != 0 {
		t.Fatalf("a cross-site post wrote %d revisions", len(revs))
	}
	reports, _ := e.st.MovementReports(context.Background(), vigie.ReportFilter{})
	if len(reports) != 0 {
		t.Errorf("a cross-site report was stored")
	}

	// The same post from the site itself goes through.
	res, _ := c.post("/edit/countries/mali/sec-police-unit", form, "Sec-Fetch-Site", "same-origin", "Origin", "http://example.com")
	if res.StatusCode != http.StatusSeeOther {
		t.Errorf("same-origin post: %d", res.StatusCode)
	}
}

func TestSetPasswordLinkSignsTheNewUserIn(t *testing.T) {
	e := newEditorsSite(t)
	u := &vigie.User{Email: "new@example.org", Role: vigie.RoleReviewer}
	secret, err := e.svc.AddUser(context.Background(), vigie.CommandLine("test"), u, "")
	if err != nil {
		t.Fatal(err)
	}
	c := e.visitor("192.0.2.24:1000")
	res, body := c.get("/set-password?token=" + secret)
	if res.StatusCode != http.StatusOK || res.Header.Get("Referrer-Policy") != "no-referrer" {
		t.Fatalf("set-password page: %d, Referrer-Policy %q", res.StatusCode, res.Header.Get("Referrer-Policy"))
	}
	form := formValues(parseHTML(t, body), `form[action="/set-password"]`)
	if form.Get("token") != secret {
		t.Fatalf("the form does not carry the token: %v", form)
	}
	form.Set("password", "a long enough password")
	form.Set("confirm", "a different password!!")
	if res, body := c.post("/set-password", form); res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "The two passwords differ") {
		t.Errorf("mismatch: %d", res.StatusCode)
	}
	form.Set("password", "short")
	form.Set("confirm", "short")
	if res, body := c.post("/set-password", form); res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "at least 12 characters") {
		t.Errorf("short password: %d\n%s", res.StatusCode, body)
	}
	form.Set("password", "a long enough password")
	form.Set("confirm", "a long enough password")
	res, _ = c.post("/set-password", form)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/edit" || c.cookies[sessionCookie] == nil {
		t.Fatalf("set password: %d → %q", res.StatusCode, res.Header.Get("Location"))
	}
	c.page("/edit/review", http.StatusOK)

	// The link works once.
	again := e.visitor("192.0.2.24:1000")
	doc := again.page("/set-password?token="+secret, http.StatusOK)
	if doc.Find(`input[name="password"]`).Length() != 0 || !strings.Contains(textOf(doc.Find("main")), "expired or was already used") {
		t.Errorf("a used link still offers the form")
	}
}

// browserTarget resolves a Location header the way a browser does (the
// WHATWG URL parser): surrounding controls and spaces dropped, tabs and
// newlines removed anywhere, backslashes read as slashes.
func browserTarget(t *testing.T, base, location string) *url.URL {
	t.Helper()
	loc := strings.TrimFunc(location, func(r rune) bool { return r <= ' ' })
	loc = strings.NewReplacer("\t", "", "\n", "", "\r", "", `\`, "/").Replace(loc)
	b, _ := url.Parse(base)
	u, err := b.Parse(loc)
	if err != nil {
		return b // an address the browser cannot parse leads nowhere
	}
	return u
}

func TestSignInNeverRedirectsToAnotherSite(t *testing.T) {
	e := newEditorsSite(t)
	e.addUser("ana@example.org", vigie.RoleResearcher)
	signedIn := e.login("ana@example.org")
	hostile := []string{
		"/\t/evil.example/x", "/\n/evil.example", "/\r/evil.example", "\t//evil.example", " //evil.example",
		"//evil.example", "///evil.example", `/\evil.example`, `\/evil.example`, `/\\evil.example`,
		"https://evil.example/", "http:evil.example", "javascript:alert(1)", "//evil.example/%2F..",
		"/%09/evil.example", "\x00//evil.example", "/\x00/evil.example", "/\x0b/evil.example", "/\x7f/evil.example",
		"evil.example", "", "/\u3000/evil.example", "/%2F/evil.example", "https:/\\evil.example",
	}
	for _, next := range hostile {
		for _, try := range []struct {
			how string
			do  func() *http.Response
		}{
			{"GET signed in", func() *http.Response {
				res, _ := signedIn.get("/login?next=" + url.QueryEscape(next))
				return res
			}},
			{"POST", func() *http.Response {
				res, _ := e.visitor("192.0.2.30:1000").post("/login",
					url.Values{"email": {"ana@example.org"}, "password": {testPassword}, "next": {next}})
				return res
			}},
		} {
			res := try.do()
			loc := res.Header.Get("Location")
			if res.StatusCode != http.StatusSeeOther {
				t.Errorf("%s next=%q: status %d", try.how, next, res.StatusCode)
				continue
			}
			if got := browserTarget(t, "https://vigie.example/login", loc); got.Host != "vigie.example" || got.Scheme != "https" {
				t.Errorf("%s next=%q: Location %q leads a browser to %s", try.how, next, loc, got)
			}
		}
	}
	// Addresses of this site still come back.
	for _, next := range []string{"/edit/review", "/edit/assessments/ML?page=2&q=a%20b", "/fr/edit", "/"} {
		res, _ := e.visitor("192.0.2.31:1000").post("/login",
			url.Values{"email": {"ana@example.org"}, "password": {testPassword}, "next": {next}})
		if loc := res.Header.Get("Location"); loc != next {
			t.Errorf("next=%q: Location %q", next, loc)
		}
	}
}

// Finding 9 of issue 13: the sign-in form told a disabled account from
// a wrong password.
func TestSignInAnswersAlikeForUnknownDisabledAndWrong(t *testing.T) {
	e := newEditorsSite(t)
	e.addUser("ana@example.org", vigie.RoleResearcher)
	e.addUser("gone@example.org", vigie.RoleResearcher)
	if err := e.svc.DisableUser(context.Background(), vigie.CommandLine("test"), "gone@example.org"); err != nil {
		t.Fatal(err)
	}
	var first string
	for i, email := range []string{"nobody@example.org", "gone@example.org", "ana@example.org"} {
		res, body := e.visitor(fmt.Sprintf("192.0.2.%d:1000", 50+i)).post("/login",
			url.Values{"email": {email}, "password": {"not the password"}})
		msg := res.Status + textOf(parseHTML(t, body).Find(".notice.bad"))
		if i == 0 {
			first = msg
		}
		if msg != first || res.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s: %q, want %q", email, msg, first)
		}
	}
}

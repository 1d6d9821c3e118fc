package web

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/internal/testdb"
)

// Fixtures of the editors' workspace: a site on a real SQLite store with
// the Mali profile, users made through the service as the CLI makes them,
// and a small client that keeps its session cookie between requests.

const testPassword = "correct horse battery staple"

type editorsSite struct {
	t   *testing.T
	srv *Server
	svc *vigie.Service
	st  vigie.Store
}

func newEditorsSite(t *testing.T) *editorsSite {
	t.Helper()
	return newEditorsSiteOn(t, testdb.SQLite(t))
}

// newEditorsSiteOn is newEditorsSite on a store of the caller's choice
// (internal/testdb opens PostgreSQL ones).
func newEditorsSiteOn(t *testing.T, st vigie.Store) *editorsSite {
	t.Helper()
	seedMali(t, st)
	svc := vigie.NewService(st)
	return &editorsSite{t: t, srv: New(svc, nil), svc: svc, st: st}
}

// addUser creates a user with testPassword, as `vigie user add
// --password-stdin` does.
func (e *editorsSite) addUser(email string, role vigie.Role, countries ...string) *vigie.User {
	e.t.Helper()
	u := &vigie.User{Email: email, Name: strings.Split(email, "@")[0], Role: role, Countries: countries}
	if _, err := e.svc.AddUser(context.Background(), vigie.CommandLine("test"), u, testPassword); err != nil {
		e.t.Fatal(err)
	}
	return u
}

// client is one browser: its cookies and its address.
type client struct {
	t       *testing.T
	h       http.Handler
	addr    string
	cookies map[string]*http.Cookie
}

func (e *editorsSite) visitor(addr string) *client {
	return &client{t: e.t, h: e.srv, addr: addr, cookies: map[string]*http.Cookie{}}
}

// login signs in through the form and returns the signed-in client.
func (e *editorsSite) login(email string) *client {
	e.t.Helper()
	c := e.visitor("192.0.2.10:4000")
	res, body := c.post("/login", url.Values{"email": {email}, "password": {testPassword}, "next": {"/edit"}})
	if res.StatusCode != http.StatusSeeOther || c.cookies[sessionCookie] == nil {
		e.t.Fatalf("login %s: status %d\n%s", email, res.StatusCode, body)
	}
	return c
}

// do sends a request; header holds name, value pairs.
func (c *client) do(method, path string, form url.Values, header ...string) (*http.Response, string) {
	c.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, path, body)
	req.RemoteAddr = c.addr
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	for _, ck := range c.cookies {
		req.AddCookie(ck)
	}
	rec := httptest.NewRecorder()
	c.h.ServeHTTP(rec, req)
	res := rec.Result()
	for _, ck := range res.Cookies() {
		if ck.MaxAge < 0 {
			delete(c.cookies, ck.Name)
		} else {
			c.cookies[ck.Name] = ck
		}
	}
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return res, string(b)
}

func (c *client) get(path string) (*http.Response, string) {
	c.t.Helper()
	return c.do(http.MethodGet, path, nil)
}

func (c *client) post(path string, form url.Values, header ...string) (*http.Response, string) {
	c.t.Helper()
	return c.do(http.MethodPost, path, form, header...)
}

// page fetches path, expects status and parses the HTML.
func (c *client) page(path string, status int) *goquery.Document {
	c.t.Helper()
	res, body := c.get(path)
	if res.StatusCode != status {
		c.t.Fatalf("GET %s: status %d, want %d\n%s", path, res.StatusCode, status, body)
	}
	return parseHTML(c.t, body)
}

func parseHTML(t *testing.T, body string) *goquery.Document {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// formValues reads the fields of the form matching sel as a browser would
// send them with the given submit button's name and value.
func formValues(doc *goquery.Document, sel string) url.Values {
	v := url.Values{}
	form := doc.Find(sel).First()
	form.Find("input, textarea, select").Each(func(_ int, f *goquery.Selection) {
		name, ok := f.Attr("name")
		if !ok || f.Is("[disabled]") {
			return
		}
		switch {
		case f.Is("textarea"):
			v.Add(name, f.Text())
		case f.Is("select"):
			opt := f.Find("option[selected]").First()
			if opt.Length() == 0 {
				opt = f.Find("option").First()
			}
			v.Add(name, opt.AttrOr("value", opt.Text()))
		case f.Is("[type=radio], [type=checkbox]"):
			if _, checked := f.Attr("checked"); checked {
				v.Add(name, f.AttrOr("value", "on"))
			}
		case f.Is("[type=submit]"):
		default:
			v.Add(name, f.AttrOr("value", ""))
		}
	})
	return v
}

// assessmentForm loads the editors' form and returns its values.
func (c *client) assessmentForm(slug, indicator string) url.Values {
	c.t.Helper()
	doc := c.page("/edit/countries/"+slug+"/"+indicator, http.StatusOK)
	return formValues(doc, "form.assessment")
}

func (e *editorsSite) revisions(country, indicator string) []vigie.Revision {
	e.t.Helper()
	revs, err := e.st.Revisions(context.Background(), country, indicator)
	if err != nil {
		e.t.Fatal(err)
	}
	return revs
}

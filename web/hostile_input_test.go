package web

import (
	"archive/zip"
	"bytes"
	"cmp"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/export"
	"github.com/vigie-network/vigie/internal/testdb"
)

// The hostile-input suite (issue 13, standing defences): every form that
// writes gets, in each of its fields, the bytes an attacker or a broken
// client would send. Each must be refused with a 4xx that names the field,
// and nothing may change in the store. It runs on SQLite, and on
// PostgreSQL too when VIGIE_TEST_POSTGRES is set: both stores must refuse
// the same things.

// hostileText is one payload for a text field.
type hostileText struct{ name, value string }

// hostileTexts are the payloads every free-text field refuses; limit > 0
// adds one character past it.
func hostileTexts(limit int) []hostileText {
	list := []hostileText{
		{"invalid UTF-8", "caf\xe9 \xff\xfe"},
		{"NUL", "before\x00after"},
		{"control character", "bell\x07 escape\x1b[2J"},
		{"C1 control character", "next\u0085line"},
	}
	if limit > 0 {
		list = append(list, hostileText{"oversize", strings.Repeat("a", limit+1)})
	}
	return list
}

// hostileLinks are what link fields refuse besides hostileTexts.
var hostileLinks = []hostileText{
	{"javascript:", "javascript:alert(document.cookie)"},
	{"JavaScript: in capitals", "JaVaScRiPt:alert(1)"},
	{"data:", "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="},
	{"vbscript:", "vbscript:msgbox(1)"},
	{"no scheme", "//evil.example/x"},
}

// formula looks like a spreadsheet formula. It is ordinary text: stored
// exactly, and guarded only in the CSV export.
const formula = "=cmd|' /C calc'!A0"

// Limits of the domain, in characters (text.go).
const (
	lineLimit        = vigie.MaxLineChars
	explanationLimit = vigie.MaxExplanationChars
	newsBodyLimit    = vigie.MaxNewsBodyChars
	reasonLimit      = 5_000     // a reason for a change, a review comment
	textLimit        = 1_000_000 // any other text: the form's 1 MiB bound still lets it through
)

// hostileField is one field of a form.
type hostileField struct {
	name  string
	limit int  // characters it may hold; 0 when it is not free text (no oversize payload)
	link  bool // javascript: and data: are refused too
}

// hostileRoute is a form that writes, with values that save, so that only
// the hostile field is at fault.
type hostileRoute struct {
	name      string
	user      string // who posts: a key of hostileSite.clients, "" for a reader
	path      string
	form      url.Values
	fields    []hostileField
	multipart bool
	// marked says how the answer names the field; nil: the field's input
	// carries aria-invalid="true" next to its message.
	marked func(doc string, field string) bool
	// prepare, when set, makes the record the form is about before each
	// post (a revision to review) and returns path and form.
	prepare func() (string, url.Values)
}

// mentions is a marked for answers that are an error page: its text names
// the field.
func mentions(body, field string) bool {
	return strings.Contains(strings.ToLower(textOf(parseHTMLString(body).Find("main"))), strings.ReplaceAll(field, "_", " ")) ||
		strings.Contains(strings.ToLower(textOf(parseHTMLString(body).Find("main"))), field)
}

// refusedAlike is a marked for forms that must not say which of their
// fields is wrong (signing in).
func refusedAlike(string, string) bool { return true }

// hostileSite is an editors' site with a user of each role and a record
// of each kind for Mali.
type hostileSite struct {
	*editorsSite
	clients map[string]*client
	orgID   string // Mali's organisation
	pubID   string // Mali's publication
}

func newHostileSite(t *testing.T, st vigie.Store) *hostileSite {
	e := newEditorsSiteOn(t, st)
	h := &hostileSite{editorsSite: e, clients: map[string]*client{}}
	for role, email := range map[vigie.Role]string{vigie.RoleAdmin: "boss@example.org", vigie.RoleResearcher: "ana@example.org",
		vigie.RoleReviewer: "rui@example.org"} {
		e.addUser(email, role)
		h.clients[string(role)] = e.login(email)
	}
	e.addUser("mo@example.org", vigie.RoleMember, "ML")
	h.clients["member"] = e.login("mo@example.org")
	ctx := context.Background()
	orgs, err := st.Organisations(ctx, vigie.OrganisationFilter{Country: "ML"})
	if err != nil || len(orgs) == 0 {
		t.Fatalf("Mali's organisation: %v", err)
	}
	h.orgID = strconv.FormatInt(orgs[0].ID, 10)
	pubs, err := st.Publications(ctx, vigie.PublicationFilter{})
	if err != nil || len(pubs) == 0 {
		t.Fatalf("Mali's publication: %v", err)
	}
	h.pubID = strconv.FormatInt(pubs[0].ID, 10)
	return h
}

// storeState is everything the store holds that a form can change.
func storeState(t *testing.T, st vigie.Store) string {
	t.Helper()
	ctx := context.Background()
	ds, err := export.Build(ctx, st, export.Options{})
	if err != nil {
		t.Fatal(err)
	}
	users, err := st.Users(ctx)
	if err != nil {
		t.Fatal(err)
	}
	audit, err := st.AuditLog(ctx, vigie.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	reports, err := st.MovementReports(ctx, vigie.ReportFilter{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal([]any{ds, users, audit, reports})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// routes are every form that writes, each with a form that saves.
func (h *hostileSite) routes() []hostileRoute {
	line := func(names ...string) []hostileField {
		var out []hostileField
		for _, n := range names {
			out = append(out, hostileField{name: n, limit: lineLimit})
		}
		return out
	}
	ctx := context.Background()
	ana, err := h.st.UserByEmail(ctx, "ana@example.org")
	if err != nil {
		h.t.Fatal(err)
	}
	latest := func() int {
		rev, err := h.st.LatestRevision(ctx, "ML", "age-of-consent")
		if err != nil {
			h.t.Fatal(err)
		}
		return rev.Number
	}
	news := url.Values{"title": {"A workshop in Kayes"}, "slug": {"kayes-workshop"}, "date": {"2025-02-10"},
		"summary": {"Trainers met."}, "body": {"They met in Kayes."}, "countries": {"ML"}, "action": {"save"}}
	newsEdit := cloneValues(news)
	newsEdit.Set("slug", featuredSlug)
	newsFields := append(line("title", "slug"), hostileField{"summary", textLimit, false},
		hostileField{"body", newsBodyLimit, false}, hostileField{"countries", 0, false}, hostileField{"date", 0, false})
	org := url.Values{"country": {"ML"}, "name": {"Kayes Children's Network"}, "acronym": {"KCN"}, "description": {"Works in Kayes."},
		"founded": {"2019"}, "office_city": {"Kayes"}, "regions": {"Kayes"}, "areas_of_work": {"prevention"},
		"website": {"https://example.org/kcn"}, "contacts": {"1"}, "contact_0_name": {"Awa Traoré"}, "contact_0_title": {"Director"},
		"contact_0_phone": {"+223 66 12 34 56"}, "contact_0_email": {"awa@example.org"}, "contact_0_address": {"Rue 1, Kayes"}}
	orgEdit := cloneValues(org) // Mali's organisation keeps its own name
	orgEdit.Set("name", "Association Contre l’Exploitation Sexuelle des Enfants au Mali")
	orgEdit.Set("acronym", "ACESEM")
	orgFields := append(line("name", "acronym", "office_city", "regions", "areas_of_work", "contact_0_name", "contact_0_title",
		"contact_0_address"), hostileField{"description", textLimit, false}, hostileField{"website", lineLimit, true},
		hostileField{"contact_0_email", 0, false}, hostileField{"contact_0_phone", 0, false}, hostileField{"founded", 0, false},
		hostileField{"country", 0, false})
	pub := url.Values{"title": {"Mali – Legal Checklist"}, "type": {vigie.PubLegalChecklist}, "year": {"2020"},
		"publishers": {"ECPAT International"}, "countries": {"ML"}, "link": {"https://example.org/checklist.pdf"}, "language": {"en"}}
	pubUpload := cloneValues(pub)
	pubUpload.Set("title", "Mali – Legal Checklist, uploaded")
	pubFields := append(line("title", "publishers", "language"), hostileField{"link", lineLimit, true},
		hostileField{"countries", 0, false}, hostileField{"type", 0, false}, hostileField{"year", 0, false})
	// The assessment form is loaded afresh before each post: its base is
	// the newest revision.
	assessment := func(action string) func() (string, url.Values) {
		return func() (string, url.Values) {
			form := h.clients["researcher"].assessmentForm("mali", "age-of-consent")
			form.Set("rating", vigie.RatingPartial)
			form.Set("value", "15")
			form.Set("explanation", "The age is not the same for every act.")
			form.Set("reason", "A new law.")
			for k, v := range map[string]string{"kind": "law", "title": "Penal Code of Mali", "identifier": "Law nº 2001-079",
				"publisher": "Government of Mali", "year": "2001", "link": "https://example.org/penal-code", "articles": "Art. 1"} {
				form.Set("source_0_"+k, v)
			}
			form.Set("source_0_id", "") // typed, not picked from the library
			form.Set("action", action)
			return "/edit/countries/mali/age-of-consent", form
		}
	}
	assessmentFields := append(line("source_0_title", "source_0_identifier", "source_0_publisher", "source_0_articles"),
		hostileField{"explanation", explanationLimit, false}, hostileField{"reason", reasonLimit, false},
		hostileField{"source_0_link", lineLimit, true}, hostileField{"as_of", 0, false}, hostileField{"value", 0, false},
		hostileField{"rating", 0, false})
	sweep := func() (string, url.Values) {
		return "/edit/indicators/age-of-consent", url.Values{"country": {"ML"}, "rating": {vigie.RatingYes}, "value": {"16"},
			"as_of": {"2024"}, "reason": {"Checked."}, "base": {strconv.Itoa(latest())}, "action": {"draft"}}
	}
	indicator := url.Values{"key": {"age-of-consent"}, "name": {"Age of Consent"}, "rationale": {"Why it matters."},
		"value_kind": {"years"}, "position": {"1"}}
	rating := url.Values{"key": {vigie.RatingPartial}, "label": {"Partial"}, "meaning": {"Some of it."}, "assessed": {"on"}, "position": {"2"}}
	translation := url.Values{"name": {"Âge du consentement"}, "rationale": {"Pourquoi cela compte."}}
	users := 0
	user := func() (string, url.Values) { // a new address each time: only the payload is at fault
		users++
		return "/edit/users", url.Values{"email": {"new-" + strconv.Itoa(users) + "@example.org"}, "name": {"New Person"},
			"role": {"member"}, "countries": {"ML"}}
	}
	report := url.Values{"indicator": {"age-of-consent"}, "change": {"A new law raised the age."}, "link": {"https://example.org/law"},
		"contact": {"me@example.org"}}
	submitted := 0
	review := func() (string, url.Values) {
		submitted++
		a := vigie.Assessment{Country: "ML", Indicator: "age-of-consent", Rating: vigie.RatingNo,
			Explanation: "Submitted for review, version " + strconv.Itoa(submitted) + "."}
		rev, err := h.svc.SaveDraft(ctx, vigie.Actor{User: &ana}, a, latest(), "", true)
		if err != nil {
			h.t.Fatal(err)
		}
		return "/edit/review/mali/age-of-consent/" + strconv.Itoa(rev.Number), url.Values{"action": {"return"}, "comment": {"Cite the article."}}
	}
	revert := func() (string, url.Values) {
		return "/edit/countries/mali/age-of-consent/revert", url.Values{"to": {"1"}, "base": {strconv.Itoa(latest())}, "reason": {"Back to the first text."}}
	}
	triage := func() (string, url.Values) {
		return "/edit/reports/1", url.Values{"action": {"draft"}, "indicator": {"age-of-consent"}}
	}
	return []hostileRoute{
		{name: "news, new", user: "member", path: "/edit/news/new", form: news, fields: newsFields},
		{name: "news, edit", user: "researcher", path: "/edit/news/" + featuredSlug, form: newsEdit, fields: newsFields},
		{name: "organisation, new", user: "member", path: "/edit/organisations/new", form: org, fields: orgFields},
		{name: "organisation, edit", user: "member", path: "/edit/organisations/" + h.orgID, form: orgEdit, fields: orgFields},
		{name: "publication, new", user: "researcher", path: "/edit/publications/new", form: pub, fields: pubFields},
		{name: "publication, edit", user: "researcher", path: "/edit/publications/" + h.pubID, form: pub, fields: pubFields},
		{name: "publication with an upload", user: "researcher", path: "/edit/publications/new", form: pubUpload, fields: pubFields, multipart: true},
		{name: "assessment draft", user: "researcher", prepare: assessment("draft"), fields: assessmentFields},
		{name: "assessment submit", user: "researcher", prepare: assessment("submit"), fields: assessmentFields},
		{name: "sweep", user: "researcher", prepare: sweep,
			fields: []hostileField{{"reason", reasonLimit, false}, {"as_of", 0, false}, {"value", 0, false}, {"rating", 0, false}}},
		{name: "framework indicator", user: "admin", path: "/edit/framework/indicators", form: indicator,
			fields: append(line("name"), hostileField{"rationale", textLimit, false}, hostileField{"value_kind", 0, false})},
		{name: "framework rating", user: "admin", path: "/edit/framework/ratings", form: rating,
			fields: append(line("label"), hostileField{"meaning", textLimit, false})},
		{name: "translation", user: "researcher", path: "/edit/translations/fr/indicator/age-of-consent", form: translation,
			fields: []hostileField{{"name", textLimit, false}, {"rationale", textLimit, false}}},
		{name: "user", user: "admin", prepare: user,
			fields: append(line("name"), hostileField{"email", 0, false}, hostileField{"countries", 0, false}, hostileField{"role", 0, false})},
		{name: "public report", path: "/countries/mali/report", form: report,
			fields: []hostileField{{"change", 5000, false}, {"contact", 200, false}, {"link", lineLimit, true}, {"indicator", 0, false}}},
		{name: "report triage", user: "researcher", prepare: triage, marked: mentions, fields: []hostileField{{"indicator", 0, false}}},
		{name: "review", user: "reviewer", prepare: review, fields: []hostileField{{"comment", reasonLimit, false}}},
		{name: "revert", user: "researcher", prepare: revert, marked: mentions, fields: []hostileField{{"reason", reasonLimit, false}}},
		{name: "featured story", user: "admin", path: "/edit/featured", form: url.Values{"slug": {featuredSlug}},
			fields: []hostileField{{"slug", 0, false}}},
		{name: "disable a user", user: "admin", path: "/edit/users/disable", form: url.Values{"email": {"new-1@example.org"}},
			marked: mentions, fields: []hostileField{{"email", 0, false}}},
		{name: "sign in", path: "/login", form: url.Values{"email": {"nobody@example.org"}, "password": {"not the password"}},
			marked: refusedAlike, fields: []hostileField{{"email", lineLimit, false}, {"password", lineLimit, false}}},
		{name: "set a password", path: "/set-password", form: url.Values{"token": {"expired"}, "password": {testPassword}, "confirm": {testPassword}},
			marked: refusedAlike, fields: []hostileField{{"token", lineLimit, false}}},
	}
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

func parseHTMLString(body string) *goquery.Document {
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		panic(err) // the parser reads any string
	}
	return doc
}

// send posts form as a browser would: URL-encoded, or as multipart with an
// empty file input when the form carries an upload.
func (c *client) send(path string, form url.Values, asMultipart bool) (*http.Response, string) {
	c.t.Helper()
	if !asMultipart {
		return c.post(path, form)
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range form {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	mw.CreateFormFile("file", "")
	mw.Close()
	req := httptest.NewRequest(http.MethodPost, path, &buf)
	req.RemoteAddr = c.addr
	req.Header.Set("Content-Type", mw.FormDataContentType())
	for _, ck := range c.cookies {
		req.AddCookie(ck)
	}
	rec := httptest.NewRecorder()
	c.h.ServeHTTP(rec, req)
	b, _ := io.ReadAll(rec.Result().Body)
	return rec.Result(), string(b)
}

func TestHostileInputThroughEveryForm(t *testing.T) {
	for _, db := range testdb.Stores() {
		t.Run(db.Name, func(t *testing.T) {
			h := newHostileSite(t, db.Open(t))
			reader := h.visitor("198.51.100.60:1")
			sent := 0
			for _, rt := range h.routes() {
				c := reader
				if rt.user != "" {
					c = h.clients[rt.user]
				}
				path, form := rt.path, rt.form
				if rt.prepare != nil {
					path, form = rt.prepare()
				}
				// The untouched form saves (signing in is refused alike): the
				// payload alone is at fault. Saving it first makes every
				// later save a no-op change.
				if res, body := c.send(path, form, rt.multipart); res.StatusCode >= 400 && rt.marked == nil {
					t.Fatalf("%s: the valid form answers %d\n%s", rt.name, res.StatusCode, excerpt(body))
				}
				for _, f := range rt.fields {
					payloads := hostileTexts(f.limit)
					if f.link {
						payloads = append(payloads, hostileLinks...)
					}
					for _, p := range payloads {
						if rt.prepare != nil {
							path, form = rt.prepare()
						}
						if c == reader { // readers may send a few reports an hour, each from their address
							c.addr = "198.51.100." + strconv.Itoa(sent%250+1) + ":1"
						}
						before := storeState(t, h.st)
						form := cloneValues(form)
						form.Set(f.name, p.value)
						res, body := c.send(path, form, rt.multipart)
						sent++
						what := rt.name + ", " + f.name + ", " + p.name
						switch {
						case res.StatusCode < 400 || res.StatusCode >= 500:
							t.Errorf("%s: %d, want 4xx\n%s", what, res.StatusCode, excerpt(body))
							continue
						case !utf8.ValidString(body):
							t.Errorf("%s: the answer is not valid UTF-8", what)
						}
						if (f.name == "countries" || f.name == "country") && rt.user == "member" && res.StatusCode == http.StatusForbidden {
							// A member may write only for their own countries: a code
							// that is none of theirs is answered 403, naming it.
						} else if marked := rt.marked; marked != nil && !marked(body, f.name) || marked == nil && !fieldMarked(body, f.name) {
							t.Errorf("%s: %d, the answer does not name the field\n%s", what, res.StatusCode, excerpt(body))
						}
						if after := storeState(t, h.st); after != before {
							t.Errorf("%s: %d, and the store changed", what, res.StatusCode)
						}
					}
				}
			}
			t.Logf("%d hostile posts", sent)
		})
	}
}

// fieldMarked reports whether the form came back with the field's input
// marked invalid and an error message shown.
func fieldMarked(body, field string) bool {
	doc := parseHTMLString(body)
	return doc.Find(`[name="`+field+`"][aria-invalid="true"]`).Length() > 0 && strings.TrimSpace(doc.Find(".error").Text()) != ""
}

func excerpt(body string) string {
	if i := strings.Index(body, "<main"); i > 0 {
		body = body[i:]
	}
	if len(body) > 1500 {
		body = body[:1500] + "…"
	}
	return strings.ToValidUTF8(body, "\uFFFD")
}

// A text that looks like a formula is text: the forms store it exactly,
// the JSON download holds it exactly, and the CSV download guards it.
func TestFormulaTextIsStoredExactlyAndGuardedInCSV(t *testing.T) {
	for _, db := range testdb.Stores() {
		t.Run(db.Name, func(t *testing.T) {
			h := newHostileSite(t, db.Open(t))
			form := url.Values{"country": {"ML"}, "name": {formula}, "acronym": {formula}, "office_city": {formula},
				"contacts": {"1"}, "contact_0_name": {"Awa Traoré"}, "contact_0_title": {formula}}
			if res, body := h.clients["member"].post("/edit/organisations/new", form); res.StatusCode != http.StatusSeeOther {
				t.Fatalf("organisation: %d\n%s", res.StatusCode, excerpt(body))
			}
			news := url.Values{"title": {formula}, "slug": {"formula"}, "summary": {formula}, "countries": {"ML"}, "action": {"save"}}
			if res, body := h.clients["member"].post("/edit/news/new", news); res.StatusCode != http.StatusSeeOther {
				t.Fatalf("news: %d\n%s", res.StatusCode, excerpt(body))
			}
			ctx := context.Background()
			orgs, err := h.st.Organisations(ctx, vigie.OrganisationFilter{Country: "ML"})
			if err != nil {
				t.Fatal(err)
			}
			var stored *vigie.Organisation
			for i := range orgs {
				if orgs[i].Name == formula {
					stored = &orgs[i]
				}
			}
			if stored == nil || stored.Acronym != formula || stored.OfficeCity != formula || len(stored.Contacts) != 1 || stored.Contacts[0].Title != formula {
				t.Fatalf("stored %+v, want the formula text exactly", stored)
			}
			n, err := h.st.NewsItem(ctx, "formula")
			if err != nil || n.Title != formula || n.Summary != formula {
				t.Fatalf("stored news %+v, %v", n, err)
			}

			reader := h.visitor("198.51.100.61:1")
			res, body := reader.get("/data/vigie.json")
			if res.StatusCode != http.StatusOK || !strings.Contains(body, strconv.Quote(formula)[1:len(strconv.Quote(formula))-1]) {
				t.Errorf("JSON download: %d, the formula is not held exactly", res.StatusCode)
			}
			res, body = reader.get("/data/vigie.csv.zip")
			if res.StatusCode != http.StatusOK {
				t.Fatalf("CSV download: %d", res.StatusCode)
			}
			cells := csvCells(t, []byte(body))
			for _, want := range []string{"organisations.csv", "contacts.csv", "news.csv"} {
				if cells[want]["'"+formula] == 0 {
					t.Errorf("%s: no guarded cell %q", want, "'"+formula)
				}
				if cells[want][formula] != 0 {
					t.Errorf("%s: %d cells hold the formula unguarded", want, cells[want][formula])
				}
			}
		})
	}
}

// csvCells counts the cells of each CSV file of a data package.
func csvCells(t *testing.T, zipped []byte) map[string]map[string]int {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(zipped), int64(len(zipped)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]int{}
	for _, f := range zr.File {
		if !strings.HasSuffix(f.Name, ".csv") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(rc).ReadAll()
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		name := f.Name[strings.LastIndex(f.Name, "/")+1:]
		out[name] = map[string]int{}
		for _, row := range rows {
			for _, cell := range row {
				out[name][cell]++
			}
		}
	}
	return out
}

// Paths with bytes no record's key can hold find nothing: 404 or 400 on
// both stores, never a 500.
func TestHostileBytesInPathsAreNotFound(t *testing.T) {
	for _, db := range testdb.Stores() {
		t.Run(db.Name, func(t *testing.T) {
			h := newHostileSite(t, db.Open(t))
			h.srv.WithPageCache(time.Minute)
			for _, who := range []string{"", "admin"} {
				c := h.visitor("198.51.100.62:1")
				if who != "" {
					c = h.clients[who]
				}
				for _, bad := range []string{"%FF", "%00", "a%00b", "%C0%AF", "%ED%A0%80", "%1B"} {
					for _, path := range []string{"/news/", "/organisations/", "/publications/", "/countries/", "/indicators/",
						"/countries/mali/", "/countries/mali/%s/history", "/countries/%s/age-of-consent/history", "/countries/%s/report",
						"/countries/%s/news.atom", "/embed/countries/", "/embed/indicators/", "/og/countries/", "/og/indicators/",
						"/data/editions/", "/data/", "/files/", "/indicators/%s/progress.csv", "/fr/news/", "/es/organisations/",
						"/edit/news/", "/edit/organisations/", "/edit/publications/", "/edit/countries/mali/", "/edit/countries/%s/age-of-consent",
						"/edit/indicators/", "/edit/translations/fr/news/", "/edit/translations/fr/organisation/", "/edit/translations/%s/news/x",
						"/search?q=", "/news?country=", "/publications?country=", "/organisations?country=", "/compare?countries=",
						"/changes?since=", "/countries/mali?as_of=", "/news?page="} {
						target := path + bad
						if strings.Contains(path, "%s") {
							target = strings.ReplaceAll(path, "%s", bad)
						}
						res, body := c.get(target)
						if res.StatusCode >= 500 || !utf8.ValidString(body) {
							t.Errorf("GET %s (%s): %d, valid UTF-8: %v", target, cmp.Or(who, "reader"), res.StatusCode, utf8.ValidString(body))
						}
						if !strings.Contains(path, "?") && res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusBadRequest &&
							res.StatusCode != http.StatusMovedPermanently && res.StatusCode != http.StatusSeeOther {
							t.Errorf("GET %s (%s): %d, want 404 or 400", target, cmp.Or(who, "reader"), res.StatusCode)
						}
					}
				}
			}
		})
	}
}

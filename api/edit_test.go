package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	vigie "github.com/vigie-network/vigie"
)

// editable GETs an assessment as a generic document, the way a script
// would before editing it.
func (a *testAPI) editable(t testing.TB, country, indicator string) map[string]any {
	t.Helper()
	var doc map[string]any
	a.getJSON(t, "/api/v1/assessments/"+country+"/"+indicator, &doc)
	return doc
}

func (a *testAPI) etag(t testing.TB, country, indicator string) string {
	t.Helper()
	res, _ := a.get(t, "/api/v1/assessments/"+country+"/"+indicator)
	return res.Header.Get("ETag")
}

// put sends doc with If-Match etag ("" for none) and role's token ("" for none).
func (a *testAPI) put(t testing.TB, country, indicator string, doc any, etag, role string, query ...string) (*http.Response, []byte) {
	t.Helper()
	auth := ""
	if role != "" {
		auth = a.bearer(role)
	}
	path := "/api/v1/assessments/" + country + "/" + indicator + strings.Join(query, "")
	return a.do(t, http.MethodPut, path, doc, "If-Match", etag, "Authorization", auth)
}

func (a *testAPI) publish(t testing.TB, country, indicator string, number int, role string, header ...string) (*http.Response, []byte) {
	t.Helper()
	return a.do(t, http.MethodPost, "/api/v1/assessments/"+country+"/"+indicator+"/publish",
		map[string]any{"revision": number, "comment": "checked against the gazette"}, append([]string{"Authorization", a.bearer(role)}, header...)...)
}

func TestPutSavesADraft(t *testing.T) {
	a := newTestAPI(t)
	const ind = "extraterritoriality-extradition"
	doc := a.editable(t, "ML", ind)
	etag := a.etag(t, "ML", ind)
	doc["rating"] = "yes"
	doc["as_of"] = "2023-07"
	doc["revision"] = 99                           // read-only: ignored
	doc["country_names"] = map[string]any{"en": 1} // read-only: ignored
	doc["reason"] = "new law on extradition"
	res, body := a.put(t, "ml", ind, doc, etag, "researcher")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("PUT: %d %s", res.StatusCode, body)
	}
	var rev revisionJSON
	decode(t, body, &rev)
	if rev.Number != 2 || rev.State != "draft" || rev.Editorial == nil || rev.Base != 1 || rev.Author != "Ana Researcher" ||
		rev.Reason != "new law on extradition" || rev.Assessment.Rating != "yes" || *rev.Assessment.AsOf != "2023-07" ||
		len(rev.Assessment.Sources) != 3 || rev.PublishedAt != nil {
		t.Errorf("revision = %+v %+v", rev, rev.Editorial)
	}
	if res.Header.Get("ETag") != `"r2-p1"` || res.Header.Get("Location") != "/api/v1/assessments/ML/"+ind+"/revisions/2" {
		t.Errorf("ETag %q, Location %q", res.Header.Get("ETag"), res.Header.Get("Location"))
	}
	// A draft is not public.
	var pub assessmentJSON
	res = a.getJSON(t, "/api/v1/assessments/ML/"+ind, &pub)
	if pub.Rating != "partial" || pub.Revision != 1 || res.Header.Get("ETag") != `"r1"` {
		t.Errorf("after a draft, GET shows %s at revision %d, ETag %s", pub.Rating, pub.Revision, res.Header.Get("ETag"))
	}
	if res = a.getJSON(t, "/api/v1/assessments/ML/"+ind, &pub, "Authorization", a.bearer("researcher")); res.Header.Get("ETag") != `"r2-p1"` {
		t.Errorf("after a draft, an editor's GET has ETag %s", res.Header.Get("ETag"))
	}

	// Submitting: ?submit=1 or "submit": true.
	res, body = a.put(t, "ML", ind, doc, `"r2-p1"`, "researcher", "?submit=1")
	decode(t, body, &rev)
	if res.StatusCode != http.StatusOK || rev.Number != 3 || rev.State != "submitted" {
		t.Errorf("?submit=1: %d %+v", res.StatusCode, rev)
	}
	doc["submit"] = true
	res, body = a.put(t, "ML", ind, doc, res.Header.Get("ETag"), "admin")
	decode(t, body, &rev)
	if res.StatusCode != http.StatusOK || rev.Number != 4 || rev.State != "submitted" || rev.Author != "Ada Admin" {
		t.Errorf(`"submit": true: %d %+v`, res.StatusCode, rev)
	}
	// Every write is in the audit log, attributed.
	log, err := a.svc.Store.AuditLog(ctx, vigie.AuditFilter{Limit: 3})
	if err != nil || len(log) != 3 || log[0].Actor != "Ada Admin" || log[0].Target != "ML/"+ind+"#4" || log[2].Action != "assessment.draft" {
		t.Errorf("audit log = %+v, %v", log, err)
	}
}

func TestPutPreconditions(t *testing.T) {
	a := newTestAPI(t)
	const ind = "age-of-consent"
	doc := a.editable(t, "ML", ind)
	doc["value"] = 16

	res, body := a.put(t, "ML", ind, doc, "", "researcher")
	expectProblem(t, res, body, http.StatusPreconditionRequired, "If-Match")
	res, body = a.put(t, "ML", ind, doc, "*", "researcher")
	expectProblem(t, res, body, http.StatusPreconditionRequired, "If-Match")
	for _, stale := range []string{`"r0"`, `W/"r1"`, `"r2"`, "r1"} {
		res, body = a.put(t, "ML", ind, doc, stale, "researcher")
		expectProblem(t, res, body, http.StatusPreconditionFailed, "If-Match")
	}
	if n := revisionCount(t, a.svc, "ML", ind); n != 1 {
		t.Fatalf("refused PUTs wrote: %d revisions", n)
	}
	// A list of tags matches if one does.
	res, body = a.put(t, "ML", ind, doc, `"r0", "r1"`, "researcher")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("PUT with a list of tags: %d %s", res.StatusCode, body)
	}
	// The tag of the first read is now stale.
	res, body = a.put(t, "ML", ind, doc, `"r1"`, "researcher")
	p := expectProblem(t, res, body, http.StatusPreconditionFailed, "If-Match")
	if !strings.Contains(p.Detail, `"r2-p1"`) {
		t.Errorf("the 412 does not give the current tag: %q", p.Detail)
	}
	if n := revisionCount(t, a.svc, "ML", ind); n != 2 {
		t.Errorf("got %d revisions, want 2", n)
	}
}

// TestConcurrentPuts sends 20 PUTs carrying the same ETag at once: one
// wins, 19 are told that someone saved first, and one revision is written.
func TestConcurrentPuts(t *testing.T) {
	a := newTestAPI(t)
	const ind = "sec-police-unit"
	doc := a.editable(t, "SN", ind)
	etag := a.etag(t, "SN", ind)
	const writers = 20
	statuses := make(chan int, writers)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range writers {
		wg.Go(func() {
			d := map[string]any{}
			for k, v := range doc {
				d[k] = v
			}
			d["rating"] = "partial"
			d["explanation"] = fmt.Sprintf("Writer %d's analysis.", i)
			<-start
			res, _ := a.put(t, "SN", ind, d, etag, "researcher")
			statuses <- res.StatusCode
		})
	}
	close(start)
	wg.Wait()
	close(statuses)
	count := map[int]int{}
	for s := range statuses {
		count[s]++
	}
	if count[http.StatusOK] != 1 || count[http.StatusPreconditionFailed] != writers-1 {
		t.Errorf("statuses = %v, want one 200 and %d × 412", count, writers-1)
	}
	if n := revisionCount(t, a.svc, "SN", ind); n != 1 {
		t.Errorf("got %d revisions, want exactly 1", n)
	}
}

func TestPutAuthorization(t *testing.T) {
	a := newTestAPI(t)
	const ind = "background-check"
	doc := a.editable(t, "SN", ind)
	etag := a.etag(t, "SN", ind)

	res, body := a.put(t, "SN", ind, doc, etag, "")
	expectProblem(t, res, body, http.StatusUnauthorized, "")
	if got := res.Header.Get("WWW-Authenticate"); got != `Bearer realm="vigie"` {
		t.Errorf("WWW-Authenticate = %q", got)
	}
	for _, auth := range []string{"Bearer not-a-token", "Basic YTpi", "Bearer "} {
		res, body = a.do(t, http.MethodPut, "/api/v1/assessments/SN/"+ind, doc, "If-Match", etag, "Authorization", auth)
		expectProblem(t, res, body, http.StatusUnauthorized, "")
		if got := res.Header.Get("WWW-Authenticate"); !strings.HasPrefix(got, "Bearer") || !strings.Contains(got, "invalid_token") {
			t.Errorf("%q: WWW-Authenticate = %q", auth, got)
		}
	}
	// A member speaks for Mali, and writes no assessments at all; a
	// reviewer reviews, and does not write either.
	res, body = a.put(t, "SN", ind, doc, etag, "member")
	expectProblem(t, res, body, http.StatusForbidden, "")
	res, body = a.put(t, "SN", ind, doc, etag, "reviewer")
	expectProblem(t, res, body, http.StatusForbidden, "")
	// Not for their own country either, nor by publishing (issue 13's role
	// × record table); a document cannot move an assessment to another
	// country (TestPutInvalidDocuments).
	res, body = a.put(t, "ML", ind, a.editable(t, "ML", ind), a.etag(t, "ML", ind), "member")
	expectProblem(t, res, body, http.StatusForbidden, "")
	res, body = a.publish(t, "SN", "csam-definition", 1, "member")
	expectProblem(t, res, body, http.StatusForbidden, "")
	if n := revisionCount(t, a.svc, "ML", ind); n != 0 {
		t.Errorf("a member's PUT on Mali wrote %d revisions", n)
	}
	// A disabled user's token stops working.
	if err := a.svc.DisableUser(ctx, vigie.CommandLine("test"), "ana@example.org"); err != nil {
		t.Fatal(err)
	}
	res, body = a.put(t, "SN", ind, doc, etag, "researcher")
	expectProblem(t, res, body, http.StatusUnauthorized, "")
	if n := revisionCount(t, a.svc, "SN", ind); n != 0 {
		t.Errorf("refused PUTs wrote %d revisions", n)
	}
}

func TestPutInvalidDocuments(t *testing.T) {
	a := newTestAPI(t)
	const ind = "age-of-consent"
	etag := a.etag(t, "ML", ind)
	edit := func(f func(map[string]any)) map[string]any {
		doc := a.editable(t, "ML", ind)
		f(doc)
		return doc
	}
	for _, tt := range []struct {
		name  string
		doc   any
		field string
	}{
		{"unknown rating", edit(func(d map[string]any) { d["rating"] = "maybe" }), "rating"},
		{"bad as_of", edit(func(d map[string]any) { d["as_of"] = "2021-13" }), "as_of"},
		{"impossible day", edit(func(d map[string]any) { d["as_of"] = "2021-02-30" }), "as_of"},
		{"value of the wrong type", edit(func(d map[string]any) { d["value"] = "sixteen" }), "value"},
		{"fractional value", edit(func(d map[string]any) { d["value"] = 15.5 }), "value"},
		{"implausible age", edit(func(d map[string]any) { d["value"] = 99 }), "value"},
		{"rating of the wrong type", edit(func(d map[string]any) { d["rating"] = 3 }), "rating"},
		{"unknown field", edit(func(d map[string]any) { d["ratng"] = "yes" }), "ratng"},
		{"missing field", edit(func(d map[string]any) { delete(d, "sources") }), "sources"},
		{"another country", edit(func(d map[string]any) { d["country"] = "SN" }), "country"},
		{"another indicator", edit(func(d map[string]any) { d["indicator"] = "csam-definition" }), "indicator"},
		{"source without title", edit(func(d map[string]any) { d["sources"] = []any{map[string]any{"kind": "law", "title": " "}} }), "sources[0].title"},
		{"source year of the wrong type", edit(func(d map[string]any) {
			d["sources"] = []any{map[string]any{"kind": "law", "title": "Penal Code", "year": "2001"}}
		}), "sources[0].year"},
		{"source of an unknown kind", edit(func(d map[string]any) { d["sources"] = []any{map[string]any{"kind": "treaty", "title": "X"}} }), "sources[0].kind"},
		{"unknown source field", edit(func(d map[string]any) { d["sources"] = []any{map[string]any{"kind": "law", "title": "X", "url": "y"}} }), "sources[0].url"},
		{"status before the year", edit(func(d map[string]any) {
			d["sources"] = []any{map[string]any{"kind": "law", "title": "X", "year": 2010, "status_as_of": 2001}}
		}), "sources[0].status_as_of"},
		{"submit of the wrong type", edit(func(d map[string]any) { d["submit"] = "yes" }), "submit"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res, body := a.put(t, "ML", ind, tt.doc, etag, "researcher")
			expectProblem(t, res, body, http.StatusUnprocessableEntity, tt.field)
		})
	}
	for _, tt := range []struct {
		name   string
		body   string
		status int
	}{
		{"malformed JSON", `{"rating": "yes",`, http.StatusBadRequest},
		{"not an object", `["yes"]`, http.StatusBadRequest},
		{"two documents", `{} {}`, http.StatusBadRequest},
		{"empty", ``, http.StatusBadRequest},
		{"too large", `{"explanation": "` + strings.Repeat("x", maxBody) + `"}`, http.StatusRequestEntityTooLarge},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res, body := a.do(t, http.MethodPut, "/api/v1/assessments/ML/"+ind, tt.body, "If-Match", etag, "Authorization", a.bearer("researcher"))
			expectProblem(t, res, body, tt.status, "")
		})
	}
	res, body := a.do(t, http.MethodPut, "/api/v1/assessments/ML/"+ind, "rating=yes", "If-Match", etag,
		"Authorization", a.bearer("researcher"), "Content-Type", "application/x-www-form-urlencoded")
	expectProblem(t, res, body, http.StatusUnsupportedMediaType, "Content-Type")
	res, body = a.put(t, "ML", ind, edit(func(map[string]any) {}), etag, "researcher", "?submit=maybe")
	expectProblem(t, res, body, http.StatusBadRequest, "submit")
	res, body = a.put(t, "ML", "weather", edit(func(map[string]any) {}), etag, "researcher")
	expectProblem(t, res, body, http.StatusNotFound, "indicator")

	if n := revisionCount(t, a.svc, "ML", ind); n != 1 {
		t.Errorf("invalid documents wrote: %d revisions", n)
	}
}

func TestPublish(t *testing.T) {
	a := newTestAPI(t)
	const ind = "national-commitments"
	doc := a.editable(t, "ML", ind)
	doc["rating"] = "partial"
	doc["explanation"] = "A national plan exists; its budget is not public."
	doc["submit"] = true
	res, body := a.put(t, "ML", ind, doc, a.etag(t, "ML", ind), "researcher")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("submit: %d %s", res.StatusCode, body)
	}

	res, body = a.do(t, http.MethodPost, "/api/v1/assessments/ML/"+ind+"/publish", `{"revision": 1}`)
	expectProblem(t, res, body, http.StatusUnauthorized, "")
	res, body = a.publish(t, "QQ", ind, 1, "reviewer")
	expectProblem(t, res, body, http.StatusNotFound, "country")
	res, body = a.do(t, http.MethodPost, "/api/v1/assessments/ML/"+ind+"/publish", `{"revision": 1`, "Authorization", a.bearer("reviewer"))
	expectProblem(t, res, body, http.StatusBadRequest, "")
	res, body = a.do(t, http.MethodPost, "/api/v1/assessments/ML/"+ind+"/publish", `revision=1`, "Authorization", a.bearer("reviewer"),
		"Content-Type", "text/plain")
	expectProblem(t, res, body, http.StatusUnsupportedMediaType, "Content-Type")

	// Only reviewers publish.
	res, body = a.publish(t, "ML", ind, 1, "researcher")
	expectProblem(t, res, body, http.StatusForbidden, "")
	res, body = a.publish(t, "ML", ind, 7, "reviewer")
	expectProblem(t, res, body, http.StatusUnprocessableEntity, "revision")
	res, body = a.publish(t, "ML", ind, 1, "reviewer", "If-Match", `"r0"`)
	expectProblem(t, res, body, http.StatusPreconditionFailed, "If-Match")
	res, body = a.do(t, http.MethodPost, "/api/v1/assessments/ML/"+ind+"/publish", `{"revision": "one"}`, "Authorization", a.bearer("reviewer"))
	expectProblem(t, res, body, http.StatusUnprocessableEntity, "revision")

	res, body = a.publish(t, "ML", ind, 1, "reviewer", "If-Match", `"r1-p0"`)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("publish: %d %s", res.StatusCode, body)
	}
	var rev revisionJSON
	decode(t, body, &rev)
	if rev.State != "published" || rev.PublishedAt == nil || rev.Reviewer != "Rui Reviewer" || rev.ReviewComment != "checked against the gazette" {
		t.Errorf("published revision = %+v %+v", rev, rev.Editorial)
	}
	if res.Header.Get("ETag") != `"r1"` {
		t.Errorf("ETag after publishing = %q", res.Header.Get("ETag"))
	}
	var pub assessmentJSON
	a.getJSON(t, "/api/v1/assessments/ML/"+ind, &pub)
	if pub.Rating != "partial" || pub.Revision != 1 {
		t.Errorf("published assessment = %+v", pub)
	}
	// Published already: nothing to review.
	res, body = a.publish(t, "ML", ind, 1, "reviewer")
	expectProblem(t, res, body, http.StatusConflict, "")

	// Nobody publishes their own revision, admins included.
	doc = a.editable(t, "ML", ind)
	doc["submit"] = true
	doc["explanation"] = "The plan's budget was published."
	res, body = a.put(t, "ML", ind, doc, `"r1"`, "admin")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("admin submits: %d %s", res.StatusCode, body)
	}
	res, body = a.publish(t, "ML", ind, 2, "admin")
	if p := expectProblem(t, res, body, http.StatusForbidden, ""); !strings.Contains(p.Detail, "you wrote revision 2") {
		t.Errorf("own revision: %q", p.Detail)
	}
	// A draft is not waiting for review.
	delete(doc, "submit")
	res, _ = a.put(t, "ML", ind, doc, `"r2-p1"`, "researcher")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("draft: %d", res.StatusCode)
	}
	res, body = a.publish(t, "ML", ind, 3, "reviewer")
	expectProblem(t, res, body, http.StatusConflict, "")
}

func TestRevisions(t *testing.T) {
	a := newTestAPI(t)
	const ind = "child-advocacy-centers"
	doc := a.editable(t, "ML", ind)
	doc["rating"], doc["submit"], doc["reason"] = "no", true, "first look"
	if res, body := a.put(t, "ML", ind, doc, `"r0"`, "researcher"); res.StatusCode != http.StatusOK {
		t.Fatalf("submit: %d %s", res.StatusCode, body)
	}
	if res, body := a.publish(t, "ML", ind, 1, "reviewer"); res.StatusCode != http.StatusOK {
		t.Fatalf("publish: %d %s", res.StatusCode, body)
	}
	doc["rating"], doc["reason"] = "partial", "a centre opened in Bamako"
	delete(doc, "submit")
	if res, body := a.put(t, "ML", ind, doc, `"r1"`, "researcher"); res.StatusCode != http.StatusOK {
		t.Fatalf("draft: %d %s", res.StatusCode, body)
	}
	path := "/api/v1/assessments/ML/" + ind + "/revisions"

	// The public sees the published revision, without authors or reasons.
	var pg page[revisionJSON]
	res := a.getJSON(t, path, &pg)
	if len(pg.Items) != 1 || pg.Items[0].Number != 1 || pg.Items[0].Editorial != nil || pg.Items[0].Assessment.Rating != "no" {
		t.Errorf("public history = %+v", pg.Items)
	}
	var raw map[string][]map[string]any
	_, body := a.get(t, path)
	decode(t, body, &raw)
	if _, ok := raw["items"][0]["author"]; ok || !strings.Contains(res.Header.Get("Vary"), "Authorization") {
		t.Errorf("public revision shows its author: %v; Vary %q", raw["items"][0], res.Header.Get("Vary"))
	}
	publicTag := res.Header.Get("ETag")
	// Editors see every state, newest first.
	res = a.getJSON(t, path, &pg, "Authorization", a.bearer("reviewer"))
	if len(pg.Items) != 2 || pg.Items[0].State != "draft" || pg.Items[0].Author != "Ana Researcher" || pg.Items[0].Reason != "a centre opened in Bamako" ||
		pg.Items[1].Reviewer != "Rui Reviewer" {
		t.Errorf("editors' history = %+v", pg.Items)
	}
	if res.Header.Get("ETag") == publicTag || res.Header.Get("Cache-Control") != "private, no-cache" {
		t.Errorf("the editors' view shares the public ETag %q or is cacheable: %q", publicTag, res.Header.Get("Cache-Control"))
	}
	// Members do not see drafts.
	a.getJSON(t, path, &pg, "Authorization", a.bearer("member"))
	if len(pg.Items) != 1 {
		t.Errorf("a member sees %d revisions", len(pg.Items))
	}
	res, body = a.get(t, path, "Authorization", "Bearer forged")
	expectProblem(t, res, body, http.StatusUnauthorized, "")
	res, body = a.get(t, path+"/1", "Authorization", "Bearer forged")
	expectProblem(t, res, body, http.StatusUnauthorized, "")
	res, body = a.get(t, "/api/v1/assessments/ML/weather/revisions")
	expectProblem(t, res, body, http.StatusNotFound, "indicator")

	var rev revisionJSON
	a.getJSON(t, path+"/1", &rev)
	if rev.State != "published" || rev.Assessment.Revision != 1 {
		t.Errorf("revision 1 = %+v", rev)
	}
	res, body = a.get(t, path+"/2")
	expectProblem(t, res, body, http.StatusNotFound, "")
	a.getJSON(t, path+"/2", &rev, "Authorization", a.bearer("researcher"))
	if rev.State != "draft" || rev.Assessment.Rating != "partial" || rev.Base != 1 {
		t.Errorf("draft revision 2 = %+v", rev)
	}
	for _, n := range []string{"0", "x", "3"} {
		res, body = a.get(t, path+"/"+n, "Authorization", a.bearer("researcher"))
		expectProblem(t, res, body, http.StatusNotFound, "")
	}
	// Pages, newest first.
	a.getJSON(t, path+"?limit=1", &pg, "Authorization", a.bearer("researcher"))
	if len(pg.Items) != 1 || pg.Items[0].Number != 2 || pg.Next == nil {
		t.Fatalf("first page = %+v", pg)
	}
	a.getJSON(t, *pg.Next, &pg, "Authorization", a.bearer("researcher"))
	if len(pg.Items) != 1 || pg.Items[0].Number != 1 || pg.Next != nil {
		t.Errorf("second page = %+v", pg)
	}
}

// The document GET returns goes back through PUT unchanged in meaning.
func TestRoundTripOfTheDocument(t *testing.T) {
	a := newTestAPI(t)
	const ind = "extraterritoriality-extradition"
	_, before := a.get(t, "/api/v1/assessments/ML/"+ind)
	res, body := a.put(t, "ML", ind, json.RawMessage(before), `"r1"`, "researcher")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("PUT of the GET document: %d %s", res.StatusCode, body)
	}
	rev, err := a.svc.Store.Revision(ctx, "ML", ind, 2)
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := a.svc.Store.Assessment(ctx, "ML", ind)
	if !rev.Content.SameContent(pub) {
		t.Errorf("the round trip changed the content:\n%+v\n%+v", rev.Content, pub)
	}
}

package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	vigie "github.com/vigie-network/vigie"
	"golang.org/x/net/html"
)

// The payloads an attacker types into every text field of the forms.
const xssJS = `javascript:alert(1)`

var xssPayloads = xssScript + " " + xssAttr + " " + xssJS

// assertInert fails when body could run script.
func assertInert(t *testing.T, where, body string) {
	t.Helper()
	for _, p := range inertProblems(t, body) {
		t.Errorf("%s: %s", where, p)
	}
}

// inertProblems lists what in body could run script: the raw payload, a
// script element, an event-handler attribute, a javascript: address, or
// the payload's image as an element.
func inertProblems(t *testing.T, body string) []string {
	var out []string
	for _, raw := range []string{xssScript, "<img src=x", `<img src="x"`} {
		if strings.Contains(body, raw) {
			out = append(out, fmt.Sprintf("the raw payload %q is in the page", raw))
		}
	}
	doc := parseHTML(t, body)
	if n := doc.Find("script").Length(); n != 0 {
		out = append(out, fmt.Sprintf("%d script elements", n))
	}
	doc.Find("*").Each(func(_ int, sel *goquery.Selection) {
		n := sel.Nodes[0]
		for _, a := range n.Attr {
			key, val := strings.ToLower(a.Key), strings.ToLower(strings.TrimSpace(a.Val))
			if strings.HasPrefix(key, "on") ||
				(key == "href" || key == "src" || key == "action" || key == "formaction") && strings.HasPrefix(val, "javascript:") {
				out = append(out, fmt.Sprintf("<%s %s=%q>", n.Data, a.Key, a.Val))
			}
		}
		if n.Type == html.ElementNode && sel.Is("img[src=x]") {
			out = append(out, "the payload's image is an element")
		}
	})
	return out
}

func TestInertProblemsCatchesLivePayloads(t *testing.T) {
	for _, live := range []string{
		"<p>" + xssScript + "</p>",
		`<p title=""><img src=x onerror=alert(1)></p>`,
		`<a href=" JavaScript:alert(1)">x</a>`,
		`<form action="javascript:alert(1)"></form>`,
		`<div onclick="x()">y</div>`,
	} {
		if len(inertProblems(t, live)) == 0 {
			t.Errorf("not caught: %s", live)
		}
	}
	if p := inertProblems(t, `<p>&lt;script&gt;alert(1)&lt;/script&gt; &#34;&gt;&lt;img src=x onerror=alert(1)&gt; javascript:alert(1)</p>`); len(p) != 0 {
		t.Errorf("escaped text flagged: %q", p)
	}
}

func TestXSSPayloadsThroughEveryFormAreInert(t *testing.T) {
	e := newEditorsSite(t)
	e.addUser("boss@example.org", vigie.RoleAdmin)
	e.addUser("ana@example.org", vigie.RoleResearcher)
	e.addUser("rui@example.org", vigie.RoleReviewer)
	e.addUser("mo@example.org", vigie.RoleMember, "ML")
	boss, ana, rui, mo := e.login("boss@example.org"), e.login("ana@example.org"), e.login("rui@example.org"), e.login("mo@example.org")
	reader := e.visitor("198.51.100.77:1")
	check := func(c *client, path string) {
		t.Helper()
		res, body := c.get(path)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", path, res.StatusCode)
		}
		assertInert(t, path, body)
	}
	mustPost := func(c *client, path string, form url.Values, status int) string {
		t.Helper()
		res, body := c.post(path, form)
		if res.StatusCode != status {
			t.Fatalf("POST %s: %d, want %d\n%s", path, res.StatusCode, status, body)
		}
		assertInert(t, "POST "+path, body)
		return body
	}
	edit := "/edit/countries/mali/age-of-consent"

	// The assessment form: explanation, reason and a new source.
	form := ana.assessmentForm("mali", "age-of-consent")
	form.Set("rating", vigie.RatingPartial)
	form.Set("explanation", xssPayloads+"\n\n"+xssMarkdown)
	form.Set("reason", xssPayloads)
	form.Set("source_0_title", xssPayloads+" law")
	form.Set("source_0_identifier", xssAttr)
	form.Set("source_0_publisher", xssScript)
	form.Set("source_0_articles", xssAttr)
	form.Set("source_0_link", xssJS)
	form.Set("action", "preview")
	mustPost(ana, edit, form, http.StatusOK)
	form.Set("action", "submit")
	mustPost(ana, edit, form, http.StatusBadRequest) // the link is refused, the page is inert
	form.Set("source_0_link", "")
	mustPost(ana, edit, form, http.StatusSeeOther)
	check(ana, "/edit/review")
	// Returned with a hostile comment, submitted again, then published.
	mustPost(rui, "/edit/review/mali/age-of-consent/1", url.Values{"action": {"return"}, "comment": {xssPayloads}}, http.StatusSeeOther)
	check(ana, "/edit")
	check(ana, edit)
	form = ana.assessmentForm("mali", "age-of-consent")
	form.Set("action", "submit")
	mustPost(ana, edit, form, http.StatusSeeOther)
	mustPost(rui, "/edit/review/mali/age-of-consent/2", url.Values{"action": {"publish"}, "comment": {xssPayloads}}, http.StatusSeeOther)
	// A stale save shows the hostile revision in the conflict box.
	stale := ana.assessmentForm("mali", "age-of-consent")
	stale.Set("base", "1")
	stale.Set("explanation", xssPayloads+" mine")
	stale.Set("action", "draft")
	mustPost(ana, edit, stale, http.StatusConflict)
	form = ana.assessmentForm("mali", "age-of-consent")
	form.Set("explanation", "A later draft. "+xssPayloads)
	form.Set("reason", xssAttr)
	form.Set("action", "draft")
	mustPost(ana, edit, form, http.StatusSeeOther)

	// The organisation form, every field.
	org := formValues(mo.page("/edit/organisations/new?country=ML", http.StatusOK), "form.form")
	for _, f := range []string{"name", "acronym", "description", "office_city", "regions", "areas_of_work",
		"contact_0_name", "contact_0_title", "contact_0_address"} {
		org.Set(f, xssPayloads)
	}
	org.Set("website", xssJS)
	mustPost(mo, "/edit/organisations/new", org, http.StatusBadRequest)
	org.Set("website", "")
	mustPost(mo, "/edit/organisations/new", org, http.StatusSeeOther)
	orgs, _ := e.st.Organisations(context.Background(), vigie.OrganisationFilter{Country: "ML"})
	for _, o := range orgs {
		check(mo, "/edit/organisations/"+strconv.FormatInt(o.ID, 10))
	}

	// News and the featured story.
	news := formValues(mo.page("/edit/news/new", http.StatusOK), "form.form")
	news.Set("title", xssPayloads)
	news.Set("summary", xssPayloads)
	news.Set("body", xssMarkdown)
	news.Set("action", "preview")
	mustPost(mo, "/edit/news/new", news, http.StatusOK)
	news.Set("action", "save")
	mustPost(mo, "/edit/news/new", news, http.StatusSeeOther)
	slug := vigie.Slugify(xssPayloads)
	mustPost(boss, "/edit/featured", url.Values{"slug": {slug}}, http.StatusSeeOther)
	check(boss, "/edit/featured")
	check(mo, "/edit/news/"+slug)

	// A publication whose link is javascript: is refused (links are web
	// or mail addresses only); the other payloads are stored as text.
	pub := url.Values{"title": {xssPayloads}, "type": {vigie.PubResearch}, "year": {"2021"}, "publishers": {xssAttr},
		"countries": {"ML"}, "link": {xssJS}, "language": {xssScript}}
	mustPost(boss, "/edit/publications/new", pub, http.StatusBadRequest)
	pub.Set("link", "https://example.org/report?q="+xssAttr)
	mustPost(boss, "/edit/publications/new", pub, http.StatusSeeOther)
	check(boss, "/edit/publications")

	// A reader's report.
	report := url.Values{"change": {xssPayloads}, "contact": {xssPayloads}, "link": {xssJS}, "indicator": {"age-of-consent"}}
	mustPost(reader, "/countries/mali/report", report, http.StatusBadRequest)
	report.Set("link", "")
	mustPost(reader, "/countries/mali/report", report, http.StatusSeeOther)

	// A user's name.
	mustPost(boss, "/edit/users", url.Values{"email": {"x@example.org"}, "name": {xssPayloads}, "role": {"reviewer"}}, http.StatusOK)

	for _, path := range []string{"/", "/countries/mali", "/countries/mali/age-of-consent/history", "/news/" + slug,
		"/indicators/age-of-consent", "/countries/mali/report"} {
		check(reader, path)
	}
	for _, path := range []string{"/countries/mali/age-of-consent/history", "/edit", "/edit/review", "/edit/reports",
		"/edit/reports?state=all", edit, "/edit/indicators/age-of-consent"} {
		check(ana, path)
	}
	for _, path := range []string{"/edit/audit", "/edit/users", "/edit/organisations", "/edit/news"} {
		check(boss, path)
	}

	// The payloads are there, as text: stored as typed, shown escaped.
	doc := reader.page("/countries/mali", http.StatusOK)
	if !strings.Contains(textOf(doc.Find("#organisations")), xssScript) {
		t.Error("the organisation's name is not shown as text")
	}
	if !strings.Contains(textOf(doc.Find("#age-of-consent .sources")), xssScript+" "+xssAttr) {
		t.Errorf("the source title is not shown as text: %q", textOf(doc.Find("#age-of-consent .sources")))
	}
	doc = ana.page("/edit/reports", http.StatusOK)
	if !strings.Contains(textOf(doc.Find(".report-text")), xssScript) {
		t.Error("the report is not shown as text")
	}
	doc = boss.page("/edit/audit", http.StatusOK)
	if !strings.Contains(textOf(doc.Find("table.audit")), xssAttr) {
		t.Error("the audit detail is not shown as text")
	}
}

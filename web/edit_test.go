package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/PuerkitoBio/goquery"
	vigie "github.com/vigie-network/vigie"
)

func TestDraftStaysOffThePublicPageUntilAnotherPersonPublishesIt(t *testing.T) {
	e := newEditorsSite(t)
	e.addUser("ana@example.org", vigie.RoleResearcher)
	e.addUser("rui@example.org", vigie.RoleReviewer)
	ana, rui := e.login("ana@example.org"), e.login("rui@example.org")
	public := e.visitor("192.0.2.30:1000")
	const text = "A specialised unit of the national police investigates online exploitation since 2023."

	form := ana.assessmentForm("mali", "sec-police-unit")
	if form.Get("base") != "0" || form.Get("rating") != vigie.RatingNotYetAssessed {
		t.Fatalf("a new assessment's form: base %q, rating %q", form.Get("base"), form.Get("rating"))
	}
	form.Set("rating", vigie.RatingYes)
	form.Set("explanation", text)
	form.Set("as_of", "2023-04")
	form.Set("reason", "new police decree")
	// A new law in the empty row.
	form.Set("source_0_kind", "law")
	form.Set("source_0_title", "Decree on the National Police")
	form.Set("source_0_year", "2023")
	form.Set("source_0_articles", "Art. 4")
	form.Set("action", "draft")
	res, _ := ana.post("/edit/countries/mali/sec-police-unit", form)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/edit/countries/mali/sec-police-unit?saved=1" {
		t.Fatalf("save draft: %d → %q", res.StatusCode, res.Header.Get("Location"))
	}
	doc := ana.page(res.Header.Get("Location"), http.StatusOK)
	if !strings.Contains(textOf(doc.Find(".notice.good")), "Saved as revision 1") {
		t.Errorf("no confirmation: %q", textOf(doc.Find(".notice.good")))
	}
	if got := doc.Find("#explanation").Text(); got != text {
		t.Errorf("the form reloads %q", got)
	}
	if got := doc.Find(`#source_0_id option[selected]`).Text(); !strings.Contains(got, "Decree on the National Police") {
		t.Errorf("the new source is not picked from the library on reload: %q", got)
	}
	if strings.Contains(textOf(public.page("/countries/mali", http.StatusOK).Find("#sec-police-unit")), "specialised unit") {
		t.Fatal("a draft is on the public page")
	}

	// Submitted: in the queue, still not public; the author cannot publish.
	form = ana.assessmentForm("mali", "sec-police-unit")
	form.Set("action", "submit")
	form.Set("reason", "ready for review")
	res, _ = ana.post("/edit/countries/mali/sec-police-unit", form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit: %d", res.StatusCode)
	}
	queue := ana.page("/edit/review", http.StatusOK)
	item := queue.Find("article.review#rev-ml-sec-police-unit-2")
	if item.Length() != 1 {
		t.Fatalf("the submitted revision is not in the queue:\n%s", textOf(queue.Find("main")))
	}
	if _, disabled := item.Find(`button[value="publish"]`).Attr("disabled"); !disabled {
		t.Error("the author sees Publish enabled on their own work")
	}
	if !strings.Contains(textOf(item), "You wrote this revision") {
		t.Error("the queue does not say why the author cannot publish")
	}
	if got := item.Find(".diff ins").Text(); !strings.Contains(got, "specialised unit") {
		t.Errorf("the diff does not mark the new text: %q", got)
	}
	if got := textOf(item.Find(".diff dd").First()); !strings.Contains(got, "Not Yet Assessed") || !strings.Contains(got, "Yes") {
		t.Errorf("the rating change reads %q", got)
	}
	if got := textOf(item.Find(".source-diff ins")); !strings.Contains(got, "Decree on the National Police") {
		t.Errorf("the added source is not marked: %q", got)
	}
	// Posting anyway: the service refuses, the page says why.
	res, body := ana.post("/edit/review/mali/sec-police-unit/2", url.Values{"action": {"publish"}})
	if res.StatusCode != http.StatusForbidden || !strings.Contains(body, "may not review-assessment") {
		t.Errorf("self-publish: %d", res.StatusCode)
	}
	// Returning needs a comment.
	res, body = rui.post("/edit/review/mali/sec-police-unit/2", url.Values{"action": {"return"}})
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Say what the author should change") {
		t.Errorf("return without comment: %d", res.StatusCode)
	}
	if strings.Contains(textOf(public.page("/countries/mali", http.StatusOK).Find("#sec-police-unit")), "specialised unit") {
		t.Fatal("a submitted revision is on the public page")
	}

	res, _ = rui.post("/edit/review/mali/sec-police-unit/2", url.Values{"action": {"publish"}, "comment": {"checked against the decree"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish: %d", res.StatusCode)
	}
	done := rui.page(res.Header.Get("Location"), http.StatusOK)
	if !strings.Contains(textOf(done.Find(".notice.good")), "Revision 2 of SEC Police Unit in Mali was published") {
		t.Errorf("after publishing: %q", textOf(done.Find(".notice.good")))
	}
	section := public.page("/countries/mali", http.StatusOK).Find("#sec-police-unit")
	if !strings.Contains(textOf(section), "specialised unit") || textOf(section.Find(".badge")) != "Yes" {
		t.Errorf("the published revision is not public: %q", textOf(section))
	}
	if !strings.Contains(textOf(section.Find(".sources")), "Decree on the National Police") {
		t.Errorf("the new source is not public: %q", textOf(section.Find(".sources")))
	}
}

func TestAdminCannotPublishTheirOwnRevision(t *testing.T) {
	e := newEditorsSite(t)
	e.addUser("boss@example.org", vigie.RoleAdmin)
	boss := e.login("boss@example.org")
	form := boss.assessmentForm("mali", "public-case-data")
	form.Set("rating", vigie.RatingNoData)
	form.Set("action", "submit")
	boss.post("/edit/countries/mali/public-case-data", form)
	item := boss.page("/edit/review", http.StatusOK).Find("article#rev-ml-public-case-data-1")
	if _, disabled := item.Find(`button[value="publish"]`).Attr("disabled"); !disabled || !strings.Contains(textOf(item), "You wrote this revision") {
		t.Errorf("an admin sees Publish enabled on their own revision: %q", textOf(item))
	}
	res, body := boss.post("/edit/review/mali/public-case-data/1", url.Values{"action": {"publish"}})
	msg := textOf(parseHTML(t, body).Find("article#rev-ml-public-case-data-1 .notice.bad"))
	if res.StatusCode != http.StatusForbidden || !strings.Contains(msg, "another reviewer must publish it") {
		t.Errorf("self-publish: %d %q", res.StatusCode, msg)
	}
	if a, _ := e.st.Assessment(context.Background(), "ML", "public-case-data"); a.Revision != 0 {
		t.Error("the admin's own revision was published")
	}
}

func TestStaleSaveShowsTheConflictAndKeepsTheText(t *testing.T) {
	e := newEditorsSite(t)
	e.addUser("ana@example.org", vigie.RoleResearcher)
	e.addUser("leo@example.org", vigie.RoleResearcher)
	ana, leo := e.login("ana@example.org"), e.login("leo@example.org")

	first := ana.assessmentForm("mali", "extraterritoriality-extradition")
	second := leo.assessmentForm("mali", "extraterritoriality-extradition")
	if first.Get("base") != "1" || second.Get("base") != "1" {
		t.Fatalf("bases %q and %q", first.Get("base"), second.Get("base"))
	}
	first.Set("explanation", "Ana's reading: courts may try citizens for offences abroad.")
	first.Set("rating", vigie.RatingPartial)
	first.Set("action", "draft")
	if res, _ := ana.post("/edit/countries/mali/extraterritoriality-extradition", first); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("first save: %d", res.StatusCode)
	}

	const mine = "Leo's reading: extradition needs double criminality."
	second.Set("explanation", mine)
	second.Set("rating", vigie.RatingNo)
	second.Set("reason", "Leo's reason")
	second.Set("action", "submit")
	res, body := leo.post("/edit/countries/mali/extraterritoriality-extradition", second)
	if res.StatusCode != http.StatusConflict {
		t.Fatalf("stale save: %d, want 409", res.StatusCode)
	}
	if revs := e.revisions("ML", "extraterritoriality-extradition"); len(revs) != 2 {
		t.Fatalf("the stale save wrote something: %d revisions", len(revs))
	}
	doc := parseHTML(t, body)
	conflict := doc.Find("section.conflict")
	if !strings.Contains(textOf(conflict), "ana saved revision 2") {
		t.Errorf("the conflict does not name the other person: %q", textOf(conflict.Find("p").First()))
	}
	if got := conflict.Find(".their-text").Text(); got != "Ana's reading: courts may try citizens for offences abroad." {
		t.Errorf("their text = %q", got)
	}
	if got := doc.Find("#explanation").Text(); got != mine {
		t.Errorf("my text in the form = %q", got)
	}
	if got := doc.Find(`form.assessment input[name="base"]`).AttrOr("value", ""); got != "2" {
		t.Errorf("base after the conflict = %q, want 2", got)
	}
	if got := doc.Find(`input[name="rating"][checked]`).AttrOr("value", ""); got != vigie.RatingNo {
		t.Errorf("my rating was not kept: %q", got)
	}
	if got := doc.Find("#reason").Text(); got != "Leo's reason" {
		t.Errorf("my reason was not kept: %q", got)
	}
	if ins := conflict.Find(".diff ins").Text(); !strings.Contains(ins, "extradition") {
		t.Errorf("the diff does not mark my words: %q", ins)
	}
	if del := conflict.Find(".diff del").Text(); !strings.Contains(del, "courts") {
		t.Errorf("the diff does not mark their words: %q", del)
	}

	// Saving again is a deliberate overwrite on top of their revision.
	again := formValues(doc, "form.assessment")
	again.Set("action", "submit")
	if res, _ := leo.post("/edit/countries/mali/extraterritoriality-extradition", again); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("second save: %d", res.StatusCode)
	}
	revs := e.revisions("ML", "extraterritoriality-extradition")
	if revs[0].Number != 3 || revs[0].Base != 2 || revs[0].Content.Explanation != mine {
		t.Errorf("newest revision: %+v", revs[0])
	}
}

// Many editors saving on one base at once: exactly one wins, the others
// are told, and nothing is overwritten.
func TestConcurrentSavesOnOneBaseLetExactlyOneWin(t *testing.T) {
	e := newEditorsSite(t)
	e.addUser("ana@example.org", vigie.RoleResearcher)
	ana := e.login("ana@example.org")
	base := ana.assessmentForm("mali", "national-commitments")
	const n = 12
	statuses := make(chan int, n)
	var wg sync.WaitGroup
	for i := range n {
		form := url.Values{}
		for k, v := range base {
			form[k] = slices.Clone(v)
		}
		form.Set("rating", vigie.RatingPartial)
		form.Set("explanation", "Version "+strconv.Itoa(i))
		form.Set("action", "draft")
		wg.Go(func() {
			res, _ := ana.post("/edit/countries/mali/national-commitments", form)
			statuses <- res.StatusCode
		})
	}
	wg.Wait()
	close(statuses)
	count := map[int]int{}
	for st := range statuses {
		count[st]++
	}
	if count[http.StatusSeeOther] != 1 || count[http.StatusConflict] != n-1 {
		t.Errorf("statuses %v, want one 303 and %d 409", count, n-1)
	}
	if revs := e.revisions("ML", "national-commitments"); len(revs) != 1 {
		t.Errorf("%d revisions stored, want 1", len(revs))
	}
}

func TestAssessmentFormShowsErrorsNextToFieldsAndPreviews(t *testing.T) {
	e := newEditorsSite(t)
	e.addUser("ana@example.org", vigie.RoleResearcher)
	ana := e.login("ana@example.org")
	form := ana.assessmentForm("mali", "age-of-consent")
	form.Set("rating", vigie.RatingYes)
	form.Set("value", "16")
	form.Set("explanation", "**Sixteen** for all.\n\n<script>alert(1)</script>")
	form.Set("as_of", "2021-13")
	form.Set("source_0_title", "Penal Code")
	form.Set("source_0_link", "ftp://example.org/code")
	form.Set("action", "draft")

	res, body := ana.post("/edit/countries/mali/age-of-consent", form)
	if res.StatusCode != http.StatusBadRequest {
		t.Fatalf("bad as-of: %d", res.StatusCode)
	}
	doc := parseHTML(t, body)
	if got := textOf(doc.Find("#as_of-error")); got != "Month 13 is out of range." {
		t.Errorf("as-of error = %q", got)
	}
	if doc.Find("#as_of").AttrOr("value", "") != "2021-13" || doc.Find("#value").AttrOr("value", "") != "16" {
		t.Error("typed values were lost")
	}
	if !strings.Contains(doc.Find("#explanation").Text(), "**Sixteen**") {
		t.Error("the explanation was lost")
	}

	form.Set("as_of", "2021")
	res, body = ana.post("/edit/countries/mali/age-of-consent", form)
	doc = parseHTML(t, body)
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(textOf(doc.Find("#source_0")), "is not a web address: write it as https://") {
		t.Errorf("bad source link: %d\n%s", res.StatusCode, textOf(doc.Find("#sources")))
	}
	if len(e.revisions("ML", "age-of-consent")) != 0 {
		t.Fatal("an invalid form wrote a revision")
	}

	form.Set("action", "preview")
	res, body = ana.post("/edit/countries/mali/age-of-consent", form)
	doc = parseHTML(t, body)
	if res.StatusCode != http.StatusOK || doc.Find(".preview strong").Text() != "Sixteen" {
		t.Errorf("preview: %d %q", res.StatusCode, doc.Find(".preview").Text())
	}
	if doc.Find(".preview script").Length() != 0 {
		t.Error("the preview runs script")
	}
	if doc.Find(".preview .notice").Length() != 0 {
		t.Error("a short explanation is previewed as plain text")
	}
	// Quotes nested past the renderer's bound (400 KB of them took 27 s)
	// are previewed as plain text, and the preview says so.
	form.Set("explanation", strings.Repeat("> ", 4000)+"**deep**")
	res, body = ana.post("/edit/countries/mali/age-of-consent", form)
	doc = parseHTML(t, body)
	if res.StatusCode != http.StatusOK || !strings.Contains(textOf(doc.Find(".preview .notice")), "shown as plain text") ||
		doc.Find(".preview strong, .preview blockquote").Length() != 0 {
		t.Errorf("deep quotes preview: %d %.200q", res.StatusCode, textOf(doc.Find(".preview")))
	}
	if len(e.revisions("ML", "age-of-consent")) != 0 {
		t.Fatal("a preview wrote a revision")
	}
}

func TestSourcesCanBePickedReorderedAndRemoved(t *testing.T) {
	e := newEditorsSite(t)
	e.addUser("ana@example.org", vigie.RoleResearcher)
	ana := e.login("ana@example.org")
	form := ana.assessmentForm("mali", "extraterritoriality-extradition")
	if form.Get("sources") != "4" { // three citations and the empty row
		t.Fatalf("rows = %q", form.Get("sources"))
	}
	var penal string
	doc := ana.page("/edit/countries/mali/extraterritoriality-extradition", http.StatusOK)
	doc.Find("#source_3_id option").Each(func(_ int, o *goquery.Selection) {
		if strings.HasPrefix(o.Text(), "Penal Code of Mali") {
			penal = o.AttrOr("value", "")
		}
	})
	form.Set("source_0_position", "3") // Code of Criminal Procedure goes last
	form.Set("source_1_remove", "1")   // Penal Code goes
	form.Set("source_2_position", "2")
	form.Set("source_3_id", penal) // and comes back from the library, with articles
	form.Set("source_3_articles", "Art. 227")
	form.Set("source_3_position", "1")
	form.Set("action", "draft")
	if res, body := ana.post("/edit/countries/mali/extraterritoriality-extradition", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", res.StatusCode, body)
	}
	got := e.revisions("ML", "extraterritoriality-extradition")[0].Content.Citations
	var titles []string
	for _, c := range got {
		titles = append(titles, c.Source.Title+"|"+c.Articles)
	}
	want := "Penal Code of Mali|Art. 227,Law nº 2012-023 on Trafficking in Persons|Art. 16, 17,Code of Criminal Procedure of Mali|Art. 22, 244"
	if strings.Join(titles, ",") != want {
		t.Errorf("citations = %q\nwant %q", strings.Join(titles, ","), want)
	}
}

func TestSweepSavesOneCountryPerRow(t *testing.T) {
	e := newEditorsSite(t)
	e.addUser("ana@example.org", vigie.RoleResearcher)
	ana := e.login("ana@example.org")
	doc := ana.page("/edit/indicators/extraterritoriality-extradition", http.StatusOK)
	if n := doc.Find("table.grid tbody tr").Length(); n != 249 {
		t.Fatalf("%d rows, want 249", n)
	}
	mali := doc.Find("tr#row-ml")
	if got := textOf(mali.Find("td").First()); !strings.Contains(got, "Assessed, Not Rated") || !strings.Contains(got, "2021") {
		t.Errorf("Mali's published state = %q", got)
	}
	row := formValues(doc, "form#f-row-ml")
	for _, name := range []string{"rating", "as_of", "reason"} {
		row.Set(name, doc.Find(`[form="f-row-ml"][name="`+name+`"]`).AttrOr("value", ""))
	}
	row.Set("rating", vigie.RatingPartial)
	row.Set("as_of", "2024")
	row.Set("reason", "2024 legal review")
	row.Set("action", "draft")
	res, _ := ana.post("/edit/indicators/extraterritoriality-extradition", row)
	if res.StatusCode != http.StatusSeeOther || !strings.HasSuffix(res.Header.Get("Location"), "#row-ml") {
		t.Fatalf("row save: %d → %q", res.StatusCode, res.Header.Get("Location"))
	}
	rev := e.revisions("ML", "extraterritoriality-extradition")[0]
	if rev.State != vigie.RevisionDraft || rev.Content.Rating != vigie.RatingPartial || rev.Content.AsOf.String() != "2024" ||
		rev.Content.Explanation != maliExplanation || len(rev.Content.Citations) != 3 || rev.Reason != "2024 legal review" {
		t.Errorf("the row saved %+v", rev)
	}
	doc = ana.page(res.Header.Get("Location"), http.StatusOK)
	if got := textOf(doc.Find("tr#row-ml .state")); got != "draft" {
		t.Errorf("Mali's row shows pending %q", got)
	}
	if got := doc.Find(`tr#row-ml select option[selected]`).AttrOr("value", ""); got != vigie.RatingPartial {
		t.Errorf("the row edits %q, not the draft", got)
	}

	// The same stale row again: refused, the grid says why.
	res, body := ana.post("/edit/indicators/extraterritoriality-extradition", row)
	if res.StatusCode != http.StatusConflict || !strings.Contains(textOf(parseHTML(t, body).Find("tr#row-ml")), "saved revision 2") {
		t.Errorf("stale row: %d", res.StatusCode)
	}
	if n := len(e.revisions("ML", "extraterritoriality-extradition")); n != 2 {
		t.Errorf("%d revisions after a stale row save", n)
	}
}

func TestMemberKeepsOnlyTheirOwnCountry(t *testing.T) {
	e := newEditorsSite(t)
	seedHostile(t, e.st) // Niger has an organisation
	e.addUser("mo@example.org", vigie.RoleMember, "ML")
	mo := e.login("mo@example.org")
	orgs, _ := e.st.Organisations(context.Background(), vigie.OrganisationFilter{})
	ids := map[string]string{}
	for _, o := range orgs {
		ids[o.Country] = strconv.FormatInt(o.ID, 10)
	}

	for _, path := range []string{"/edit/organisations/new?country=NE", "/edit/organisations/" + ids["NE"]} {
		res, body := mo.get(path)
		if res.StatusCode != http.StatusForbidden || !strings.Contains(body, "Not allowed") {
			t.Errorf("%s: %d", path, res.StatusCode)
		}
	}
	res, _ := mo.post("/edit/organisations/"+ids["NE"], url.Values{"country": {"ML"}, "name": {"Taken over"}, "contacts": {"0"}})
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("post to another country's organisation: %d", res.StatusCode)
	}

	// Their own: the form opens, with only their country to choose, and saves.
	doc := mo.page("/edit/organisations/"+ids["ML"], http.StatusOK)
	if n := doc.Find("#country option").Length(); n != 1 {
		t.Errorf("%d countries to choose from", n)
	}
	form := formValues(doc, "form.form")
	form.Set("office_city", "Bamako and Ségou")
	form.Set("contact_1_name", "Awa Traoré")
	form.Set("contact_1_phone", "(+223) 66 12 34 56")
	form.Set("contact_0_remove", "1")
	res, body := mo.post("/edit/organisations/"+ids["ML"], form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("own organisation: %d\n%s", res.StatusCode, body)
	}
	page := e.visitor("192.0.2.31:1000").page("/countries/mali", http.StatusOK)
	org := textOf(page.Find("#organisations"))
	if !strings.Contains(org, "Bamako and Ségou") || !strings.Contains(org, "Awa Traoré") || !strings.Contains(org, "+223 66 12 34 56") ||
		strings.Contains(org, "Boubacar Hassane") {
		t.Errorf("the public profile reads %q", org)
	}

	// A bad phone comes back next to its row.
	form = formValues(mo.page("/edit/organisations/"+ids["ML"], http.StatusOK), "form.form")
	form.Set("contact_0_phone", "77 08")
	res, body = mo.post("/edit/organisations/"+ids["ML"], form)
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(textOf(parseHTML(t, body).Find("#contact_0")), "not a phone number") {
		t.Errorf("bad phone: %d", res.StatusCode)
	}
}

func TestMovementReportsReachTheQueueAndNeverThePublic(t *testing.T) {
	e := newEditorsSite(t)
	e.addUser("ana@example.org", vigie.RoleResearcher)
	reader := e.visitor("198.51.100.7:5000")
	const change = "Parliament raised the age of consent to 18 in a 2025 amendment."

	doc := reader.page("/countries/mali", http.StatusOK)
	tell := doc.Find("section#tell-us")
	if h := textOf(tell.Find("h2")); h != "Has something changed here? Tell us" {
		t.Errorf("section heading %q", h)
	}
	form := formValues(doc, "section#tell-us form")
	hp := tell.Find(`input[name="website"]`)
	if hp.AttrOr("tabindex", "") != "-1" || hp.AttrOr("autocomplete", "") != "off" || hp.Closest(".hp").Length() != 1 {
		t.Errorf("the honeypot is not hidden from people")
	}
	form.Set("indicator", "age-of-consent")
	form.Set("change", change)
	form.Set("link", "https://example.org/law-2025")
	form.Set("contact", "reader@example.org")
	res, _ := reader.post(tell.Find("form").AttrOr("action", ""), form)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/countries/mali/report/thanks" {
		t.Fatalf("report: %d → %q", res.StatusCode, res.Header.Get("Location"))
	}
	if h := textOf(reader.page("/countries/mali/report/thanks", http.StatusOK).Find("h1")); h != "Thank you" {
		t.Errorf("thanks page h1 = %q", h)
	}

	// A robot fills every field: it is thanked, and nothing is stored.
	robot := e.visitor("203.0.113.9:5000")
	form.Set("website", "https://spam.example")
	form.Set("change", "Buy cheap watches")
	if res, _ := robot.post("/countries/mali/report", form); res.StatusCode != http.StatusSeeOther {
		t.Errorf("honeypot: %d", res.StatusCode)
	}
	reports, _ := e.st.MovementReports(context.Background(), vigie.ReportFilter{})
	if len(reports) != 1 {
		t.Fatalf("%d reports stored, want 1", len(reports))
	}

	// Missing text: the form comes back with the message.
	res, body := reader.post("/countries/mali/report", url.Values{"change": {"  "}})
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(textOf(parseHTML(t, body).Find("#tell-change-error")), "Please say what changed") {
		t.Errorf("empty report: %d", res.StatusCode)
	}

	for _, path := range []string{"/countries/mali", "/countries/mali/age-of-consent/history", "/indicators/age-of-consent", "/"} {
		if _, body := reader.get(path); strings.Contains(body, "Parliament raised") || strings.Contains(body, "reader@example.org") {
			t.Errorf("%s shows the report", path)
		}
	}

	ana := e.login("ana@example.org")
	queue := ana.page("/edit/reports", http.StatusOK)
	item := queue.Find("article.report-item")
	if item.Length() != 1 || !strings.Contains(textOf(item), change) || !strings.Contains(textOf(item), "reader@example.org") ||
		!strings.Contains(textOf(item), "Age of Consent") {
		t.Fatalf("queue: %q", textOf(queue.Find("main")))
	}
	res, _ = ana.post(item.Find("form").AttrOr("action", ""), url.Values{"action": {"draft"}})
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/edit/countries/mali/age-of-consent?report=") {
		t.Fatalf("open a draft: %d → %q", res.StatusCode, res.Header.Get("Location"))
	}
	draft := ana.page(res.Header.Get("Location"), http.StatusOK)
	if got := draft.Find("#reason").Text(); !strings.Contains(got, change) {
		t.Errorf("the reason is not prefilled: %q", got)
	}
	if got := textOf(ana.page("/edit/reports", http.StatusOK).Find("main")); !strings.Contains(got, "No report here") {
		t.Errorf("the drafted report is still open: %q", got)
	}
	res, _ = ana.post("/edit/reports/"+strconv.FormatInt(reports[0].ID, 10), url.Values{"action": {"close"}})
	if r, _ := e.st.MovementReport(context.Background(), reports[0].ID); res.StatusCode != http.StatusSeeOther || r.State != vigie.ReportClosed {
		t.Errorf("close: %d, state %q", res.StatusCode, r.State)
	}

	// The service's rate limit, with a clear message.
	for range 4 {
		reader.post("/countries/mali/report", url.Values{"change": {"another change"}})
	}
	res, body = reader.post("/countries/mali/report", url.Values{"change": {"one too many"}})
	if res.StatusCode != http.StatusTooManyRequests || !strings.Contains(textOf(parseHTML(t, body).Find(".notice.bad")), "try again in") {
		t.Errorf("sixth report: %d", res.StatusCode)
	}
}

func TestHistoryShowsPublishedChangesToThePublicAndDraftsToEditors(t *testing.T) {
	e := newEditorsSite(t)
	e.addUser("ana@example.org", vigie.RoleResearcher)
	e.addUser("rui@example.org", vigie.RoleReviewer)
	ana, rui := e.login("ana@example.org"), e.login("rui@example.org")
	path := "/countries/mali/extraterritoriality-extradition/history"
	edit := "/edit/countries/mali/extraterritoriality-extradition"

	// Revision 2 published (a correction), revision 3 a draft.
	form := ana.assessmentForm("mali", "extraterritoriality-extradition")
	form.Set("explanation", strings.Replace(maliExplanation, "five years", "three years", 1))
	form.Set("rating", vigie.RatingPartial)
	form.Set("reason", "misread the penalty threshold")
	form.Set("action", "submit")
	ana.post(edit, form)
	if res, _ := rui.post("/edit/review/mali/extraterritoriality-extradition/2", url.Values{"action": {"publish"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish: %d", res.StatusCode)
	}
	form = ana.assessmentForm("mali", "extraterritoriality-extradition")
	form.Set("explanation", "A draft nobody outside should read.")
	form.Set("reason", "secret reason")
	form.Set("action", "draft")
	ana.post(edit, form)

	public := e.visitor("192.0.2.40:1000")
	country := public.page("/countries/mali", http.StatusOK)
	if href := country.Find("#extraterritoriality-extradition .history-link a").AttrOr("href", ""); href != path {
		t.Errorf("history link = %q", href)
	}
	doc := public.page(path, http.StatusOK)
	entries := doc.Find("article.revision")
	if entries.Length() != 2 {
		t.Fatalf("%d public entries, want 2", entries.Length())
	}
	newest := entries.First()
	if got := newest.Find(".diff del").Text(); !strings.Contains(got, "five") {
		t.Errorf("deleted words: %q", got)
	}
	if got := newest.Find(".diff ins").Text(); !strings.Contains(got, "three") {
		t.Errorf("inserted words: %q", got)
	}
	if got := textOf(newest.Find(".diff dd").First()); !strings.Contains(got, "Assessed, Not Rated") || !strings.Contains(got, "Partial") {
		t.Errorf("rating change: %q", got)
	}
	if !strings.Contains(textOf(newest.Find("h2")), "Published") || newest.Find("h2 time").Length() != 1 {
		t.Errorf("no publication date: %q", textOf(newest.Find("h2")))
	}
	body := textOf(doc.Find("main"))
	for _, secret := range []string{"A draft nobody", "secret reason", "ana", "misread", "draft revision"} {
		if strings.Contains(body, secret) {
			t.Errorf("the public history shows %q", secret)
		}
	}
	if doc.Find(`form[action$="/revert"]`).Length() != 0 {
		t.Error("the public sees a revert button")
	}

	// Editors see everything, with authors and reasons, and can revert.
	doc = ana.page(path, http.StatusOK)
	if n := doc.Find("article.revision").Length(); n != 3 {
		t.Fatalf("%d entries for editors, want 3", n)
	}
	top := textOf(doc.Find("article.revision").First())
	if !strings.Contains(top, "draft") || !strings.Contains(top, "secret reason") || !strings.Contains(top, "by ana") {
		t.Errorf("editor's newest entry: %q", top)
	}
	revert := doc.Find(`article#rev-1 form[action$="/revert"]`)
	if revert.Length() != 1 {
		t.Fatal("no revert button on the first published revision")
	}
	res, _ := ana.post(revert.AttrOr("action", ""), formValues(doc, `article#rev-1 form[action$="/revert"]`))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("revert: %d", res.StatusCode)
	}
	rev := e.revisions("ML", "extraterritoriality-extradition")[0]
	if rev.Number != 4 || rev.State != vigie.RevisionSubmitted || rev.Content.Explanation != maliExplanation || rev.Reason != "revert to revision 1" {
		t.Errorf("revert made %+v", rev)
	}
}

func TestAuditLogListsWritesForAdmins(t *testing.T) {
	e := newEditorsSite(t)
	e.addUser("boss@example.org", vigie.RoleAdmin)
	e.addUser("ana@example.org", vigie.RoleResearcher)
	ana := e.login("ana@example.org")
	form := ana.assessmentForm("mali", "csam-definition")
	form.Set("rating", vigie.RatingNo)
	form.Set("reason", "no definition in the Penal Code")
	form.Set("action", "draft")
	ana.post("/edit/countries/mali/csam-definition", form)

	boss := e.login("boss@example.org")
	doc := boss.page("/edit/audit", http.StatusOK)
	var actions []string
	doc.Find("table.audit tbody tr").Each(func(_ int, tr *goquery.Selection) {
		actions = append(actions, textOf(tr.Find("td").Eq(2)))
	})
	if len(actions) < 4 || actions[0] != "session.login" || actions[1] != "assessment.draft" {
		t.Fatalf("audit actions: %q", actions)
	}
	draft := doc.Find("table.audit tbody tr").Eq(1)
	if got := textOf(draft.Find("td").Eq(1)); got != "ana" {
		t.Errorf("who: %q", got)
	}
	if got := textOf(draft.Find("td").Eq(3)); got != "ML/csam-definition#1" {
		t.Errorf("target: %q", got)
	}
	if got := textOf(draft.Find("td").Eq(4)); !strings.Contains(got, "no definition in the Penal Code") {
		t.Errorf("detail: %q", got)
	}
	if got := textOf(draft.Find("td").Eq(5)); got != "192.0.2.10" {
		t.Errorf("address: %q", got)
	}

	// Paging: 60 more writes make an older page.
	for i := range 60 {
		boss.post("/edit/users", url.Values{"email": {"user" + strconv.Itoa(i) + "@example.org"}, "role": {"reviewer"}})
	}
	doc = boss.page("/edit/audit", http.StatusOK)
	if n := doc.Find("table.audit tbody tr").Length(); n != auditPageSize {
		t.Fatalf("%d entries on the first page", n)
	}
	older := doc.Find(`a[rel="next"]`).AttrOr("href", "")
	doc = boss.page(older, http.StatusOK)
	found := false
	doc.Find("table.audit tbody tr td:nth-child(3)").Each(func(_ int, td *goquery.Selection) {
		found = found || textOf(td) == "assessment.draft"
	})
	if !found {
		t.Error("the older page does not reach the draft")
	}
}

func TestAdminAddsAUserWithASetPasswordLink(t *testing.T) {
	e := newEditorsSite(t)
	e.addUser("boss@example.org", vigie.RoleAdmin)
	boss := e.login("boss@example.org")
	res, body := boss.post("/edit/users", url.Values{"email": {"New@Example.org"}, "name": {"Nia"}, "role": {"member"}})
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "A member needs at least one country") {
		t.Errorf("member without country: %d", res.StatusCode)
	}
	res, body = boss.post("/edit/users", url.Values{"email": {"New@Example.org"}, "name": {"Nia"}, "role": {"member"}, "countries": {"ml"}})
	link := parseHTML(t, body).Find("code.secret").Text()
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(link, "http://example.com/set-password?token=") {
		t.Fatalf("add: %d, link %q", res.StatusCode, link)
	}
	u, err := e.st.UserByEmail(context.Background(), "new@example.org")
	if err != nil || u.Role != vigie.RoleMember || !u.CoversCountry("ML") {
		t.Fatalf("stored %+v, %v", u, err)
	}
	if res, _ := boss.post("/edit/users/disable", url.Values{"email": {"new@example.org"}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("disable: %d", res.StatusCode)
	}
	if u, _ := e.st.UserByEmail(context.Background(), "new@example.org"); !u.Disabled {
		t.Error("not disabled")
	}
}

func TestContentFormsSave(t *testing.T) {
	e := newEditorsSite(t)
	e.addUser("boss@example.org", vigie.RoleAdmin)
	e.addUser("mo@example.org", vigie.RoleMember, "ML")
	boss, mo := e.login("boss@example.org"), e.login("mo@example.org")

	form := formValues(boss.page("/edit/publications/new?country=ML", http.StatusOK), "form.form")
	form.Set("title", "Mali – Legal Checklist")
	form.Set("type", vigie.PubLegalChecklist)
	form.Set("year", "2020")
	form.Set("publishers", "ECPAT International, ACESEM")
	if res, body := boss.post("/edit/publications/new", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("publication: %d\n%s", res.StatusCode, body)
	}
	if got := textOf(e.visitor("192.0.2.50:1").page("/countries/mali", http.StatusOK).Find("#reports")); !strings.Contains(got, "Mali – Legal Checklist") {
		t.Errorf("the publication is not on the country page: %q", got)
	}

	// A member posts news about their country, not about another one.
	form = formValues(mo.page("/edit/news/new", http.StatusOK), "form.form")
	if form.Get("countries") != "ML" {
		t.Errorf("news countries default to %q", form.Get("countries"))
	}
	form.Set("title", "Training for hotel staff in Bamako")
	form.Set("date", "2025-02-10")
	form.Set("summary", "Forty receptionists learnt to spot and report exploitation.")
	res, _ := mo.post("/edit/news/new", form)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/edit/news/training-for-hotel-staff-in-bamako?saved" {
		t.Fatalf("news: %d → %q", res.StatusCode, res.Header.Get("Location"))
	}
	form.Set("countries", "NE")
	form.Set("slug", "elsewhere")
	if res, _ := mo.post("/edit/news/new", form); res.StatusCode != http.StatusForbidden {
		t.Errorf("member news about Niger: %d", res.StatusCode)
	}

	// The admin features it.
	if res, _ := boss.post("/edit/featured", url.Values{"slug": {"training-for-hotel-staff-in-bamako"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("feature: %d", res.StatusCode)
	}
	if href := e.visitor("192.0.2.50:1").page("/", http.StatusOK).Find("aside.featured a").AttrOr("href", ""); href != "/news/training-for-hotel-staff-in-bamako" {
		t.Errorf("featured link = %q", href)
	}
}

// The form offers the sources the country's assessments cite, not the
// whole library (which grows with every country): a law only Senegal
// cites is not among Mali's choices, yet a posted form may still choose
// it by its number, and a number no source has is refused at its row.
func TestAssessmentFormOffersTheCountrysSources(t *testing.T) {
	e := newEditorsSite(t)
	senegal := vigie.Assessment{Country: "SN", Indicator: "age-of-consent", Rating: vigie.RatingNo,
		Citations: []vigie.Citation{{Source: vigie.Source{Kind: vigie.SourceLaw, Title: "Code pénal du Sénégal", Year: 1965}}}}
	if err := e.st.Update(context.Background(), func(tx vigie.Tx) error {
		_, _, err := tx.SaveAssessment(context.Background(), senegal, vigie.Change{Author: "import"})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	stored, _ := e.st.Assessment(context.Background(), "SN", "age-of-consent")
	senegalCode := strconv.FormatInt(stored.Citations[0].Source.ID, 10)

	e.addUser("ana@example.org", vigie.RoleResearcher)
	ana := e.login("ana@example.org")
	doc := ana.page("/edit/countries/mali/age-of-consent", http.StatusOK)
	var offered []string
	doc.Find("#source_0_id option[value]").Each(func(_ int, o *goquery.Selection) {
		if o.AttrOr("value", "") != "" {
			offered = append(offered, o.Text())
		}
	})
	joined := strings.Join(offered, " | ")
	if !strings.Contains(joined, "Penal Code of Mali") || strings.Contains(joined, "Sénégal") {
		t.Errorf("Mali's form offers %q", joined)
	}

	form := ana.assessmentForm("mali", "age-of-consent")
	n, _ := strconv.Atoi(form.Get("sources"))
	last := strconv.Itoa(n - 1) // the empty row
	form.Set("source_"+last+"_id", "999999")
	form.Set("action", "draft")
	res, body := ana.post("/edit/countries/mali/age-of-consent", form)
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "no longer") {
		t.Errorf("an unknown source: %d\n%.300s", res.StatusCode, body)
	}
	form.Set("source_"+last+"_id", senegalCode)
	if res, body := ana.post("/edit/countries/mali/age-of-consent", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save with Senegal's code: %d\n%s", res.StatusCode, body)
	}
	cites := e.revisions("ML", "age-of-consent")[0].Content.Citations
	if cites[len(cites)-1].Source.Title != "Code pénal du Sénégal" {
		t.Errorf("citations = %+v", cites)
	}
	// The draft now cites it: its form offers it, selected.
	doc = ana.page("/edit/countries/mali/age-of-consent", http.StatusOK)
	if sel := doc.Find("#source_" + strconv.Itoa(len(cites)-1) + "_id option[selected]"); sel.AttrOr("value", "") != senegalCode {
		t.Errorf("the draft's row selects %q, want %s", sel.AttrOr("value", ""), senegalCode)
	}
}

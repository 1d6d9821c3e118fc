package web

import (
	"context"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/web/i18n"
)

// TestTemplateKeysInCatalogue fails on a message that a template or the
// Go code asks for and en.toml does not have (the catalogue test in
// web/i18n checks that French and Spanish have every English message).
func TestTemplateKeysInCatalogue(t *testing.T) {
	cat := i18n.Default()
	has := func(id string) bool { _, ok := cat.Message("en", id); return ok }
	uses := map[string]string{}
	tmpl := regexp.MustCompile(`\bt "([A-Za-z0-9_.\-]+)"`)
	code := regexp.MustCompile(`(?:\btr\(r, |\.T\([a-zA-Z.]+, |\bt\(lang, )"([A-Za-z0-9_.\-]+)"`)
	files, _ := filepath.Glob("templates/*")
	gofiles, _ := filepath.Glob("*.go")
	cmdfiles, _ := filepath.Glob("../cmd/vigie/*.go")
	for _, f := range append(append(files, gofiles...), cmdfiles...) {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		re := code
		if strings.HasPrefix(f, "templates/") {
			re = tmpl
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			if !strings.HasSuffix(m[1], ".") && !strings.HasSuffix(m[1], "_") { // a prefix completed at run time, checked below
				uses[m[1]] = f
			}
		}
	}
	if len(uses) < 100 {
		t.Fatalf("found only %d messages in use", len(uses))
	}
	for id, f := range uses {
		if !has(id) {
			t.Errorf("%s uses %q, which en.toml lacks", f, id)
		}
	}
	// Messages whose IDs are built at run time.
	for base := range languageNames {
		uses["language."+base] = "languageNameIn"
	}
	for key := range vigie.PublicationTypeNames {
		if got := publicationType("en", key); strings.HasPrefix(got, "pubtype.") {
			t.Errorf("publication type %q has no message", key)
		}
	}
	for _, field := range []string{"type", "year", "country", "region", "page"} {
		uses["filter.field."+field] = "filterProblemIn"
	}
	for _, kind := range vigie.TranslationKinds {
		uses["translate.kind."+kind] = "translation status"
		for _, f := range vigie.TranslatableFields[kind] {
			uses["translate.field."+f+"_label"] = "translation form"
		}
	}
	for _, k := range []vigie.ChangeKind{vigie.ChangeUp, vigie.ChangeDown, vigie.ChangeRating, vigie.ChangeNew, vigie.ChangeRevised} {
		uses["change."+string(k)] = "timeline"
		uses["changes.heading_"+string(k)] = "changes"
		uses["changes.meaning_"+string(k)] = "changes"
	}
	for _, col := range indicatorColumns {
		uses["indicator.col_"+col.key] = "indicator table"
	}
	for _, k := range vigie.SearchKinds() {
		uses["search.kind_"+string(k)] = "search"
	}
	for m := 1; m <= 12; m++ {
		uses["month."+strconv.Itoa(m)] = "Date"
	}
	for id, f := range uses {
		if !has(id) {
			t.Errorf("%s uses %q, which en.toml lacks", f, id)
		}
	}
}

// The reference country in French and Spanish: interface, country name,
// indicator names and rating labels in the language, the untranslated
// explanation marked, and the marks gone once an editor translates it.
func TestCountryPageInFrenchAndSpanish(t *testing.T) {
	s, st := testSite(t)
	for _, tt := range []struct {
		lang, name, h2, assessed, indicator, rating, note, region string
	}{
		{"fr", "Mali", "Organisations membres", "1 indicateur évalué sur 9", "Âge du consentement", "Pas encore évalué",
			"Pas encore traduit — affiché en anglais.", "Afrique"},
		{"es", "Malí", "Organizaciones miembro", "1 indicador evaluado de 9", "Edad de consentimiento", "Aún no evaluado",
			"Aún sin traducir: se muestra en inglés.", "África"},
	} {
		doc := page(t, s, "/"+tt.lang+"/countries/mali", http.StatusOK)
		if got, _ := doc.Find("html").Attr("lang"); got != tt.lang {
			t.Errorf("%s: <html lang=%q>", tt.lang, got)
		}
		if got := textOf(doc.Find("h1")); got != tt.name {
			t.Errorf("%s: h1 %q", tt.lang, got)
		}
		if got := textOf(doc.Find("p.lede")); !strings.Contains(got, tt.assessed) || !strings.Contains(got, tt.region) {
			t.Errorf("%s: lede %q, want %q and %q", tt.lang, got, tt.assessed, tt.region)
		}
		if got := textOf(doc.Find("#organisations-h")); got != tt.h2 {
			t.Errorf("%s: %q, want %q", tt.lang, got, tt.h2)
		}
		if got := textOf(doc.Find("#age-of-consent-h")); got != tt.indicator {
			t.Errorf("%s: indicator %q, want %q", tt.lang, got, tt.indicator)
		}
		if got := textOf(doc.Find("#age-of-consent .badge")); got != tt.rating {
			t.Errorf("%s: rating %q, want %q", tt.lang, got, tt.rating)
		}
		ex := doc.Find("#extraterritoriality-extradition")
		if got := textOf(ex.Find("p.untr")); got != tt.note {
			t.Errorf("%s: note %q, want %q", tt.lang, got, tt.note)
		}
		if got, _ := ex.Find(".explanation").Attr("lang"); got != "en" {
			t.Errorf("%s: the English explanation has lang=%q", tt.lang, got)
		}
		if f := doc.Find("aside.featured"); f.Find("[lang=en]").Length() != 1 || f.Find(".untr").Length() != 1 {
			t.Errorf("%s: the untranslated featured story is not marked as English: %q", tt.lang, textOf(f))
		}
		// Links keep the language; the switcher and the alternates name the others.
		doc.Find("main a[href^='/']").Each(func(_ int, a *goquery.Selection) {
			href, _ := a.Attr("href")
			file := strings.Contains(path.Base(strings.SplitN(href, "?", 2)[0]), ".") // feeds, downloads: one address in every language
			if !strings.HasPrefix(href, "/"+tt.lang+"/") && !file {
				t.Errorf("%s: link %q leaves the language", tt.lang, href)
			}
		})
		var alts []string
		doc.Find("link[rel=alternate][hreflang]").Each(func(_ int, l *goquery.Selection) {
			h, _ := l.Attr("hreflang")
			href, _ := l.Attr("href")
			alts = append(alts, h+"="+href)
		})
		if want := []string{"en=/countries/mali", "fr=/fr/countries/mali", "es=/es/countries/mali", "x-default=/countries/mali"}; !slices.Equal(alts, want) {
			t.Errorf("%s: alternates %v, want %v", tt.lang, alts, want)
		}
		if n := doc.Find("nav.langs a[hreflang]").Length(); n != 2 {
			t.Errorf("%s: the switcher links to %d other languages", tt.lang, n)
		}
	}

	// An editor's translation replaces the English and its note.
	svc := vigie.NewService(st)
	admin := vigie.CommandLine("test")
	if _, err := svc.SaveTranslations(context.Background(), admin, []vigie.Translation{{
		Kind: vigie.KindAssessment, Key: vigie.AssessmentKey("ML", "extraterritoriality-extradition"), Field: "explanation",
		Lang: "fr", Text: "Les tribunaux maliens peuvent juger les ressortissants pour des infractions commises à l’étranger.",
		SourceVersion: vigie.SourceVersion(maliExplanation)}}); err != nil {
		t.Fatal(err)
	}
	doc := page(t, s, "/fr/countries/mali", http.StatusOK)
	ex := doc.Find("#extraterritoriality-extradition")
	if ex.Find("p.untr").Length() != 0 || !strings.Contains(textOf(ex.Find(".explanation")), "Les tribunaux maliens") {
		t.Errorf("after translating: %q", textOf(ex))
	}
	if got, ok := ex.Find(".explanation").Attr("lang"); ok {
		t.Errorf("the translated explanation has lang=%q", got)
	}
	entries, err := st.AuditLog(context.Background(), vigie.AuditFilter{Limit: 1})
	if err != nil || len(entries) != 1 || entries[0].Action != "translation.save" {
		t.Errorf("audit: %+v, %v", entries, err)
	}
}

// Accept-Language decides only at "/", and says so in Vary.
func TestAcceptLanguageOnlyAtRoot(t *testing.T) {
	s, _ := testSite(t)
	res, _ := get(t, s, "/", "Accept-Language", "fr-FR,fr;q=0.9,en;q=0.5")
	if res.StatusCode != http.StatusFound || res.Header.Get("Location") != "/fr/" {
		t.Errorf("French browser at /: %d → %q", res.StatusCode, res.Header.Get("Location"))
	}
	if !slices.Contains(res.Header.Values("Vary"), "Accept-Language") {
		t.Errorf("redirect Vary %q", res.Header.Values("Vary"))
	}
	res, _ = get(t, s, "/", "Accept-Language", "es-MX")
	if res.Header.Get("Location") != "/es/" {
		t.Errorf("Spanish browser at /: %q", res.Header.Get("Location"))
	}
	res, _ = get(t, s, "/", "Accept-Language", "de-DE")
	if res.StatusCode != http.StatusOK || !strings.Contains(strings.Join(res.Header.Values("Vary"), ","), "Accept-Language") {
		t.Errorf("German browser at /: %d, Vary %q", res.StatusCode, res.Header.Values("Vary"))
	}
	// Following the switcher's link to English from a French page stays in English.
	res, _ = get(t, s, "/", "Accept-Language", "fr", "Referer", "http://example.com/fr/countries")
	if res.StatusCode != http.StatusOK {
		t.Errorf("from this site's French page to /: %d", res.StatusCode)
	}
	res, _ = get(t, s, "/?lang=en", "Accept-Language", "fr")
	if res.StatusCode != http.StatusOK {
		t.Errorf("/?lang=en: %d", res.StatusCode)
	}
	for _, p := range []string{"/countries", "/countries/mali", "/fr/countries"} {
		if res, _ := get(t, s, p, "Accept-Language", "es"); res.StatusCode != http.StatusOK {
			t.Errorf("%s with a Spanish browser: %d", p, res.StatusCode)
		}
	}
	if res, _ := get(t, s, "/fr"); res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != "/fr/" {
		t.Errorf("/fr: %d → %q", res.StatusCode, res.Header.Get("Location"))
	}
	doc := page(t, s, "/es/", http.StatusOK)
	if got, _ := doc.Find("html").Attr("lang"); got != "es" {
		t.Errorf("/es/ lang %q", got)
	}
	if res, _ := get(t, s, "/fr/countries/ML"); res.Header.Get("Location") != "/fr/countries/mali" {
		t.Errorf("/fr/countries/ML → %q", res.Header.Get("Location"))
	}
}

// The page cache keys by the whole address: each language is cached apart.
func TestPageCacheKeepsLanguagesApart(t *testing.T) {
	s, _ := testSite(t)
	s.WithPageCache(time.Minute)
	for _, p := range []string{"/countries", "/fr/countries", "/es/countries", "/countries", "/fr/countries"} {
		want := "en"
		if l, _ := splitLang(p); l != "en" {
			want = l
		}
		doc := page(t, s, p, http.StatusOK)
		if got, _ := doc.Find("html").Attr("lang"); got != want {
			t.Errorf("%s (cached?) is in %q", p, got)
		}
	}
}

// Every public page type answers in French and Spanish.
func TestEveryPageInEveryLanguage(t *testing.T) {
	s, _ := testSite(t)
	for _, lang := range []string{"", "/fr", "/es"} {
		for _, p := range []string{"/", "/countries", "/countries/mali", "/countries/niger", "/indicators",
			"/indicators/age-of-consent", "/news", "/news/" + featuredSlug, "/publications", "/organisations",
			"/news?country=mali", "/publications?type=legal-checklist", "/login"} {
			path := lang + p
			if lang != "" && p == "/" {
				path = lang + "/"
			}
			doc := page(t, s, path, http.StatusOK)
			if lang == "" {
				continue
			}
			// No message ID shows through: every key is in the catalogue.
			if txt := doc.Find("body").Text(); regexp.MustCompile(`\b[a-z]+\.[a-z_]+\.?[a-z_]*\b`).MatchString(txt) {
				for _, m := range regexp.MustCompile(`\b(layout|nav|home|country|countries|news|pub|org|filter|error|tr|pager|directory|indicators|assessment|contact)\.[a-z_]+`).FindAllString(txt, -1) {
					t.Errorf("%s shows the message ID %q", path, m)
				}
			}
		}
	}
}

// TestTemplatesHaveNoBareText fails on interface text written into a
// template rather than taken from the catalogues: text between tags and
// the readable attributes (placeholder, title, aria-label, alt) must come
// from {{t "…"}} or from the data. Proper names and symbols are allowed.
func TestTemplatesHaveNoBareText(t *testing.T) {
	action := regexp.MustCompile(`(?s)\{\{.*?\}\}`)
	skip := regexp.MustCompile(`(?is)<(script|style)\b.*?</(script|style)>|<!--.*?-->`)
	text := regexp.MustCompile(`>([^<>]*)<`)
	attr := regexp.MustCompile(`\b(placeholder|title|aria-label|alt)="([^"]*)"`)
	word := regexp.MustCompile(`\p{L}{2,}`)
	allowed := map[string]bool{"Vigie": true, "CSV": true, "JSON": true, "XLSX": true, "PDF": true, "API": true, "OpenAPI": true, "Atom": true, "URL": true, "ISO": true, "ETag": true}
	bare := func(s string) string {
		for _, w := range word.FindAllString(s, -1) {
			if !allowed[w] {
				return strings.TrimSpace(s)
			}
		}
		return ""
	}
	files, _ := filepath.Glob("templates/*")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		src := skip.ReplaceAllString(action.ReplaceAllString(string(b), " "), " ")
		for _, m := range text.FindAllStringSubmatch(src, -1) {
			if s := bare(m[1]); s != "" {
				t.Errorf("%s: text %q is not from the catalogues", f, s)
			}
		}
		for _, m := range attr.FindAllStringSubmatch(src, -1) {
			if s := bare(m[2]); s != "" {
				t.Errorf("%s: %s=%q is not from the catalogues", f, m[1], s)
			}
		}
	}
}

// Refusals of bad addresses and form values are in the reader's language.
func TestBadInputAnsweredInTheReadersLanguage(t *testing.T) {
	s, _ := testSite(t)
	for _, tt := range []struct {
		path   string
		status int
		want   string
	}{
		{"/fr/search?q=loi&kind=zzz", http.StatusBadRequest, "« zzz » n’est pas un type de résultat"},
		{"/es/search?q=ley&page=99", http.StatusBadRequest, "«99» no es un número de página del 1 al 50."},
		{"/fr/search?q=loi&country=QQ", http.StatusBadRequest, "n’est le code ISO d’aucun pays"},
		{"/countries/atlantida/news.atom", http.StatusNotFound, "so there is no news feed for it"}, // feeds have one address
	} {
		doc := page(t, s, tt.path, tt.status)
		if got := textOf(doc.Find("main")); !strings.Contains(got, tt.want) {
			t.Errorf("%s: %q, want %q", tt.path, got, tt.want)
		}
	}
}

// TestConstantCallsInSafeContexts guards parseLocalized, which writes the
// text of {{t "id"}} and {{url "/path"}} into templates HTML-escaped: that
// is right in text and in quoted attributes, not in a script, a style or
// an unquoted attribute, and a message is never a URL.
func TestConstantCallsInSafeContexts(t *testing.T) {
	tag := regexp.MustCompile(`<[^<>]*$`)
	quotedAttr := regexp.MustCompile(`\s([a-z-]+)="[^"]*$`)
	files, _ := filepath.Glob("templates/*")
	checked := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		src := string(b)
		// The context is read with every action blanked out: the quotes
		// of their strings are not the page's.
		masked := regexp.MustCompile(`(?s)\{\{.*?\}\}`).ReplaceAllStringFunc(src, func(a string) string { return strings.Repeat("x", len(a)) })
		if strings.Contains(src, "<script") || strings.Contains(src, "<style") {
			t.Errorf("%s: a script or style would need its own escaping", f)
		}
		for _, re := range []*regexp.Regexp{constantMessage, constantURL} {
			for _, loc := range re.FindAllStringIndex(src, -1) {
				checked++
				before := masked[:loc[0]]
				if tag.FindString(before) == "" {
					continue // text
				}
				m := quotedAttr.FindStringSubmatch(before)
				switch {
				case m == nil:
					t.Errorf("%s: %s is in a tag, not in a quoted attribute", f, src[loc[0]:loc[1]])
				case re == constantMessage && (m[1] == "href" || m[1] == "src" || m[1] == "action" || strings.HasPrefix(m[1], "on") || m[1] == "style"):
					t.Errorf("%s: message %s in %s=", f, src[loc[0]:loc[1]], m[1])
				}
			}
		}
	}
	if checked < 100 {
		t.Fatalf("only %d constant calls found", checked)
	}
}

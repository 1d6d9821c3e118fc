package web

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/web/i18n"
)

// errorFormatDirs are the packages whose errors reach the web pages: the
// domain, the web layer itself, the file store and the SQLite store.
var errorFormatDirs = []string{"..", ".", "../files", "../sqlite"}

// untranslatedErrors are formats that only developers or the command line
// see; they stay in English.
var untranslatedErrors = map[string]bool{
	// sqlite/restore.go and sqlite/editions.go: `vigie restore` and
	// `vigie edition publish`, run from the command line.
	"revision %d of %s/%s is already stored and differs in %s; a restore never rewrites history": true,
	"only a published revision can be the published state, not a %s one":                         true,
	"given twice": true,
	"the edition %q was published on %s; editions never change, choose another name": true,
	// sqlite/writes.go: a slug clash the service avoids before writing.
	"no free slug for %q": true,
	// sqlite/revisions.go: states the web forms never send.
	"a new revision is a draft or submitted, not %q": true,
	"a review publishes or returns, not %q":          true,
}

var errorCall = regexp.MustCompile(`(?:\bErrorf\(\s*(?:vigie\.)?E[A-Z]+,\s*|\bFieldError\(\s*[^,()]+,\s*)("(?:[^"\\\n]|\\.)*"|` + "`[^`]*`" + `)`)

// TestErrorFormatsHaveMessages fails on a format passed to vigie.Errorf
// or vigie.FieldError that has no message in the catalogues, so that a
// new domain error cannot stay English on the French and Spanish pages.
func TestErrorFormatsHaveMessages(t *testing.T) {
	seen := 0
	for _, dir := range errorFormatDirs {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range errorCall.FindAllStringSubmatch(string(b), -1) {
				format, err := strconv.Unquote(m[1])
				if err != nil {
					t.Fatalf("%s: %s: %v", f, m[1], err)
				}
				seen++
				if untranslatedErrors[format] {
					continue
				}
				id, ok := errorMessages[format]
				if !ok {
					t.Errorf("%s: no catalogue message for %q: add it to errorMessages (web/errtext.go) and web/i18n/errors.*.toml", f, format)
					continue
				}
				for _, lang := range i18n.Languages {
					msg, ok := i18n.Default().Message(lang, "err."+id)
					if !ok {
						t.Errorf("errors.%s.toml lacks err.%s (%q)", lang, id, format)
						continue
					}
					// The message has one {{.Vn}} per verb.
					for n := 1; n <= len(formatVerbs(format)); n++ {
						if !strings.Contains(msg.Other, "{{.V"+strconv.Itoa(n)+"}}") {
							t.Errorf("%s: err.%s lacks {{.V%d}} for %q", lang, id, n, format)
						}
					}
				}
			}
		}
	}
	if seen < 80 {
		t.Errorf("found only %d error formats: does errorCall still match the calls?", seen)
	}
	// Every message in the map exists, and the map names none twice.
	ids := map[string]string{}
	for format, id := range errorMessages {
		if other, dup := ids[id]; dup {
			t.Errorf("err.%s is the message of both %q and %q", id, format, other)
		}
		ids[id] = format
		if _, ok := i18n.Default().Message("en", "err."+id); !ok {
			t.Errorf("errors.en.toml lacks err.%s (%q)", id, format)
		}
	}
	for w := range errorWords {
		for _, lang := range i18n.Languages {
			if got := i18n.Default().T(lang, "err.word."+w); got == "err.word."+w {
				t.Errorf("errors.%s.toml lacks err.word.%s", lang, w)
			}
		}
	}
}

func TestFormatVerbs(t *testing.T) {
	for format, want := range map[string][]string{
		"%04d-%02d has no day %d":          {"%04d", "%02d", "%d"},
		"%q is not %q":                     {"%q", "%q"},
		"100%% sure about %s, not %-5v":    {"%s", "%-5v"},
		"is required":                      nil,
		"a dangling %":                     nil,
		"your role (%s) may not %s for %s": {"%s", "%s", "%s"},
	} {
		if got := formatVerbs(format); !slices.Equal(got, want) {
			t.Errorf("formatVerbs(%q) = %q, want %q", format, got, want)
		}
	}
}

func TestErrorTextInEachLanguage(t *testing.T) {
	for _, tt := range []struct {
		err        *vigie.Error
		lang, want string
	}{
		{vigie.FieldError("as_of", "%q is not a date: use YYYY, YYYY-MM or YYYY-MM-DD", "2020-13"), "fr",
			"«\u00a02020-13\u00a0» n’est pas une date\u00a0: écrivez AAAA, AAAA-MM ou AAAA-MM-JJ."},
		{vigie.FieldError("as_of", "%q is not a date: use YYYY, YYYY-MM or YYYY-MM-DD", "2020-13"), "es",
			"«2020-13» no es una fecha: use AAAA, AAAA-MM o AAAA-MM-DD."},
		// Years are not grouped like counts: 2023, not 2 023.
		{vigie.FieldError("as_of", "%04d-%02d has no day %d", 2023, 2, 30), "fr", "Le mois 2023-02 n’a pas de jour 30."},
		{vigie.FieldError("as_of", "%04d-%02d has no day %d", 999, 4, 31), "es", "El mes 0999-04 no tiene día 31."},
		// A closing parenthesis ends the sentence, as in English.
		{vigie.Errorf(vigie.ERATELIMIT, "too many failed sign-ins; try again in %d minute(s)", 15), "es",
			"Demasiados intentos fallidos de inicio de sesión; vuelva a intentarlo dentro de 15 minuto(s)"},
		// Code words are named in the reader's language.
		{vigie.Errorf(vigie.EFORBIDDEN, "your role (%s) may not %s", vigie.RoleMember, vigie.ActReviewAssessment), "fr",
			"Votre rôle (membre) ne vous permet pas de relire des évaluations."},
		{vigie.Errorf(vigie.EFORBIDDEN, "you wrote revision %d; another reviewer must %s it", 3, "publish"), "es",
			"Usted redactó la revisión 3; otra persona revisora debe publicarla."},
		// A format without a message, and an unknown language, stay English.
		{vigie.FieldError("x", "no message for %q", "this"), "fr", `No message for "this".`},
		{vigie.FieldError("as_of", "year %d is out of range", 12000), "de", "Year 12000 is out of range."},
	} {
		if got := errorText(tt.lang, tt.err); got != tt.want {
			t.Errorf("%s: %q\n got %q\nwant %q", tt.lang, tt.err.Message, got, tt.want)
		}
	}

	// English is the domain's own text, exactly as the pages showed it.
	for format, id := range errorMessages {
		verbs := formatVerbs(format)
		args := make([]any, len(verbs))
		for i, v := range verbs {
			if strings.HasSuffix(v, "d") {
				args[i] = 7 + i
			} else {
				args[i] = "draft"
			}
		}
		e := vigie.Errorf(vigie.EINVALID, format, args...)
		if got := errorText("en", e); got != sentence(e.Message) {
			t.Errorf("en: err.%s: %q, want %q", id, got, sentence(e.Message))
		}
		if got := errLine("en", e); got != e.Error() {
			t.Errorf("en: errLine: %q, want %q", got, e.Error())
		}
		for _, lang := range []string{"fr", "es"} {
			got := errorText(lang, e)
			if got == sentence(e.Message) || strings.Contains(got, "{{") || strings.Contains(got, "<no value>") ||
				strings.Contains(got, "err.") {
				t.Errorf("%s: err.%s is not translated: %q", lang, id, got)
			}
		}
	}
	if got := errText("fr", os.ErrNotExist); got != "File does not exist." {
		t.Errorf("an error that is not a vigie.Error: %q", got)
	}
}

// A French reader who mistypes a password reads why in French, and the
// set-password form shows the domain's length rule in French too.
func TestFrenchFormShowsFrenchError(t *testing.T) {
	e := newEditorsSite(t)
	e.addUser("ana@example.org", vigie.RoleResearcher)
	c := e.visitor("192.0.2.30:1000")
	res, body := c.post("/fr/login", url.Values{"email": {"ana@example.org"}, "password": {"wrong password!"}})
	if res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("wrong password: %d\n%s", res.StatusCode, body)
	}
	want := "L’adresse e-mail ou le mot de passe est incorrect."
	if !strings.Contains(body, want) {
		t.Errorf("the French sign-in page does not say %q:\n%s", want, body)
	}
	if strings.Contains(body, "The email or the password is wrong") {
		t.Error("the French sign-in page shows the English error")
	}
	// The English page is unchanged.
	res, body = e.visitor("192.0.2.31:1000").post("/login", url.Values{"email": {"ana@example.org"}, "password": {"wrong password!"}})
	if res.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "The email or the password is wrong.") {
		t.Errorf("English sign-in: %d\n%s", res.StatusCode, body)
	}
}

package i18n

import (
	"regexp"
	"slices"
	"testing"
	"time"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/feature/plural"
)

// TestCataloguesComplete fails on a message missing from a language, on
// one only a translation has, on a plural message without its forms and
// on a translation that drops or invents a {{.Value}}.
func TestCataloguesComplete(t *testing.T) {
	c := Default()
	en := c.IDs("en")
	if len(en) < 100 {
		t.Fatalf("only %d English messages", len(en))
	}
	placeholder := regexp.MustCompile(`\{\{\s*\.(\w+)\s*\}\}`)
	names := func(s string) []string {
		var out []string
		for _, m := range placeholder.FindAllStringSubmatch(s, -1) {
			if !slices.Contains(out, m[1]) {
				out = append(out, m[1])
			}
		}
		slices.Sort(out)
		return out
	}
	for _, lang := range Languages[1:] {
		for _, id := range en {
			m, ok := c.Message(lang, id)
			if !ok {
				t.Errorf("%s.toml lacks %q", lang, id)
				continue
			}
			src, _ := c.Message("en", id)
			if (src.One != "") != (m.One != "") {
				t.Errorf("%s: %q: plural forms differ from English", lang, id)
			}
			if m.Other == "" {
				t.Errorf("%s: %q is empty", lang, id)
			}
			for _, form := range []string{m.One, m.Other} {
				if form == "" {
					continue
				}
				if got, want := names(form), names(src.Other); !slices.Equal(got, want) && !(src.One != "" && len(got) < len(want)) {
					t.Errorf("%s: %q uses %v, English %v", lang, id, got, want)
				}
			}
		}
		for _, id := range c.IDs(lang) {
			if _, ok := c.Message("en", id); !ok {
				t.Errorf("%s.toml has %q, which en.toml does not", lang, id)
			}
		}
	}
}

func TestPluralsNumbersAndDates(t *testing.T) {
	c := Default()
	for _, tt := range []struct{ lang, one, many string }{
		{"en", "1 of 9 indicators assessed", "3 of 9 indicators assessed"},
		{"fr", "1 indicateur évalué sur 9", "3 indicateurs évalués sur 9"},
		{"es", "1 indicador evaluado de 9", "3 indicadores evaluados de 9"},
	} {
		if got := c.T(tt.lang, "country.assessed", "N", 1, "Total", 9); got != tt.one {
			t.Errorf("%s: %q, want %q", tt.lang, got, tt.one)
		}
		if got := c.T(tt.lang, "country.assessed", "N", 3, "Total", 9); got != tt.many {
			t.Errorf("%s: %q, want %q", tt.lang, got, tt.many)
		}
	}
	if got := c.T("fr", "home.browse", "N", 1234); got != "Parcourir les 1\u00a0234 pays et territoires" {
		t.Errorf("French count: %q", got)
	}
	for lang, want := range map[string]string{"en": "1,234", "fr": "1\u00a0234", "es": "1.234"} {
		if got := c.Number(lang, 1234); got != want {
			t.Errorf("%s: 1234 is %q, want %q", lang, got, want)
		}
	}
	may3 := time.Date(2024, 5, 3, 0, 0, 0, 0, time.UTC)
	for lang, want := range map[string]string{"en": "3 May 2024", "fr": "3 mai 2024", "es": "3 de mayo de 2024"} {
		if got := c.Date(lang, may3); got != want {
			t.Errorf("%s: %q, want %q", lang, got, want)
		}
	}
	if got := c.Date("fr", may3.AddDate(0, 0, -2)); got != "1er mai 2024" {
		t.Errorf("French first of the month: %q", got)
	}
	if got := c.MonthYear("es", 2018, time.December); got != "diciembre de 2018" {
		t.Errorf("Spanish month: %q", got)
	}
	if got := c.T("fr", "no.such.message"); got != "no.such.message" {
		t.Errorf("unknown message: %q", got)
	}
}

func TestMatch(t *testing.T) {
	for header, want := range map[string]string{
		"":                        "en",
		"fr-FR,fr;q=0.9,en;q=0.8": "fr",
		"es-419,es;q=0.9":         "es",
		"en-GB,en;q=0.9,fr;q=0.8": "en",
		"de-DE,de;q=0.9":          "en",
		"pt-BR,pt;q=0.9,es;q=0.5": "es",
		"garbage;;;q=x":           "en",
		"fr-CA":                   "fr",
		"*":                       "en",
	} {
		if got := Match(header); got != want {
			t.Errorf("Match(%q) = %q, want %q", header, got, want)
		}
	}
}

// TestFilledMessagesMatchGoI18n checks T's shortcut for messages whose only
// actions are {{.Name}} against go-i18n's own rendering of each of them.
func TestFilledMessagesMatchGoI18n(t *testing.T) {
	c := Default()
	checked := 0
	for _, lang := range Languages {
		for id, ps := range c.filled[lang] {
			var args []any
			data := map[string]any{}
			for i, p := range ps {
				if p.name == "" {
					continue
				}
				if i%2 == 0 {
					args = append(args, p.name, 1234)
					data[p.name] = c.Number(lang, 1234)
				} else {
					args = append(args, p.name, "«"+p.name+"»")
					data[p.name] = "«" + p.name + "»"
				}
			}
			want, err := c.localizers[lang].Localize(&goi18n.LocalizeConfig{MessageID: id, TemplateData: data})
			if err != nil {
				t.Fatalf("%s %s: %v", lang, id, err)
			}
			if got := c.T(lang, id, args...); got != want {
				t.Errorf("%s %s: %q, go-i18n says %q", lang, id, got, want)
			}
			checked++
		}
	}
	if checked < 50 {
		t.Fatalf("only %d messages take the shortcut", checked)
	}
}

// TestPluralMessagesMatchGoI18n checks T's shortcut for messages with
// plural forms, which picks the form by x/text's CLDR rules, against
// go-i18n's own choice and rendering, for counts that reach every form.
func TestPluralMessagesMatchGoI18n(t *testing.T) {
	c := Default()
	counts := []int{0, 1, 2, 3, 5, 11, 21, 100, 101, 1000, 1234, 1000000, 2000000, -1}
	checked := 0
	for _, lang := range Languages {
		for id, fs := range c.plurals[lang] {
			names := map[string]bool{"N": true}
			for _, ps := range fs {
				for _, p := range ps {
					if p.name != "" {
						names[p.name] = true
					}
				}
			}
			for _, n := range counts {
				args := []any{"N", n}
				data := map[string]any{"N": c.Number(lang, n)}
				for name := range names {
					if name != "N" {
						args = append(args, name, "«"+name+"»")
						data[name] = "«" + name + "»"
					}
				}
				want, err := c.localizers[lang].Localize(&goi18n.LocalizeConfig{MessageID: id, TemplateData: data, PluralCount: n})
				if err != nil {
					// go-i18n fails where the message lacks the form (French
					// "many" for millions); T falls back on the form other.
					other := fs[plural.Other]
					if got := c.T(lang, id, args...); got != c.fill(lang, other, args) {
						t.Errorf("%s %s N=%d: %q, not the form other (go-i18n: %v)", lang, id, n, got, err)
					}
					continue
				}
				if got := c.T(lang, id, args...); got != want {
					t.Errorf("%s %s N=%d: %q, go-i18n says %q", lang, id, n, got, want)
				}
				checked++
			}
		}
	}
	if checked < 50*len(counts) {
		t.Fatalf("only %d plural messages take the shortcut", checked/len(counts))
	}
}

// TestFrenchSpacing keeps French punctuation on the line of its word: the
// space before : ; ! ? and » and after « is a no-break space (U+00A0), so
// that a narrow phone screen never starts a line with a colon.
func TestFrenchSpacing(t *testing.T) {
	c := Default()
	bad := regexp.MustCompile(`[ \t][:;!?»]|«[ \t]`)
	checked := 0
	for _, id := range c.IDs("fr") {
		m, _ := c.Message("fr", id)
		for _, text := range []string{m.Zero, m.One, m.Two, m.Few, m.Many, m.Other} {
			if loc := bad.FindStringIndex(text); loc != nil {
				t.Errorf("fr %s: ordinary space at %q", id, text[max(loc[0]-10, 0):min(loc[1]+10, len(text))])
			}
			checked++
		}
	}
	if checked == 0 {
		t.Fatal("no French messages")
	}
}

// Package i18n holds the site's interface texts in English, French and
// Spanish, and formats numbers and dates for each.
//
// Why go-i18n for the catalogues rather than golang.org/x/text/message:
// the catalogues are plain TOML files that translators edit without Go
// (x/text/message keeps them in Go code or generated from gotext's JSON),
// each message has its CLDR plural forms beside it ("one", "many",
// "other"), and a missing message is an error we can test for. Numbers
// still go through x/text/message, which knows each language's grouping
// (1,234 · 1 234 · 1.234), and languages are matched with x/text/language.
package i18n

import (
	"embed"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// Each language's catalogue is LANG.toml (the public site) plus any
// PART.LANG.toml (e.g. edit.fr.toml for the editors' workspace), so that
// parts of the interface are translated in files of a readable size.
//
//go:embed *.toml
var files embed.FS

// Languages are the site's languages, English (the default, served at the
// root of the site) first.
var Languages = []string{"en", "fr", "es"}

var tags = []language.Tag{language.English, language.French, language.Spanish}

// Catalog is the loaded catalogues. It is safe for concurrent use.
type Catalog struct {
	localizers map[string]*goi18n.Localizer
	plain      map[string]map[string]string  // messages without data or plural forms
	filled     map[string]map[string][]piece // messages whose data is only {{.Name}}, without plural forms
	plurals    map[string]map[string]forms   // messages with plural forms, each form as filled
	messages   map[string]map[string]*goi18n.Message
	printers   map[string]*message.Printer
	tags       map[string]language.Tag
}

// Default returns the embedded catalogues, loaded on first use.
var Default = sync.OnceValue(func() *Catalog {
	c, err := Load(files)
	if err != nil {
		panic("i18n: " + err.Error())
	}
	return c
})

// Load reads LANG.toml and every PART.LANG.toml for every language from
// fsys. A message defined twice in one language is an error.
func Load(fsys fs.FS) (*Catalog, error) {
	bundle := goi18n.NewBundle(language.English)
	bundle.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	c := &Catalog{
		localizers: map[string]*goi18n.Localizer{},
		plain:      map[string]map[string]string{},
		filled:     map[string]map[string][]piece{},
		plurals:    map[string]map[string]forms{},
		messages:   map[string]map[string]*goi18n.Message{},
		printers:   map[string]*message.Printer{},
		tags:       map[string]language.Tag{},
	}
	for i, lang := range Languages {
		parts, err := fs.Glob(fsys, "*."+lang+".toml")
		if err != nil {
			return nil, err
		}
		c.plain[lang] = map[string]string{}
		c.filled[lang] = map[string][]piece{}
		c.plurals[lang] = map[string]forms{}
		c.messages[lang] = map[string]*goi18n.Message{}
		var messages []*goi18n.Message
		for _, name := range append([]string{lang + ".toml"}, parts...) {
			data, err := fs.ReadFile(fsys, name)
			if err != nil {
				return nil, err
			}
			// go-i18n reads the language from the file name: give it
			// LANG.toml whatever the part.
			mf, err := bundle.ParseMessageFileBytes(data, lang+".toml")
			if err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			for _, m := range mf.Messages {
				if _, dup := c.messages[lang][m.ID]; dup {
					return nil, fmt.Errorf("%s: %q is already defined in another %s catalogue", name, m.ID, lang)
				}
				c.messages[lang][m.ID] = m
			}
			messages = append(messages, mf.Messages...)
		}
		for _, m := range messages {
			c.messages[lang][m.ID] = m
			if m.One == "" && m.Many == "" && m.Few == "" && m.Two == "" && m.Zero == "" && !strings.Contains(m.Other, "{{") {
				c.plain[lang][m.ID] = m.Other
			} else if m.One == "" && m.Many == "" && m.Few == "" && m.Two == "" && m.Zero == "" {
				if p, ok := pieces(m.Other); ok {
					c.filled[lang][m.ID] = p
				}
			} else if f, ok := pluralForms(m); ok {
				c.plurals[lang][m.ID] = f
			}
		}
		c.localizers[lang] = goi18n.NewLocalizer(bundle, lang)
		c.printers[lang] = message.NewPrinter(tags[i])
		c.tags[lang] = tags[i]
	}
	return c, nil
}

// Supported reports whether lang is one of the site's languages.
func Supported(lang string) bool { return slices.Contains(Languages, lang) }

// IDs lists the message IDs of one language's catalogue, sorted.
func (c *Catalog) IDs(lang string) []string {
	var out []string
	for id := range c.messages[lang] {
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}

// Plain returns a message that has neither data nor plural forms: the
// same text wherever it is shown.
func (c *Catalog) Plain(lang, id string) (string, bool) {
	s, ok := c.plain[lang][id]
	return s, ok
}

// Message returns a message of one language's catalogue, for tests.
func (c *Catalog) Message(lang, id string) (*goi18n.Message, bool) {
	m, ok := c.messages[lang][id]
	return m, ok
}

// T returns message id in lang. args are pairs of a name and a value that
// the message shows as {{.Name}}; numbers are formatted for lang, and the
// value named N chooses the plural form. An unknown id comes back as
// itself, which tests look for.
func (c *Catalog) T(lang, id string, args ...any) string {
	if !Supported(lang) {
		lang = "en"
	}
	if len(args) == 0 {
		if s, ok := c.plain[lang][id]; ok {
			return s
		}
	}
	if p, ok := c.filled[lang][id]; ok {
		return c.fill(lang, p, args)
	}
	if f, ok := c.plurals[lang][id]; ok {
		if p := f.choose(c.tags[lang], args); p != nil {
			return c.fill(lang, p, args)
		}
	}
	data := make(map[string]any, len(args)/2)
	var count any
	for i := 0; i+1 < len(args); i += 2 {
		name := fmt.Sprint(args[i])
		v := args[i+1]
		if name == "N" {
			count = v
		}
		switch n := v.(type) {
		case int, int64:
			v = c.printers[lang].Sprintf("%d", n)
		}
		data[name] = v
	}
	msg, _ := c.localizers[lang].Localize(&goi18n.LocalizeConfig{MessageID: id, TemplateData: data, PluralCount: count})
	if msg == "" {
		return id
	}
	return msg
}

// piece is a part of a message: literal text, then the value named name
// (none at the end).
type piece struct{ text, name string }

var placeholder = regexp.MustCompile(`\{\{\s*\.(\w+)\s*\}\}`)

// pieces splits a message whose only template actions are {{.Name}}; ok is
// false for anything else, which go-i18n's templates then execute.
func pieces(msg string) (out []piece, ok bool) {
	last := 0
	for _, m := range placeholder.FindAllStringSubmatchIndex(msg, -1) {
		out = append(out, piece{msg[last:m[0]], msg[m[2]:m[3]]})
		last = m[1]
	}
	tail := msg[last:]
	if strings.Contains(tail, "{{") || strings.Contains(tail, "}}") {
		return nil, false
	}
	for _, p := range out {
		if strings.Contains(p.text, "{{") {
			return nil, false
		}
	}
	return append(out, piece{text: tail}), true
}

// forms are the plural forms of a message, each split into pieces.
type forms map[plural.Form][]piece

func pluralForms(m *goi18n.Message) (forms, bool) {
	f := forms{}
	for form, text := range map[plural.Form]string{plural.Zero: m.Zero, plural.One: m.One, plural.Two: m.Two,
		plural.Few: m.Few, plural.Many: m.Many, plural.Other: m.Other} {
		if text == "" {
			continue
		}
		p, ok := pieces(text)
		if !ok {
			return nil, false
		}
		f[form] = p
	}
	return f, true
}

// choose picks the form for the whole number named N among args by the
// CLDR rules, as go-i18n does, or the form other when the message lacks
// that one; nil when N is not a whole number, which go-i18n then handles.
func (f forms) choose(tag language.Tag, args []any) []piece {
	for i := 0; i+1 < len(args); i += 2 {
		if name, _ := args[i].(string); name != "N" {
			continue
		}
		var n int
		switch v := args[i+1].(type) {
		case int:
			n = v
		case int64:
			n = int(v)
		default:
			return nil
		}
		if n < 0 {
			n = -n
		}
		if p, ok := f[plural.Cardinal.MatchPlural(tag, n, 0, 0, 0, 0)]; ok {
			return p
		}
		// French says "1 000 000 de pays" (form many), which catalogues
		// rarely write: the ordinary plural reads well enough.
		return f[plural.Other]
	}
	return nil
}

// fill writes a message of pieces with args, formatted as T formats them,
// without the cost of executing a template: pages show hundreds of these.
func (c *Catalog) fill(lang string, ps []piece, args []any) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(p.text)
		if p.name == "" {
			continue
		}
		for i := 0; i+1 < len(args); i += 2 {
			if name, _ := args[i].(string); name != p.name {
				continue
			}
			switch v := args[i+1].(type) {
			case string:
				b.WriteString(v)
			case int, int64:
				b.WriteString(c.printers[lang].Sprintf("%d", v))
			default:
				fmt.Fprint(&b, v)
			}
			break
		}
	}
	return b.String()
}

// Number writes n with lang's digit grouping: 1,234 · 1 234 · 1.234.
func (c *Catalog) Number(lang string, n int) string {
	p, ok := c.printers[lang]
	if !ok {
		p = c.printers["en"]
	}
	return p.Sprintf("%d", n)
}

// Date writes a calendar date as readers of lang write it: "3 May 2024",
// "3 mai 2024", "3 de mayo de 2024".
func (c *Catalog) Date(lang string, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	day := strconv.Itoa(t.Day())
	if t.Day() == 1 {
		day = c.T(lang, "date.first_day")
	}
	return c.T(lang, "date.day", "Day", day, "Month", c.month(lang, t.Month()), "Year", strconv.Itoa(t.Year()))
}

// MonthYear writes a month: "May 2024", "mai 2024", "mayo de 2024".
func (c *Catalog) MonthYear(lang string, year int, month time.Month) string {
	return c.T(lang, "date.month", "Month", c.month(lang, month), "Year", strconv.Itoa(year))
}

func (c *Catalog) month(lang string, m time.Month) string {
	return c.T(lang, "month."+strconv.Itoa(int(m)))
}

var matcher = language.NewMatcher(tags)

// Match chooses the site's language for an Accept-Language header:
// English unless the reader prefers French or Spanish to it.
func Match(acceptLanguage string) string {
	prefs, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(prefs) == 0 {
		return "en"
	}
	_, i, conf := matcher.Match(prefs...)
	if conf == language.No {
		return "en"
	}
	return Languages[i]
}

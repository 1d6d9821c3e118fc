package web

import (
	"context"
	"maps"
	"net/http"
	"slices"
	"strings"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/web/i18n"
)

// Translating content (issue #6): the status page lists, per language,
// what has no current translation; the form translates one piece of
// content field by field. Researchers and admins may translate
// (vigie.ActTranslate); every save goes through vigie.Service, which
// writes the audit entry.
func init() {
	maps.Copy(pageModels, map[string]any{
		"edit_translations": translationStatusPage{},
		"edit_translate":    translateForm{},
	})
	templateFuncs["sub"] = func(a int, b ...int) int {
		for _, n := range b {
			a -= n
		}
		return a
	}
}

func (s *Server) translationRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /edit/translations", s.handleTranslationStatus)
	mux.HandleFunc("GET /edit/translations/{lang}/{kind}/{key...}", s.handleTranslateForm)
	mux.HandleFunc("POST /edit/translations/{lang}/{kind}/{key...}", s.handleTranslateSave)
}

// sourceText is one piece of content to translate: its English fields.
type sourceText struct {
	Kind, Key string
	Title     string // what editors call it: "Age of Consent", "Mali: Age of Consent"
	Fields    []sourceField
}

type sourceField struct {
	Name, Text string
}

// translatable lists every piece of content that has English text to
// translate, in the order of vigie.TranslationKinds.
func (s *Server) translatable(ctx context.Context) ([]sourceText, error) {
	var out []sourceText
	add := func(kind, key, title string, texts ...string) {
		st := sourceText{Kind: kind, Key: key, Title: title}
		for i, f := range vigie.TranslatableFields[kind] {
			if i < len(texts) && strings.TrimSpace(texts[i]) != "" {
				st.Fields = append(st.Fields, sourceField{Name: f, Text: texts[i]})
			}
		}
		if len(st.Fields) > 0 {
			out = append(out, st)
		}
	}
	inds, err := s.source.Indicators(ctx)
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	for _, ind := range inds {
		names[ind.Key] = ind.Name
		add(vigie.KindIndicator, ind.Key, ind.Name, ind.Name, ind.Rationale)
	}
	ratings, err := s.source.Ratings(ctx)
	if err != nil {
		return nil, err
	}
	for _, r := range ratings {
		add(vigie.KindRating, r.Key, r.Label, r.Label, r.Meaning)
	}
	as, err := s.source.Assessments(ctx, vigie.AssessmentFilter{})
	if err != nil {
		return nil, err
	}
	for _, a := range as {
		add(vigie.KindAssessment, vigie.AssessmentKey(a.Country, a.Indicator),
			countryName(a.Country)+": "+names[a.Indicator], a.Explanation)
	}
	orgs, err := s.source.Organisations(ctx, vigie.OrganisationFilter{})
	if err != nil {
		return nil, err
	}
	for _, o := range orgs {
		add(vigie.KindOrganisation, o.Slug, o.DisplayName(), o.Description)
	}
	news, err := s.source.NewsItems(ctx, vigie.NewsFilter{})
	if err != nil {
		return nil, err
	}
	for _, n := range news {
		add(vigie.KindNews, n.Slug, n.Title, n.Title, n.Summary, n.Body)
	}
	return out, nil
}

// sourceOf finds one piece of content by kind and key.
func (s *Server) sourceOf(ctx context.Context, kind, key string) (sourceText, error) {
	all, err := s.translatable(ctx)
	if err != nil {
		return sourceText{}, err
	}
	for _, st := range all {
		if st.Kind == kind && st.Key == key {
			return st, nil
		}
	}
	return sourceText{}, vigie.Errorf(vigie.ENOTFOUND, "there is no %s %q with English text to translate", kind, key)
}

// translationStatusPage says, per language and kind, how much is
// translated, and lists what is missing or out of date.
type translationStatusPage struct {
	editorChrome
	Languages []languageStatus
}

type languageStatus struct {
	Lang, Name string
	Kinds      []kindStatus
}

type kindStatus struct {
	Kind, Name                string
	Fields, Current, Outdated int
	Todo                      []todoItem // missing or out of date, at most todoShown
	More                      int        // items not listed
}

type todoItem struct {
	Title, Link string
	Missing     int // fields never translated
	Outdated    int // fields whose English changed since
}

const todoShown = 100

func (s *Server) handleTranslationStatus(w http.ResponseWriter, r *http.Request) {
	u, ok := s.allowed(w, r, vigie.ActTranslate, "")
	if !ok {
		return
	}
	ctx := r.Context()
	all, err := s.translatable(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	stored, err := s.source.Translations(ctx, vigie.TranslationFilter{})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	set := vigie.NewTranslationSet(stored)
	lang := langOf(ctx)
	page := translationStatusPage{editorChrome: chrome(u)}
	for _, target := range vigie.TargetLanguages {
		ls := languageStatus{Lang: target, Name: i18n.Default().T(lang, "language."+target)}
		byKind := map[string]*kindStatus{}
		for _, kind := range vigie.TranslationKinds {
			ks := &kindStatus{Kind: kind, Name: i18n.Default().T(lang, "translate.kind."+kind)}
			byKind[kind] = ks
		}
		for _, st := range all {
			ks := byKind[st.Kind]
			item := todoItem{Title: st.Title, Link: translateLink(target, st.Kind, st.Key)}
			for _, f := range st.Fields {
				ks.Fields++
				t, ok := set.Get(st.Kind, st.Key, f.Name, target)
				switch {
				case !ok:
					item.Missing++
				case !t.Current(f.Text):
					item.Outdated++
					ks.Outdated++
				default:
					ks.Current++
				}
			}
			if item.Missing+item.Outdated > 0 {
				if len(ks.Todo) < todoShown {
					ks.Todo = append(ks.Todo, item)
				} else {
					ks.More++
				}
			}
		}
		for _, kind := range vigie.TranslationKinds {
			ls.Kinds = append(ls.Kinds, *byKind[kind])
		}
		page.Languages = append(page.Languages, ls)
	}
	s.render(w, r, http.StatusOK, "edit_translations", layout{Title: tr(r, "translate.status_title"), Page: page})
}

// translateLink is the address of the form that translates one piece of
// content into lang.
func translateLink(lang, kind, key string) string {
	return "/edit/translations/" + lang + "/" + kind + "/" + key
}

// translateForm translates one piece of content into one language.
type translateForm struct {
	editorChrome
	Lang, LangName string
	Kind, KindName string
	Key, Title     string
	Action         string
	Fields         []translateField
	Saved          bool
	Errors         fieldErrors // by the field's Name, when saving failed
}

type translateField struct {
	Name, Label   string
	ID            string // of the textarea
	English       string
	Version       string // SourceVersion of English, sent back with the form
	Text          string // the stored translation, or what was sent
	Outdated      bool   // the stored translation translates an older English text
	Long          bool   // a paragraph rather than a line
	TranslatedBy  string
	TranslatedAt  dateView
	OtherLanguage string // the other language's translation, as a help
}

func (s *Server) translateTarget(w http.ResponseWriter, r *http.Request) (*vigie.User, sourceText, string, bool) {
	u, ok := s.allowed(w, r, vigie.ActTranslate, "")
	if !ok {
		return nil, sourceText{}, "", false
	}
	lang := r.PathValue("lang")
	if !slices.Contains(vigie.TargetLanguages, lang) {
		s.notFoundMessage(w, r, tr(r, "translate.no_language"))
		return nil, sourceText{}, "", false
	}
	st, err := s.sourceOf(r.Context(), r.PathValue("kind"), r.PathValue("key"))
	if err != nil {
		s.fail(w, r, err)
		return nil, sourceText{}, "", false
	}
	return u, st, lang, true
}

func (s *Server) handleTranslateForm(w http.ResponseWriter, r *http.Request) {
	u, st, target, ok := s.translateTarget(w, r)
	if !ok {
		return
	}
	s.renderTranslateForm(w, r, u, st, target, http.StatusOK, nil, nil)
}

// renderTranslateForm shows the stored translations, or when saving
// failed (typed is not nil) what was sent, with errs by field.
func (s *Server) renderTranslateForm(w http.ResponseWriter, r *http.Request, u *vigie.User, st sourceText, target string,
	status int, typed map[string]string, errs fieldErrors) {
	ctx := r.Context()
	stored, err := s.source.Translations(ctx, vigie.TranslationFilter{Kind: st.Kind, Keys: []string{st.Key}})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	set := vigie.NewTranslationSet(stored)
	lang := langOf(ctx)
	cat := i18n.Default()
	page := translateForm{editorChrome: chrome(u), Lang: target, LangName: cat.T(lang, "language."+target),
		Kind: st.Kind, KindName: cat.T(lang, "translate.kind."+st.Kind), Key: st.Key, Title: st.Title,
		Action: translateLink(target, st.Kind, st.Key), Saved: status == http.StatusOK && r.URL.Query().Has("saved"),
		Errors: errs}
	if page.Errors == nil {
		page.Errors = fieldErrors{}
	}
	other := "fr"
	if target == "fr" {
		other = "es"
	}
	for _, f := range st.Fields {
		tf := translateField{Name: f.Name, Label: cat.T(lang, "translate.field."+f.Name+"_label"), ID: "tr-" + f.Name,
			English: f.Text, Version: vigie.SourceVersion(f.Text),
			Long: f.Name != "name" && f.Name != "label" && f.Name != "title"}
		if t, ok := set.Get(st.Kind, st.Key, f.Name, target); ok {
			tf.Text, tf.Outdated = t.Text, !t.Current(f.Text)
			tf.TranslatedBy, tf.TranslatedAt = t.UpdatedBy, newDate(t.UpdatedAt)
		}
		if t, ok := set.Get(st.Kind, st.Key, f.Name, other); ok && t.Current(f.Text) {
			tf.OtherLanguage = t.Text
		}
		if text, sent := typed[f.Name]; sent {
			tf.Text = text
		}
		page.Fields = append(page.Fields, tf)
	}
	s.render(w, r, status, "edit_translate", layout{Title: cat.T(lang, "translate.form_title",
		"Language", page.LangName, "Title", st.Title), Page: page})
}

func (s *Server) handleTranslateSave(w http.ResponseWriter, r *http.Request) {
	u, st, target, ok := s.translateTarget(w, r)
	if !ok {
		return
	}
	if !parseForm(w, r) {
		return
	}
	var list []vigie.Translation
	for _, f := range st.Fields {
		if _, sent := r.PostForm[f.Name]; !sent {
			continue
		}
		// The version the translator saw: if the English changed while they
		// worked, their translation is stored as translating the old text.
		version := r.PostFormValue(f.Name + "_version")
		if version == "" {
			version = vigie.SourceVersion(f.Text)
		}
		list = append(list, vigie.Translation{Kind: st.Kind, Key: st.Key, Field: f.Name, Lang: target,
			Text: r.PostFormValue(f.Name), SourceVersion: version})
	}
	_, err := s.service.SaveTranslations(r.Context(), actor(r), list)
	if status, ok := formError(err); ok {
		// The domain's checks, run per field so the message lands on it.
		errs, typed := fieldErrors{}, map[string]string{}
		for _, t := range list {
			typed[t.Field] = t.Text
			if e := t.Validate(); e != nil && !errs.Any() {
				errs[t.Field] = errText(langOf(r.Context()), e)
			}
		}
		if !errs.Any() {
			errs[""] = errText(langOf(r.Context()), err)
		}
		s.renderTranslateForm(w, r, u, st, target, status, typed, errs)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, translateLink(target, st.Kind, st.Key)+"?saved", http.StatusSeeOther)
}

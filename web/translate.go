package web

import (
	"context"
	"strings"

	vigie "github.com/vigie-network/vigie"
)

// Content in the reader's language (issue #6). Editors translate content
// field by field (edit_translations.go); a page in French or Spanish shows
// a field's translation while it still translates the English text as it
// is now (vigie.Translation.Current), and otherwise the English text,
// marked lang="en" with a note that it is not yet translated.

// localText is one field as the reader sees it. Fallback is set when the
// text is the English one because no current translation exists.
type localText struct {
	Text     string
	Fallback bool
}

func (t localText) String() string { return t.Text }

// translator finds translations of the content one page shows.
type translator struct {
	lang string
	set  vigie.TranslationSet
}

// translator loads the translations into lang of the content a page
// needs: for each kind, the keys it shows (nil: every key of that kind).
// English pages need none.
func (s *Server) translator(ctx context.Context, lang string, want map[string][]string) (translator, error) {
	tr := translator{lang: lang}
	if lang == vigie.SourceLanguage {
		return tr, nil
	}
	var all []vigie.Translation
	for kind, keys := range want {
		if keys != nil && len(keys) == 0 {
			continue
		}
		list, err := s.source.Translations(ctx, vigie.TranslationFilter{Kind: kind, Lang: lang, Keys: keys})
		if err != nil {
			return tr, err
		}
		all = append(all, list...)
	}
	tr.set = vigie.NewTranslationSet(all)
	return tr, nil
}

// text is a field in the reader's language, or the English one.
func (tr translator) text(kind, key, field, english string) localText {
	if tr.lang == vigie.SourceLanguage || tr.lang == "" || strings.TrimSpace(english) == "" {
		return localText{Text: english}
	}
	if t, ok := tr.set.Get(kind, key, field, tr.lang); ok && t.Current(english) {
		return localText{Text: t.Text}
	}
	return localText{Text: english, Fallback: true}
}

// frameworkKinds asks translator for the indicators and the rating scale.
func frameworkKinds() map[string][]string {
	return map[string][]string{vigie.KindIndicator: nil, vigie.KindRating: nil}
}

// localizedReader is the store as readers of the request's language see
// the framework: the indicators' names and rationales and the ratings'
// labels and meanings in that language where a current translation
// exists. Every page shares it, so that lists, maps, tables and forms
// name indicators and ratings in the reader's language without each
// handler asking; pages that mark untranslated text read s.source and
// use a translator instead.
type localizedReader struct {
	vigie.Reader
}

func (l localizedReader) Indicators(ctx context.Context) ([]vigie.Indicator, error) {
	inds, err := l.Reader.Indicators(ctx)
	lang := langOf(ctx)
	if err != nil || lang == vigie.SourceLanguage {
		return inds, err
	}
	list, err := l.Reader.Translations(ctx, vigie.TranslationFilter{Kind: vigie.KindIndicator, Lang: lang})
	if err != nil {
		return nil, err
	}
	tr := translator{lang: lang, set: vigie.NewTranslationSet(list)}
	for i, ind := range inds {
		inds[i].Name = tr.text(vigie.KindIndicator, ind.Key, "name", ind.Name).Text
		inds[i].Rationale = tr.text(vigie.KindIndicator, ind.Key, "rationale", ind.Rationale).Text
	}
	return inds, nil
}

func (l localizedReader) Ratings(ctx context.Context) ([]vigie.Rating, error) {
	ratings, err := l.Reader.Ratings(ctx)
	lang := langOf(ctx)
	if err != nil || lang == vigie.SourceLanguage {
		return ratings, err
	}
	list, err := l.Reader.Translations(ctx, vigie.TranslationFilter{Kind: vigie.KindRating, Lang: lang})
	if err != nil {
		return nil, err
	}
	tr := translator{lang: lang, set: vigie.NewTranslationSet(list)}
	for i, r := range ratings {
		ratings[i].Label = tr.text(vigie.KindRating, r.Key, "label", r.Label).Text
		ratings[i].Meaning = tr.text(vigie.KindRating, r.Key, "meaning", r.Meaning).Text
	}
	return ratings, nil
}

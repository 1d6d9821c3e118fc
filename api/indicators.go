package api

import (
	"fmt"
	"net/http"

	vigie "github.com/vigie-network/vigie"
)

type indicatorJSON struct {
	Key       string  `json:"key"`
	Name      string  `json:"name"`
	Rationale string  `json:"rationale"`
	ValueKind *string `json:"value_kind"` // "years", or null when the indicator carries no value
	Position  int     `json:"position"`
	// Translations of name and rationale by language, where current.
	Translations map[string]map[string]string `json:"translations,omitempty"`
}

type ratingJSON struct {
	Key      string `json:"key"`
	Label    string `json:"label"`
	Meaning  string `json:"meaning"`
	Assessed bool   `json:"assessed"` // false only for "not-yet-assessed"
	Position int    `json:"position"`
	// Translations of label and meaning by language, where current.
	Translations map[string]map[string]string `json:"translations,omitempty"`
}

// indicatorPage is a page of the framework with the whole rating scale,
// which every indicator shares.
type indicatorPage struct {
	page[indicatorJSON]
	Ratings []ratingJSON `json:"ratings"`
}

// GET /api/v1/indicators: the framework in its order, and the rating scale.
func (s *Server) handleIndicators(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if !s.checkParams(w, r, pagingParams...) {
		return
	}
	p, err := parsePage(r, "indicators")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if s.datasetValidators(w, r, false) {
		return
	}
	inds, err := s.store.Indicators(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ratings, err := s.store.Ratings(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	trs, err := s.store.Translations(ctx, vigie.TranslationFilter{Kind: vigie.KindIndicator})
	if err == nil {
		var more []vigie.Translation
		more, err = s.store.Translations(ctx, vigie.TranslationFilter{Kind: vigie.KindRating})
		trs = append(trs, more...)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	set := vigie.NewTranslationSet(trs)
	pg := cut(w, r, p, inds, func(i int) string { return fmt.Sprintf("%08d/%s", inds[i].Position, inds[i].Key) })
	out := indicatorPage{page: page[indicatorJSON]{Items: []indicatorJSON{}, Next: pg.Next}, Ratings: []ratingJSON{}}
	for _, ind := range pg.Items {
		var kind *string
		if ind.ValueKind != vigie.ValueNone {
			k := string(ind.ValueKind)
			kind = &k
		}
		out.Items = append(out.Items, indicatorJSON{Key: ind.Key, Name: ind.Name, Rationale: ind.Rationale, ValueKind: kind, Position: ind.Position,
			Translations: currentTranslations(set, vigie.KindIndicator, ind.Key, map[string]string{"name": ind.Name, "rationale": ind.Rationale})})
	}
	for _, rt := range ratings {
		out.Ratings = append(out.Ratings, ratingJSON{Key: rt.Key, Label: rt.Label, Meaning: rt.Meaning, Assessed: rt.Assessed, Position: rt.Position,
			Translations: currentTranslations(set, vigie.KindRating, rt.Key, map[string]string{"label": rt.Label, "meaning": rt.Meaning})})
	}
	s.writeJSON(w, r, http.StatusOK, out)
}

// currentTranslations are a record's translated fields by language, for
// the fields whose translation was made from the English shown (english,
// by field); nil when there is none.
func currentTranslations(set vigie.TranslationSet, kind, key string, english map[string]string) map[string]map[string]string {
	var out map[string]map[string]string
	for _, lang := range vigie.TargetLanguages {
		for field, text := range english {
			t, ok := set.Get(kind, key, field, lang)
			if !ok || t.Text == "" || !t.Current(text) {
				continue
			}
			if out == nil {
				out = map[string]map[string]string{}
			}
			if out[lang] == nil {
				out[lang] = map[string]string{}
			}
			out[lang][field] = t.Text
		}
	}
	return out
}

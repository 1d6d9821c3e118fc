package vigie

import (
	"strings"
	"testing"
)

// Every built-in indicator and rating has its French and Spanish text.
func TestDefaultTranslationsCoverTheFramework(t *testing.T) {
	set := NewTranslationSet(DefaultTranslations())
	for _, lang := range TargetLanguages {
		for _, ind := range DefaultIndicators() {
			for field, src := range map[string]string{"name": ind.Name, "rationale": ind.Rationale} {
				tr, ok := set.Get(KindIndicator, ind.Key, field, lang)
				if !ok || !tr.Current(src) {
					t.Errorf("%s: indicator %s %s: missing or out of date", lang, ind.Key, field)
				}
				if err := tr.Validate(); err != nil {
					t.Error(err)
				}
			}
		}
		for _, r := range DefaultRatings() {
			for field, src := range map[string]string{"label": r.Label, "meaning": r.Meaning} {
				if tr, ok := set.Get(KindRating, r.Key, field, lang); !ok || !tr.Current(src) {
					t.Errorf("%s: rating %s %s: missing or out of date", lang, r.Key, field)
				}
			}
		}
	}
}

func TestTranslationValidate(t *testing.T) {
	ok := Translation{Kind: KindNews, Key: "story", Field: "title", Lang: "fr", Text: "Titre", SourceVersion: SourceVersion("Title")}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	for name, bad := range map[string]Translation{
		"kind":       {Kind: "country", Key: "ML", Field: "name", Lang: "fr", Text: "x", SourceVersion: "a"},
		"field":      {Kind: KindNews, Key: "s", Field: "slug", Lang: "fr", Text: "x", SourceVersion: "a"},
		"lang":       {Kind: KindNews, Key: "s", Field: "title", Lang: "en", Text: "x", SourceVersion: "a"},
		"key":        {Kind: KindNews, Field: "title", Lang: "fr", Text: "x", SourceVersion: "a"},
		"version":    {Kind: KindNews, Key: "s", Field: "title", Lang: "fr", Text: "x"},
		"long title": {Kind: KindNews, Key: "s", Field: "title", Lang: "fr", Text: strings.Repeat("é", MaxLineChars+1), SourceVersion: "a"},
		"long name":  {Kind: KindIndicator, Key: "age-of-consent", Field: "name", Lang: "es", Text: strings.Repeat("n", MaxLineChars+1), SourceVersion: "a"},
		"long label": {Kind: KindRating, Key: "r", Field: "label", Lang: "es", Text: strings.Repeat("n", MaxLineChars+1), SourceVersion: "a"},
	} {
		if err := bad.Validate(); ErrorCode(err) != EINVALID {
			t.Errorf("%s: %v, want EINVALID", name, err)
		}
	}
	// A long text field's translation may be longer than a line.
	body := Translation{Kind: KindNews, Key: "s", Field: "body", Lang: "fr", Text: strings.Repeat("é", MaxLineChars+1), SourceVersion: "a"}
	if err := body.Validate(); err != nil {
		t.Errorf("a body of %d characters: %v", MaxLineChars+1, err)
	}
	if SourceVersion("a\r\nb ") != SourceVersion("a\nb") {
		t.Error("SourceVersion depends on line endings")
	}
}

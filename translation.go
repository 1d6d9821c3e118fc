package vigie

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The site's languages. English is the source language: editors write
// content in English, and translators translate it field by field.
const SourceLanguage = "en"

// Languages are the site's languages, the source first.
var Languages = []string{"en", "fr", "es"}

// TargetLanguages are the languages content is translated into.
var TargetLanguages = []string{"fr", "es"}

// Kinds of translated content. Each names what Translation.Key holds.
const (
	KindIndicator    = "indicator"    // Key: the indicator's key
	KindRating       = "rating"       // Key: the rating's key
	KindAssessment   = "assessment"   // Key: AssessmentKey(country, indicator)
	KindOrganisation = "organisation" // Key: the organisation's slug
	KindNews         = "news"         // Key: the news item's slug
)

// TranslatableFields lists, per kind, the fields translators translate, in
// the order forms show them.
var TranslatableFields = map[string][]string{
	KindIndicator:    {"name", "rationale"},
	KindRating:       {"label", "meaning"},
	KindAssessment:   {"explanation"},
	KindOrganisation: {"description"},
	KindNews:         {"title", "summary", "body"},
}

// TranslationKinds are the kinds in the order status pages list them.
var TranslationKinds = []string{KindIndicator, KindRating, KindAssessment, KindOrganisation, KindNews}

// Translation is one field of one piece of content in one language other
// than English. SourceVersion identifies the English text it translates
// (SourceVersion of that text): when editors change the English, the
// translation no longer matches and is shown as out of date until someone
// translates the new text.
type Translation struct {
	Kind, Key, Field string
	Lang             string // "fr", "es"
	Text             string
	SourceVersion    string
	UpdatedAt        time.Time
	UpdatedBy        string // who wrote it: a user's name, or "vigie" for the built-in ones
}

// TranslationFilter narrows Translations; empty fields match everything.
type TranslationFilter struct {
	Kind string
	Lang string
	Keys []string // any of these keys
}

// AssessmentKey is the translation key of a country's assessment of an
// indicator: "ML/age-of-consent".
func AssessmentKey(country, indicator string) string { return country + "/" + indicator }

// SourceVersion identifies a source text: a short hash of it, with line
// endings and surrounding space normalised, so that re-saving the same
// English text keeps its translations current.
func SourceVersion(text string) string {
	text = strings.TrimSpace(strings.ReplaceAll(text, "\r\n", "\n"))
	sum := sha256.Sum256([]byte(text))
	return hex.EncodeToString(sum[:6])
}

// Current reports whether t translates source as it is now.
func (t Translation) Current(source string) bool {
	return t.Text != "" && t.SourceVersion == SourceVersion(source)
}

// Validate checks a translation before it is stored. Empty Text is valid:
// saving it removes the translation.
func (t Translation) Validate() error {
	fields, ok := TranslatableFields[t.Kind]
	if !ok {
		return FieldError("kind", "%q is not something Vigie translates", t.Kind)
	}
	if !slices.Contains(fields, t.Field) {
		return FieldError("field", "a %s has no translatable field %q", t.Kind, t.Field)
	}
	if !slices.Contains(TargetLanguages, t.Lang) {
		return FieldError("lang", "%q is not a language content is translated into (%s)", t.Lang, strings.Join(TargetLanguages, ", "))
	}
	if strings.TrimSpace(t.Key) == "" {
		return FieldError("key", "is required")
	}
	if t.Text != "" && t.SourceVersion == "" {
		return FieldError("source_version", "say which English text this translates")
	}
	if err := checkLine("key", t.Key); err != nil {
		return err
	}
	limit := maxTextChars
	if shortTranslatableFields[t.Field] {
		limit = MaxLineChars
	}
	return checkLines("text", t.Text, limit)
}

// shortTranslatableFields are names and titles: their translations are held
// to a line's length, like the English.
var shortTranslatableFields = map[string]bool{"name": true, "label": true, "title": true}

// TranslationSet finds translations by kind, key, field and language.
type TranslationSet map[[4]string]Translation

// NewTranslationSet indexes a list of translations.
func NewTranslationSet(list []Translation) TranslationSet {
	set := make(TranslationSet, len(list))
	for _, t := range list {
		set[[4]string{t.Kind, t.Key, t.Field, t.Lang}] = t
	}
	return set
}

// Get returns the translation of one field, if there is one.
func (s TranslationSet) Get(kind, key, field, lang string) (Translation, bool) {
	t, ok := s[[4]string{kind, key, field, lang}]
	return t, ok
}

// SaveTranslations stores translations entered by an editor (researchers
// and admins may translate), all or none, with one audit entry. A
// translation with empty Text removes the stored one. It returns how many
// translations changed.
func (s *Service) SaveTranslations(ctx context.Context, act Actor, list []Translation) (changed int, err error) {
	for _, t := range list {
		if err := t.Validate(); err != nil {
			return 0, err
		}
	}
	err = s.write(ctx, act, ActTranslate, "", func(tx Tx) (AuditEntry, error) {
		changed = 0
		var targets []string
		for _, t := range list {
			t.Text = strings.TrimSpace(strings.ReplaceAll(t.Text, "\r\n", "\n"))
			t.UpdatedAt = s.now()
			t.UpdatedBy = act.User.DisplayName()
			ok, err := tx.SaveTranslation(ctx, t)
			if err != nil {
				return AuditEntry{}, err
			}
			if ok {
				changed++
				target := t.Kind + ":" + t.Key + "#" + t.Lang
				if !slices.Contains(targets, target) {
					targets = append(targets, target)
				}
			}
		}
		if changed == 0 {
			return AuditEntry{}, nil
		}
		fields := "field"
		if changed > 1 {
			fields = "fields"
		}
		return AuditEntry{Action: "translation.save", Target: strings.Join(targets, ", "),
			Detail: strconv.Itoa(changed) + " " + fields + " translated"}, nil
	})
	return changed, err
}

package web

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/web/i18n"
)

// The domain writes its errors in English (the CLI and the API show them
// as they are). A *vigie.Error keeps the format it was built from, and
// errorMessages names the catalogue message, in web/i18n/errors.LANG.toml,
// that says the same in the reader's language: the format's verbs, in
// order, become {{.V1}}, {{.V2}}… TestErrorFormatsHaveMessages fails on a
// format passed to vigie.Errorf or vigie.FieldError that is missing here.
var errorMessages = map[string]string{
	// paging.go
	"the page asked for starts in a country this list does not show": "page_other_list",
	// accounts.go, permission.go, password.go
	"this link has expired or was already used; ask an admin for a new one": "link_expired",
	"this account is disabled":                                   "account_disabled",
	"too many failed sign-ins; try again in %d minute(s)":        "signin_rate",
	"the email or the password is wrong":                         "wrong_password",
	"please sign in again":                                       "sign_in_again",
	"please sign in":                                             "sign_in",
	"%s is disabled":                                             "user_disabled",
	"your role (%s) may not %s for %s":                           "role_forbidden_in",
	"your role (%s) may not %s":                                  "role_forbidden",
	"must be at least %d characters":                             "password_short",
	"%q is not an email address":                                 "not_email",
	"must be one of admin, researcher, reviewer, member, not %q": "user_role",
	"a member needs at least one country (--country ISO2)":       "member_country",

	// asof.go
	"%q is not a date: use YYYY, YYYY-MM or YYYY-MM-DD": "asof_not_date",
	"year %d is out of range":                           "asof_year_range",
	"month %d is out of range":                          "asof_month_range",
	"%04d-%02d has no day %d":                           "asof_no_day",

	// assessment.go, editing.go, revision.go, indicator.go
	"unknown country code %q":                                       "unknown_country",
	"%q is not %q":                                                  "indicator_mismatch",
	"unknown rating %q":                                             "unknown_rating",
	"indicator %q takes no value":                                   "indicator_no_value",
	"%d years is not a plausible age":                               "implausible_age",
	"say what the author should change":                             "review_comment",
	"you wrote revision %d; another reviewer must %s it":            "own_revision",
	"%d: revisions are numbered from 1":                             "revision_number",
	"%d: a revision starts from an earlier one (0 to %d)":           "revision_base",
	"unknown state %q: use draft, submitted, returned or published": "unknown_revision_state",
	"every change needs an author":                                  "author_required",
	"a published revision needs the time it became public":          "published_at_required",
	"only a published revision has one, this one is %s":             "published_at_unexpected",
	"%q must be lower-case words joined by hyphens":                 "key_format",
	"unknown value kind %q":                                         "unknown_value_kind",

	// Shared by several records.
	"is required": "required",
	"is empty":    "empty",
	"%q is not a web address: write it as https://…": "link_not_web",
	"%d is out of range": "year_range",

	// content.go, report.go, publication.go, source.go, edition.go
	"tag the news with your country": "news_country",
	"thank you — we have several reports from you already; please try again in %d minute(s)": "report_rate",
	"unknown report state %q":                     "unknown_report_state",
	"please say what changed":                     "report_change",
	"unknown publication type %q":                 "unknown_pubtype",
	"%q is not the SHA-256 name of a stored file": "file_hash",
	"must be %q or %q, not %q":                    "source_kind",
	"%d is before the year %d":                    "status_before_year",
	"%q must be lower-case words or digits joined by hyphens, e.g. \"2026\"": "edition_name",
	"does not match the snapshot":                                            "snapshot_mismatch",
	"%d is not the snapshot's %d bytes":                                      "snapshot_size",

	// organisation.go
	"%q is not in E.164 form (+ country code and number)":                   "phone_e164",
	"%q is not a phone number with its country code, e.g. +223 77 08 40 23": "not_phone",

	// translation.go
	"%q is not something Vigie translates":                      "translation_kind",
	"a %s has no translatable field %q":                         "translation_field",
	"%q is not a language content is translated into (%s)":      "translation_lang",
	"say which English text this translates":                    "translation_source",
	"is not valid UTF-8 text: save it again from a text editor": "text_not_utf8",
	"holds the control character U+%04X at character %d":        "text_control",
	"is %d characters long; the limit is %d":                    "text_too_long",

	// The web layer's own errors, files/ and the stores.
	"%q is not a whole number":                                    "not_whole_number",
	"the file is larger than %d MB":                               "file_too_large",
	"the form could not be read; please try again":                "form_unreadable",
	"the file could not be read; please try again":                "file_unreadable",
	"this server does not accept uploads; give a link instead":    "no_uploads",
	"there is no %s %q with English text to translate":            "no_source_text",
	"choose the indicator the draft is about":                     "choose_indicator",
	"choose Open a draft or Close":                                "choose_open_close",
	"choose one of the news items listed":                         "choose_story",
	"choose Publish or Return":                                    "choose_publish_return",
	"%q is not a page number (1, 2, 3…)":                          "not_page_number",
	"there is no publication type %q":                             "no_pubtype",
	"%q is not a year":                                            "not_year",
	"we know no country %q":                                       "no_country",
	"we know no region %q":                                        "no_region",
	"unknown country %q":                                          "unknown_country_name",
	"the file is empty":                                           "file_empty",
	"the file is not a PDF (only PDF files can be uploaded)":      "file_not_pdf",
	"no stored file %q":                                           "no_stored_file",
	"a user with the email %s already exists":                     "email_taken",
	"revision %d is %s, not waiting for review":                   "not_waiting",
	"%q is already the address of another record: choose another": "slug_taken",
	"%s already has an organisation named %q":                     "org_name_taken",
	"unknown indicator %q":                                        "unknown_indicator",
}

// errorWords are the domain's code words (roles, actions, states, kinds)
// that errors pass as %s values; the catalogues name them under
// [err.word] so that a French sentence does not show "reviewer".
var errorWords = map[string]bool{
	"admin": true, "researcher": true, "reviewer": true, "member": true,
	"draft": true, "submitted": true, "returned": true, "published": true,
	"publish": true, "return": true,
	"indicator": true, "rating": true, "assessment": true, "organisation": true, "news": true,
	string(vigie.ActDraftAssessment): true, string(vigie.ActReviewAssessment): true,
	string(vigie.ActViewDrafts): true, string(vigie.ActEditSource): true,
	string(vigie.ActEditPublication): true, string(vigie.ActEditNews): true,
	string(vigie.ActEditOrganisation): true, string(vigie.ActFeatureStory): true,
	string(vigie.ActManageUsers): true, string(vigie.ActManageFramework): true,
	string(vigie.ActViewAudit): true, string(vigie.ActTriageReports): true,
	string(vigie.ActTranslate): true,
}

// errorText is e's message in lang, as a sentence. English, and errors
// whose format has no catalogue message, show e.Message as before.
func errorText(lang string, e *vigie.Error) string {
	phrase, ok := errorPhraseIn(lang, e)
	if !ok {
		return sentence(e.Message)
	}
	return sentenceOf(phrase)
}

// errText is errorText for any error: one that is not a *vigie.Error
// shows its own text.
func errText(lang string, err error) string {
	var e *vigie.Error
	if errors.As(err, &e) {
		return errorText(lang, e)
	}
	return sentence(err.Error())
}

// errLine is err.Error() in lang: "field: message" for a *vigie.Error.
func errLine(lang string, err error) string {
	var e *vigie.Error
	if !errors.As(err, &e) {
		return err.Error()
	}
	if e.Field != "" {
		return e.Field + ": " + errorPhrase(lang, e)
	}
	return errorPhrase(lang, e)
}

// addIn files err under the field it names, with its message in lang; it
// reports false for errors that are not the user's (internal or conflict
// errors).
func (fe fieldErrors) addIn(lang string, err error) bool {
	var e *vigie.Error
	if !errors.As(err, &e) || e.Code == vigie.EINTERNAL {
		return false
	}
	fe[e.Field] = errorText(lang, e)
	return true
}

// errorPhrase is e's message in lang as it would sit inside a sentence:
// neither capitalised nor ended.
func errorPhrase(lang string, e *vigie.Error) string {
	phrase, _ := errorPhraseIn(lang, e)
	return phrase
}

// errorPhraseIn reports false, with e.Message, when there is nothing to
// translate.
func errorPhraseIn(lang string, e *vigie.Error) (string, bool) {
	if lang == "en" || !i18n.Supported(lang) || e.Format == "" {
		return e.Message, false
	}
	id, ok := errorMessages[e.Format]
	if !ok {
		return e.Message, false
	}
	verbs := formatVerbs(e.Format)
	if len(verbs) != len(e.Args) {
		return e.Message, false
	}
	args := make([]any, 0, 2*len(verbs))
	for i, verb := range verbs {
		args = append(args, "V"+strconv.Itoa(i+1), formatArg(lang, verb, e.Args[i]))
	}
	id = "err." + id
	text := i18n.Default().T(lang, id, args...)
	if text == id {
		return e.Message, false
	}
	return text, true
}

// formatVerbs lists the verbs of a fmt format in order, flags and width
// included: "%04d-%02d has no day %d" → %04d, %02d, %d.
func formatVerbs(format string) []string {
	var verbs []string
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		j := i + 1
		for j < len(format) && strings.IndexByte("+-# 0123456789.*[]", format[j]) >= 0 {
			j++
		}
		if j >= len(format) {
			break
		}
		if format[j] != '%' {
			verbs = append(verbs, format[i:j+1])
		}
		i = j
	}
	return verbs
}

// formatArg writes one value with its verb. Numbers are formatted as fmt
// would (years stay 2024, not 2 024); quoted values take lang's quotation
// marks; code words are named in lang.
func formatArg(lang, verb string, arg any) string {
	switch verb {
	case "%q":
		if s, ok := stringOf(arg); ok {
			switch lang {
			case "fr":
				return "«\u00a0" + s + "\u00a0»" // no-break spaces, as French sets them
			case "es":
				return "«" + s + "»"
			}
		}
	case "%s", "%v":
		if s, ok := stringOf(arg); ok && errorWords[s] {
			return i18n.Default().T(lang, "err.word."+s)
		}
	}
	return fmt.Sprintf(verb, arg)
}

// stringOf returns a string-kinded value (string, vigie.Action,
// vigie.Role…) as a string.
func stringOf(arg any) (string, bool) {
	if v := reflect.ValueOf(arg); v.Kind() == reflect.String {
		return v.String(), true
	}
	return "", false
}

// sentenceOf is sentence for translated text: it capitalises the first
// letter, not the first byte, and keeps a closing ?, ! or ».
func sentenceOf(msg string) string {
	if msg == "" {
		return msg
	}
	r, n := utf8.DecodeRuneInString(msg)
	msg = string(unicode.ToUpper(r)) + msg[n:]
	if !strings.HasSuffix(msg, ".") && !strings.HasSuffix(msg, ")") && !strings.HasSuffix(msg, "?") &&
		!strings.HasSuffix(msg, "!") && !strings.HasSuffix(msg, "…") {
		msg += "."
	}
	return msg
}

package vigie

import (
	"regexp"
	"strings"
)

// ValueKind says what structured value an indicator may carry beside its
// rating. Most carry none; Age of Consent carries an age in years.
type ValueKind string

const (
	ValueNone  ValueKind = ""
	ValueYears ValueKind = "years"
)

// Indicator is one question of the monitoring framework, asked of every
// country. Indicators are data: admins can add and edit them.
type Indicator struct {
	Key       string // stable, URL-safe: "age-of-consent"
	Name      string // "Age of Consent"
	Rationale string // why it matters and how it is assessed
	ValueKind ValueKind
	Position  int // order on the country page
}

var keyPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Validate checks an indicator before it is stored.
func (ind Indicator) Validate() error {
	if !keyPattern.MatchString(ind.Key) {
		return FieldError("key", "%q must be lower-case words joined by hyphens", ind.Key)
	}
	if err := checkLine("name", ind.Name); err != nil {
		return err
	}
	if err := checkLines("rationale", ind.Rationale, maxTextChars); err != nil {
		return err
	}
	if strings.TrimSpace(ind.Name) == "" {
		return FieldError("name", "is required")
	}
	switch ind.ValueKind {
	case ValueNone, ValueYears:
	default:
		return FieldError("value_kind", "unknown value kind %q", ind.ValueKind)
	}
	return nil
}

// Rating is one step of the rating scale. The scale is data too.
type Rating struct {
	Key   string // "yes", "not-yet-assessed"
	Label string // "Yes", "Not Yet Assessed"
	// Meaning explains the state to readers, e.g. that "No Data" means
	// researchers looked and found nothing.
	Meaning string
	// Assessed is false only for the state of an indicator nobody has
	// looked at yet; counts of "assessed indicators" use it.
	Assessed bool
	Position int
}

// Rating keys of the built-in scale.
const (
	RatingYes            = "yes"
	RatingPartial        = "partial"
	RatingNo             = "no"
	RatingNoData         = "no-data"
	RatingNotRated       = "not-rated"
	RatingNotYetAssessed = "not-yet-assessed"
)

// DefaultRatings is the scale a new database starts with.
//
// "not-rated" exists because real pages publish an explanation without a
// rating line: the indicator was assessed, the page did not say how, and
// inventing a rating would misreport the law.
func DefaultRatings() []Rating {
	return []Rating{
		{Key: RatingYes, Label: "Yes", Meaning: "The law or institution meets the standard.", Assessed: true, Position: 1},
		{Key: RatingPartial, Label: "Partial", Meaning: "The standard is met in part; the explanation says what is missing.", Assessed: true, Position: 2},
		{Key: RatingNo, Label: "No", Meaning: "The standard is not met.", Assessed: true, Position: 3},
		{Key: RatingNoData, Label: "No Data", Meaning: "Researchers looked for this and found no information.", Assessed: true, Position: 4},
		{Key: RatingNotRated, Label: "Assessed, Not Rated", Meaning: "An analysis exists but no rating has been given yet.", Assessed: true, Position: 5},
		{Key: RatingNotYetAssessed, Label: "Not Yet Assessed", Meaning: "Nobody has assessed this indicator for this country yet.", Assessed: false, Position: 6},
	}
}

// DefaultIndicators is the framework a new database starts with. The
// rationales are Vigie's own summaries of why each indicator matters.
func DefaultIndicators() []Indicator {
	return []Indicator{
		{Key: "age-of-consent", Name: "Age of Consent", ValueKind: ValueYears, Position: 1,
			Rationale: "The age below which a child cannot legally agree to sexual activity sets the line that criminal law protects. We record the age in years and whether the law applies it equally to girls and boys and to every kind of sexual act."},
		{Key: "extraterritoriality-extradition", Name: "Extraterritoriality & Extradition", Position: 2,
			Rationale: "Offenders travel. We look at whether national courts can try citizens and residents for sexual offences against children committed abroad, whether the act must also be a crime where it happened, and whether such offences allow extradition."},
		{Key: "csam-definition", Name: "CSAM Definition", Position: 3,
			Rationale: "Prosecuting child sexual abuse material depends on how the law defines it. We check that the definition covers real and simulated depictions, every format including digital and live streams, and possession, viewing and sharing, not only production."},
		{Key: "background-check", Name: "Background Check Required", Position: 4,
			Rationale: "People convicted of sexual offences against children should not gain new access to children through work. We check whether employers in schools, care, sport and similar settings must screen applicants against criminal records."},
		{Key: "national-commitments", Name: "National Commitments", Position: 5,
			Rationale: "Laws need plans, budgets and bodies that carry them out. We look for a current national action plan or strategy that names sexual exploitation of children, with responsibilities and resources attached."},
		{Key: "child-advocacy-centers", Name: "Child Advocacy Centers", Position: 6,
			Rationale: "Children who disclose abuse should tell their story once, in a safe place, to people trained to listen. We record whether child-friendly centres bring police, prosecutors, health and social services together under one roof."},
		{Key: "sec-police-unit", Name: "SEC Police Unit", Position: 7,
			Rationale: "Investigating sexual exploitation of children, online and offline, takes specialised skills. We check whether the police have a dedicated unit with trained officers and a mandate covering these crimes."},
		{Key: "travel-tourism-standards", Name: "Protection Standards Travel and Tourism", Position: 8,
			Rationale: "Hotels, tour operators and transport can prevent exploitation or enable it. We look for binding standards or codes of conduct that require the sector to train staff, report suspicions and keep children safe."},
		{Key: "public-case-data", Name: "Public SEC Case Data", Position: 9,
			Rationale: "What is not counted is not addressed. We check whether the state publishes figures on reported cases, prosecutions and convictions for sexual exploitation of children, broken down enough to follow trends."},
	}
}

// Validate checks a rating before it is stored.
func (r Rating) Validate() error {
	if !keyPattern.MatchString(r.Key) {
		return FieldError("key", "%q must be lower-case words joined by hyphens", r.Key)
	}
	if err := checkLine("label", r.Label); err != nil {
		return err
	}
	if err := checkLines("meaning", r.Meaning, maxTextChars); err != nil {
		return err
	}
	if strings.TrimSpace(r.Label) == "" {
		return FieldError("label", "is required")
	}
	return nil
}

package vigie

import (
	"net/mail"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// Organisation is a member organisation of the network working in one
// country. A country can have none, one or several.
type Organisation struct {
	ID          int64
	Slug        string
	Country     string // ISO 3166-1 alpha-2
	Name        string
	Acronym     string
	Description string // as written by the organisation
	Founded     AsOf   // often known to the month: "2018-12"
	OfficeCity  string
	Regions     []string // regions of the country it works in
	AreasOfWork []string // "prevention", "protection"…
	Website     string
	Contacts    []Contact
}

// DisplayName is "Name (ACRONYM)" or just the name.
func (o Organisation) DisplayName() string {
	if o.Acronym == "" {
		return o.Name
	}
	return o.Name + " (" + o.Acronym + ")"
}

// Validate checks an organisation and its contacts.
func (o Organisation) Validate() error {
	if _, ok := CountryByISO2(o.Country); !ok {
		return FieldError("country", "unknown country code %q", o.Country)
	}
	if strings.TrimSpace(o.Name) == "" {
		return FieldError("name", "is required")
	}
	if err := checkLineFields("name", o.Name, "slug", o.Slug, "acronym", o.Acronym, "office_city", o.OfficeCity); err != nil {
		return err
	}
	if err := checkLines("description", o.Description, maxTextChars); err != nil {
		return err
	}
	for _, r := range o.Regions {
		if err := checkLine("regions", r); err != nil {
			return err
		}
	}
	for _, a := range o.AreasOfWork {
		if err := checkLine("areas_of_work", a); err != nil {
			return err
		}
	}
	if err := o.Founded.Validate(); err != nil {
		err.(*Error).Field = "founded"
		return err
	}
	if err := CheckLink("website", o.Website); err != nil {
		return err
	}
	for _, c := range o.Contacts {
		if err := c.Validate(); err != nil {
			return err
		}
	}
	return nil
}

// Contact is a person to reach at an organisation. Empty fields are shown
// as "—", as the network's pages do.
type Contact struct {
	Name    string
	Title   string
	Phone   string // E.164, e.g. "+22377084023"
	Email   string
	Address string
}

// Validate checks a contact; Phone must already be normalised.
func (c Contact) Validate() error {
	if err := checkLineFields("contact.name", c.Name, "contact.title", c.Title, "contact.phone", c.Phone, "contact.email", c.Email); err != nil {
		return err
	}
	if err := checkLines("contact.address", c.Address, MaxLineChars); err != nil {
		return err
	}
	if strings.TrimSpace(c.Name) == "" {
		return FieldError("contact.name", "is required")
	}
	if c.Phone != "" {
		if n, err := NormalisePhone(c.Phone); err != nil || n != c.Phone {
			return FieldError("contact.phone", "%q is not in E.164 form (+ country code and number)", c.Phone)
		}
	}
	if c.Email != "" {
		if a, err := mail.ParseAddress(c.Email); err != nil || a.Address != c.Email {
			return FieldError("contact.email", "%q is not an email address", c.Email)
		}
	}
	return nil
}

// NormalisePhone turns a phone number as people write it, such as
// "(+223) 77 08 40 23", into E.164 ("+22377084023"). Numbers must carry
// their country code, since a contact list spans many countries.
func NormalisePhone(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	cleaned := strings.NewReplacer("(", "", ")", "").Replace(s)
	if strings.HasPrefix(cleaned, "00") {
		cleaned = "+" + cleaned[2:]
	}
	n, err := phonenumbers.Parse(cleaned, "")
	if err != nil || !phonenumbers.IsPossibleNumber(n) {
		return "", FieldError("phone", "%q is not a phone number with its country code, e.g. +223 77 08 40 23", s)
	}
	return phonenumbers.Format(n, phonenumbers.E164), nil
}

// DisplayPhone writes an E.164 number the way readers expect it:
// "+223 77 08 40 23".
func DisplayPhone(e164 string) string {
	n, err := phonenumbers.Parse(e164, "")
	if err != nil {
		return e164
	}
	return phonenumbers.Format(n, phonenumbers.INTERNATIONAL)
}

// OrganisationName is an organisation's ID, slug and name
// (Reader.OrganisationNames).
type OrganisationName struct {
	ID         int64
	Slug, Name string
}

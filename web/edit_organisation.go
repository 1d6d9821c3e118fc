package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	vigie "github.com/vigie-network/vigie"
)

// The organisation form: a member organisation and its contacts. Members
// edit only their own countries' organisations; the service checks it on
// save, and the form refuses to open for other countries.

type organisationForm struct {
	editorChrome
	ID          int64
	Action      string
	Countries   []countryOption
	Country     string
	Name        string
	Acronym     string
	Description string
	Founded     string
	OfficeCity  string
	Regions     string
	AreasOfWork string
	Website     string
	Contacts    []contactRow
	Errors      fieldErrors
	Saved       bool
	PublicLink  string
}

type contactRow struct {
	N                                  int
	Name, Title, Phone, Email, Address string
	Remove                             bool
	Errors                             fieldErrors
}

func (c contactRow) blank() bool {
	return c.Name == "" && c.Title == "" && c.Phone == "" && c.Email == "" && c.Address == ""
}

// listPage is the list of organisations, publications or news an editor
// may open.
type listPage struct {
	editorChrome
	Heading  string
	Intro    string
	NewLink  string
	NewLabel string
	Items    []listItem
	Empty    string
}

type listItem struct {
	Link, Title, Meta string
}

const maxContactRows = 50

// findOrganisation loads an organisation by its ID in the address.
func (s *Server) findOrganisation(w http.ResponseWriter, r *http.Request) (vigie.Organisation, bool) {
	id, ok := pathID(r, "id")
	if ok {
		orgs, err := s.store.Organisations(r.Context(), vigie.OrganisationFilter{})
		if err != nil {
			s.serverError(w, r, err)
			return vigie.Organisation{}, false
		}
		for _, o := range orgs {
			if o.ID == id {
				return o, true
			}
		}
	}
	s.notFoundMessage(w, r, tr(r, "orgform.not_found"))
	return vigie.Organisation{}, false
}

func (s *Server) handleOrganisations(w http.ResponseWriter, r *http.Request) {
	u, ok := s.signedIn(w, r)
	if !ok {
		return
	}
	if !abilitiesOf(u).Organisations {
		s.fail(w, r, vigie.Authorize(u, vigie.ActEditOrganisation, ""))
		return
	}
	orgs, err := s.store.Organisations(r.Context(), vigie.OrganisationFilter{})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	page := listPage{editorChrome: chrome(u), Heading: tr(r, "orgform.list_title"), NewLink: "/edit/organisations/new",
		NewLabel: tr(r, "orgform.add"), Empty: tr(r, "orgform.list_empty")}
	if u.Role == vigie.RoleMember {
		page.Intro = tr(r, "orgform.list_intro")
	}
	lang := langOf(r.Context())
	for _, o := range orgs {
		if !u.Can(vigie.ActEditOrganisation, o.Country) {
			continue
		}
		page.Items = append(page.Items, listItem{Link: "/edit/organisations/" + strconv.FormatInt(o.ID, 10),
			Title: o.DisplayName(), Meta: orgCountryName(lang, o.Country)})
	}
	s.render(w, r, http.StatusOK, "edit_list", layout{Title: page.Heading, Page: page})
}

func (s *Server) handleOrganisationForm(w http.ResponseWriter, r *http.Request) {
	u, ok := s.signedIn(w, r)
	if !ok {
		return
	}
	f := organisationForm{editorChrome: chrome(u), Action: "/edit/organisations/new", Errors: fieldErrors{}}
	if r.PathValue("id") != "" {
		o, ok := s.findOrganisation(w, r)
		if !ok {
			return
		}
		if err := vigie.Authorize(u, vigie.ActEditOrganisation, o.Country); err != nil {
			s.fail(w, r, err)
			return
		}
		f.fill(o)
		f.Saved = r.URL.Query().Has("saved")
	} else {
		f.Country = strings.ToUpper(r.URL.Query().Get("country"))
		if f.Country == "" && len(u.Countries) > 0 {
			f.Country = u.Countries[0]
		}
		if err := vigie.Authorize(u, vigie.ActEditOrganisation, f.Country); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	f.Countries = orgCountryOptions(langOf(r.Context()), u, f.Country)
	f.addBlankRow()
	s.render(w, r, http.StatusOK, "edit_organisation", layout{Title: nonBlank(f.Name, tr(r, "orgform.new_title")), Page: f})
}

// orgCountryOptions are the countries a user may choose, named in lang
// and in that language's alphabetical order.
func orgCountryOptions(lang string, u *vigie.User, selected string) []countryOption {
	opts := countryOptions(u, selected)
	if lang == "en" {
		return opts
	}
	for i := range opts {
		opts[i].Name = orgCountryName(lang, opts[i].ISO2)
	}
	slices.SortStableFunc(opts, func(a, b countryOption) int { return compareNames(lang, a.Name, b.Name) })
	return opts
}

// orgCountryName names the country of an ISO code in lang.
func orgCountryName(lang, iso2 string) string {
	if c, ok := vigie.CountryByISO2(iso2); ok {
		return c.Name(lang)
	}
	return iso2
}

// nonBlank is a, or b when a is blank.
func nonBlank(a, b string) string {
	if strings.TrimSpace(a) != "" {
		return a
	}
	return b
}

func (f *organisationForm) fill(o vigie.Organisation) {
	f.ID, f.Action = o.ID, "/edit/organisations/"+strconv.FormatInt(o.ID, 10)
	f.Country, f.Name, f.Acronym, f.Description = o.Country, o.Name, o.Acronym, o.Description
	f.Founded, f.OfficeCity, f.Website = o.Founded.String(), o.OfficeCity, o.Website
	f.Regions, f.AreasOfWork = strings.Join(o.Regions, ", "), strings.Join(o.AreasOfWork, ", ")
	if c, ok := vigie.CountryByISO2(o.Country); ok {
		f.PublicLink = "/countries/" + c.Slug + "#organisations"
	}
	f.Contacts = nil
	for i, ct := range o.Contacts {
		f.Contacts = append(f.Contacts, contactRow{N: i, Name: ct.Name, Title: ct.Title, Phone: ct.Phone,
			Email: ct.Email, Address: ct.Address})
	}
}

func (f *organisationForm) addBlankRow() {
	n := 0
	for _, c := range f.Contacts {
		if c.blank() && !c.Remove {
			return
		}
		n = max(n, c.N+1)
	}
	f.Contacts = append(f.Contacts, contactRow{N: n})
}

func (s *Server) handleOrganisationSave(w http.ResponseWriter, r *http.Request) {
	u, ok := s.signedIn(w, r)
	if !ok {
		return
	}
	var o vigie.Organisation
	if r.PathValue("id") != "" {
		if o, ok = s.findOrganisation(w, r); !ok {
			return
		}
	}
	storedSlug := o.Slug // "" for a new one
	if !parseForm(w, r) {
		return
	}
	form := r.PostForm
	f := organisationForm{editorChrome: chrome(u), ID: o.ID, Action: r.URL.Path, Errors: fieldErrors{},
		Country: strings.ToUpper(form.Get("country")), Name: strings.TrimSpace(form.Get("name")),
		Acronym: strings.TrimSpace(form.Get("acronym")), Description: strings.TrimSpace(form.Get("description")),
		Founded: strings.TrimSpace(form.Get("founded")), OfficeCity: strings.TrimSpace(form.Get("office_city")),
		Regions: form.Get("regions"), AreasOfWork: form.Get("areas_of_work"), Website: strings.TrimSpace(form.Get("website"))}
	o.Country, o.Name, o.Acronym, o.Description, o.OfficeCity, o.Website = f.Country, f.Name, f.Acronym, f.Description, f.OfficeCity, f.Website
	o.Regions, o.AreasOfWork = splitList(f.Regions), splitList(f.AreasOfWork)
	founded, err := vigie.ParseAsOf(f.Founded)
	if err != nil {
		f.Errors["founded"] = errText(langOf(r.Context()), err)
	}
	o.Founded = founded

	o.Contacts = nil
	rows, _ := strconv.Atoi(form.Get("contacts"))
	for i := range min(max(rows, 0), maxContactRows) {
		field := func(name string) string {
			return strings.TrimSpace(form.Get("contact_" + strconv.Itoa(i) + "_" + name))
		}
		row := contactRow{N: i, Name: field("name"), Title: field("title"), Phone: field("phone"), Email: field("email"),
			Address: field("address"), Remove: field("remove") != "", Errors: fieldErrors{}}
		if !row.Remove && !row.blank() {
			ct := vigie.Contact{Name: row.Name, Title: row.Title, Email: row.Email, Address: row.Address}
			phone, err := vigie.NormalisePhone(row.Phone)
			if err != nil {
				row.Errors.addIn(langOf(r.Context()), err)
			}
			ct.Phone = phone
			// The domain's checks, run per row so the message lands on it.
			var e *vigie.Error
			if err := ct.Validate(); errors.As(err, &e) && row.Errors[e.Field] == "" {
				row.Errors[strings.TrimPrefix(e.Field, "contact.")] = errorText(langOf(r.Context()), e)
			}
			if row.Errors.Any() {
				f.Errors["contacts"] = tr(r, "orgform.check_contacts")
			}
			o.Contacts = append(o.Contacts, ct)
		}
		f.Contacts = append(f.Contacts, row)
	}
	show := func(status int) {
		f.Countries = orgCountryOptions(langOf(r.Context()), u, f.Country)
		f.addBlankRow()
		s.render(w, r, status, "edit_organisation", layout{Title: nonBlank(f.Name, tr(r, "orgform.new_title")), Page: f})
	}
	if f.Errors.Any() {
		show(http.StatusBadRequest)
		return
	}
	err = s.service.SaveOrganisation(r.Context(), actor(r), storedSlug, &o)
	switch vigie.ErrorCode(err) {
	case "":
		http.Redirect(w, r, "/edit/organisations/"+strconv.FormatInt(o.ID, 10)+"?saved", http.StatusSeeOther)
	case vigie.EINVALID:
		var e *vigie.Error
		if errors.As(err, &e) && strings.HasPrefix(e.Field, "contact.") {
			f.Errors["contacts"] = sentence(strings.TrimPrefix(e.Field, "contact.") + ": " + errorPhrase(langOf(r.Context()), e))
		} else {
			f.Errors.addIn(langOf(r.Context()), err)
		}
		show(http.StatusBadRequest)
	default:
		s.fail(w, r, err)
	}
}

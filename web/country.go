package web

import (
	"context"
	"html/template"
	"net/http"
	"strings"

	vigie "github.com/vigie-network/vigie"
)

// countryPage follows the order of the network's country pages: featured
// story, member organisations, reports, news, then the indicators.
type countryPage struct {
	Featured        *storyLink
	Name, Region    string
	Slug            string // for links to the library, newsroom and directory
	Assessed, Total int
	Organisations   []orgView
	Publications    []pubView
	News            []storyLink
	Indicators      []assessmentView
}

type orgView struct {
	Name        string   // with the acronym
	Description []string // paragraphs
	Founded     string
	OfficeCity  string
	Regions     string
	AreasOfWork string
	Website     string // only http(s) links
	Contacts    []contactView
}

type contactView struct {
	Name, Title, Address string
	Phone                string // as readers write it: "+223 77 08 40 23"
	PhoneLink            string // E.164, for tel: links
	Email                string
}

type pubView struct {
	Title, Type, Publishers, Link string
	Year                          int
	File                          *fileView // an uploaded PDF
}

type assessmentView struct {
	Key, Name   string
	Rating      ratingView
	Value       string
	Explanation template.HTML
	AsOf        string
	Sources     []citationView
}

// citationView is one source as the assessment cites it.
type citationView struct {
	Law        bool
	Title      string
	Identifier string // shown only when the title does not already hold it
	Publisher  string
	Year       int
	StatusAsOf int
	Articles   string
	Link       string
}

// displayPhones remembers formatted numbers: parsing a number with its
// country's rules runs a dozen regular expressions.
var displayPhones = newMemo[string](4096)

// newsOnCountryPage bounds the country page's news list.
const newsOnCountryPage = 10

func (s *Server) handleCountry(w http.ResponseWriter, r *http.Request) {
	slug := r.PathValue("slug")
	c, ok := vigie.CountryBySlug(slug)
	if !ok {
		// ISO codes ("ML", "ml") and names as documents write them ("The
		// Gambia", "Ivory Coast") lead to the one address of the page.
		if c, ok = findCountry(slug); ok {
			http.Redirect(w, r, "/countries/"+c.Slug, http.StatusMovedPermanently)
			return
		}
		s.notFoundMessage(w, r, "We have no country or territory at this address. Every one we monitor is in the list of countries.")
		return
	}
	page, err := s.countryPage(r.Context(), c)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "country", layout{Title: page.Name, Page: page})
}

func findCountry(s string) (vigie.Country, bool) {
	if len(s) == 2 {
		if c, ok := vigie.CountryByISO2(s); ok {
			return c, true
		}
	}
	return vigie.LookupCountry(s)
}

func (s *Server) countryPage(ctx context.Context, c vigie.Country) (countryPage, error) {
	page := countryPage{Name: c.Name("en"), Slug: c.Slug}
	if c.SubRegion.Code != "" {
		page.Region = c.SubRegion.Names.EN + ", " + c.Region.Names.EN
	}
	var err error
	if page.Featured, err = s.featured(ctx); err != nil {
		return page, err
	}

	orgs, err := s.store.Organisations(ctx, vigie.OrganisationFilter{Country: c.ISO2})
	if err != nil {
		return page, err
	}
	for _, o := range orgs {
		page.Organisations = append(page.Organisations, newOrgView(o))
	}

	pubs, err := s.store.Publications(ctx, vigie.PublicationFilter{Country: c.ISO2})
	if err != nil {
		return page, err
	}
	for _, p := range pubs {
		page.Publications = append(page.Publications, newPubView(p))
	}

	news, err := s.store.NewsItems(ctx, vigie.NewsFilter{Country: c.ISO2, Limit: newsOnCountryPage})
	if err != nil {
		return page, err
	}
	for _, n := range news {
		page.News = append(page.News, newStoryLink(n))
	}

	inds, err := s.store.Indicators(ctx)
	if err != nil {
		return page, err
	}
	ratings, err := s.store.Ratings(ctx)
	if err != nil {
		return page, err
	}
	written, err := s.store.Assessments(ctx, vigie.AssessmentFilter{Country: c.ISO2})
	if err != nil {
		return page, err
	}
	byKey := make(map[string]vigie.Assessment, len(written))
	for _, a := range written {
		byKey[a.Indicator] = a
	}
	sc := newScale(ratings)
	page.Total = len(inds)
	for _, ind := range inds {
		a, ok := byKey[ind.Key]
		if !ok {
			a = vigie.Unassessed(c.ISO2, ind.Key)
		} else if sc.assessed(a) {
			page.Assessed++
		}
		page.Indicators = append(page.Indicators, s.newAssessmentView(ind, a, sc))
	}
	return page, nil
}

func newOrgView(o vigie.Organisation) orgView {
	v := orgView{
		Name:        o.DisplayName(),
		Description: paragraphs(o.Description),
		Founded:     o.Founded.Display(),
		OfficeCity:  o.OfficeCity,
		Regions:     strings.Join(o.Regions, ", "),
		AreasOfWork: strings.Join(o.AreasOfWork, ", "),
		Website:     webLink(o.Website),
	}
	for _, ct := range o.Contacts {
		cv := contactView{Name: ct.Name, Title: ct.Title, Email: ct.Email, Address: ct.Address}
		if ct.Phone != "" {
			cv.Phone, cv.PhoneLink = displayPhones.get(ct.Phone, vigie.DisplayPhone), ct.Phone
		}
		v.Contacts = append(v.Contacts, cv)
	}
	return v
}

func newPubView(p vigie.Publication) pubView {
	typ, ok := vigie.PublicationTypeNames[p.Type]
	if !ok {
		typ = p.Type
	}
	return pubView{Title: p.Title, Type: typ, Publishers: strings.Join(p.Publishers, ", "),
		Link: webLink(p.Link), Year: p.Year, File: newFileView(p.File)}
}

func (s *Server) newAssessmentView(ind vigie.Indicator, a vigie.Assessment, sc scale) assessmentView {
	v := assessmentView{
		Key:         ind.Key,
		Name:        ind.Name,
		Rating:      sc.view(a.Rating),
		Value:       formatValue(ind.ValueKind, a.Value),
		Explanation: s.explanation.HTML(a.Explanation),
		AsOf:        a.AsOf.Display(),
	}
	for _, ct := range a.Citations {
		src := ct.Source
		cv := citationView{Law: src.Kind == vigie.SourceLaw, Title: src.Title, Publisher: src.Publisher,
			Year: src.Year, StatusAsOf: src.StatusAsOf, Articles: ct.Articles, Link: webLink(src.Link)}
		if src.Identifier != "" && !strings.Contains(vigie.Fold(src.Title), vigie.Fold(src.Identifier)) {
			cv.Identifier = src.Identifier
		}
		v.Sources = append(v.Sources, cv)
	}
	return v
}

// webLink keeps only http and https links. The domain validates links
// already; this guards the page against data written by other means.
func webLink(u string) string {
	u = strings.TrimSpace(u)
	l := strings.ToLower(u)
	if strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "http://") {
		return u
	}
	return ""
}

// paragraphs splits plain text on blank lines.
func paragraphs(s string) []string {
	var out []string
	for p := range strings.SplitSeq(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

package web

import (
	"context"
	"html/template"
	"net/http"
	"strings"

	vigie "github.com/vigie-network/vigie"
)

// countryPage opens with the country at a glance, its nine ratings in
// one summary; then follow, in the order of the network's country pages,
// member organisations, reports, news, then the indicators at length.
type countryPage struct {
	Featured        *storyLink
	Name, Region    string
	Glance          []glanceItem
	Slug            string // for links to the library, newsroom and directory
	Assessed, Total int
	Organisations   []orgView
	// OrganisationsCut is how many organisations the page shows when the
	// directory lists more (0 when it shows them all).
	OrganisationsCut int
	// PublicationsCut is how many reports it shows when the library holds
	// more on the country (0 when it shows them all).
	PublicationsCut int
	Publications    []pubView
	News            []storyLink
	Indicators      []assessmentView
	AsOf            *asOfView    // when ?as_of= shows the past (asof.go)
	Timeline        timelineView // every published rating change (timeline.go)
}

type orgView struct {
	Name        string   // with the acronym
	Description []string // paragraphs, in the reader's language
	// DescriptionFallback: the description is in English, untranslated.
	DescriptionFallback bool
	Founded             string
	OfficeCity          string
	Regions             string
	AreasOfWork         string
	Website             string // only http(s) links
	Contacts            []contactView
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
	// ExplanationFallback: the explanation is in English, untranslated.
	ExplanationFallback bool
	AsOf                string
	Sources             []citationView
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

// orgsOnCountryPage bounds its organisations: a country has a few member
// organisations, and the directory lists them all when it has more.
const orgsOnCountryPage = 12

// pubsOnCountryPage bounds its reports, the most recent first; the
// library lists them all.
const pubsOnCountryPage = 12

func (s *Server) handleCountry(w http.ResponseWriter, r *http.Request) {
	slug := r.PathValue("slug")
	c, ok := vigie.CountryBySlug(slug)
	if !ok {
		// ISO codes ("ML", "ml") and names as documents write them ("The
		// Gambia", "Ivory Coast") lead to the one address of the page.
		if c, ok = findCountry(slug); ok {
			http.Redirect(w, r, langPath(langOf(r.Context()), "/countries/"+c.Slug), http.StatusMovedPermanently)
			return
		}
		s.notFoundMessage(w, r, tr(r, "error.no_country"))
		return
	}
	when, ok := s.readAsOf(w, r)
	if !ok {
		return
	}
	page, err := s.countryPage(r.Context(), c, when)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	page.AsOf, page.Timeline.DateForm = when.banner(r), when.form(r)
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

func (s *Server) countryPage(ctx context.Context, c vigie.Country, when asOf) (countryPage, error) {
	lang := langOf(ctx)
	page := countryPage{Name: c.Name(lang), Slug: c.Slug}
	if c.SubRegion.Code != "" {
		page.Region = c.SubRegion.Names.In(lang) + ", " + c.Region.Names.In(lang)
	}
	var err error
	if page.Featured, err = s.featured(ctx); err != nil {
		return page, err
	}

	orgs, err := s.store.Organisations(ctx, vigie.OrganisationFilter{Country: c.ISO2, Limit: orgsOnCountryPage + 1})
	if err != nil {
		return page, err
	}
	if len(orgs) > orgsOnCountryPage {
		orgs, page.OrganisationsCut = orgs[:orgsOnCountryPage], orgsOnCountryPage
	}
	news, err := s.store.NewsItems(ctx, vigie.NewsFilter{Country: c.ISO2, Limit: newsOnCountryPage})
	if err != nil {
		return page, err
	}
	// The translations of what the page shows, in one query per kind.
	want := map[string][]string{vigie.KindAssessment: {}, vigie.KindOrganisation: {}, vigie.KindNews: {}}
	for _, o := range orgs {
		want[vigie.KindOrganisation] = append(want[vigie.KindOrganisation], o.Slug)
	}
	for _, n := range news {
		want[vigie.KindNews] = append(want[vigie.KindNews], n.Slug)
	}
	all, err := s.source.Indicators(ctx)
	if err != nil {
		return page, err
	}
	for _, ind := range all {
		want[vigie.KindAssessment] = append(want[vigie.KindAssessment], vigie.AssessmentKey(c.ISO2, ind.Key))
	}
	tr, err := s.translator(ctx, lang, want)
	if err != nil {
		return page, err
	}

	for _, o := range orgs {
		v := newOrgView(o)
		v.translate(tr, o)
		page.Organisations = append(page.Organisations, v)
	}

	pubs, err := s.store.Publications(ctx, vigie.PublicationFilter{Country: c.ISO2, Limit: pubsOnCountryPage + 1})
	if err != nil {
		return page, err
	}
	if len(pubs) > pubsOnCountryPage {
		pubs, page.PublicationsCut = pubs[:pubsOnCountryPage], pubsOnCountryPage
	}
	for _, p := range pubs {
		v := newPubView(p)
		v.Type = publicationType(lang, p.Type)
		page.Publications = append(page.Publications, v)
	}

	for _, n := range news {
		l := newStoryLink(n)
		l.translate(tr)
		page.News = append(page.News, l)
	}

	inds, err := s.store.Indicators(ctx)
	if err != nil {
		return page, err
	}
	ratings, err := s.store.Ratings(ctx)
	if err != nil {
		return page, err
	}
	written, err := s.assessmentsAt(ctx, when, vigie.AssessmentFilter{Country: c.ISO2})
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
		v := s.newAssessmentView(ind, a, sc)
		v.translate(s, tr, a, ind)
		page.Indicators = append(page.Indicators, v)
	}
	if page.Timeline, err = s.timeline(ctx, c, inds, ratings, when); err != nil {
		return page, err
	}
	page.Glance = glanceOf("", page.Indicators, page.Timeline.changed)
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

// translate puts the organisation's description in tr's language.
func (v *orgView) translate(tr translator, o vigie.Organisation) {
	d := tr.text(vigie.KindOrganisation, o.Slug, "description", o.Description)
	v.Description, v.DescriptionFallback = paragraphs(d.Text), d.Fallback
	v.Founded = asOfIn(tr.lang, o.Founded)
}

// translate puts the assessment's explanation, value and date in tr's
// language; the indicator's name and the rating come translated from
// s.store.
func (v *assessmentView) translate(s *Server, tr translator, a vigie.Assessment, ind vigie.Indicator) {
	if tr.lang == vigie.SourceLanguage {
		return
	}
	e := tr.text(vigie.KindAssessment, vigie.AssessmentKey(a.Country, a.Indicator), "explanation", a.Explanation)
	if !e.Fallback {
		v.Explanation = s.explanation.HTML(e.Text)
	}
	v.ExplanationFallback = e.Fallback
	v.Value = formatValueIn(tr.lang, ind.ValueKind, a.Value)
	v.AsOf = asOfIn(tr.lang, a.AsOf)
}

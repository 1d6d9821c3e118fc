package web

import (
	"html/template"
	"net/http"
	"strings"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/web/i18n"
	"github.com/vigie-network/vigie/worldmap"
)

// mapView is the world map of one indicator, ready for the "worldmap"
// partial: a link that skips it (its 249 country links would otherwise
// hold a keyboard user for 249 presses), the SVG, its legend and the note
// on borders under it.
type mapView struct {
	ID          string // prefix of the map's element ids
	Label       string // what the map shows, for the skip link
	SVG         template.HTML
	Legend      template.HTML
	Attribution string
}

// ratingMap draws the world coloured by each country's rating for ind:
// every country links to its section of its country page (keeping the
// as_of date) with the tooltip "Name: Rating". Countries missing from
// byCountry show as not yet assessed.
func ratingMap(lang, id string, ind vigie.Indicator, ratings []vigie.Rating, byCountry map[string]vigie.Assessment, when asOf) (mapView, error) {
	sc := newScale(ratings)
	cat := i18n.Default()
	label := cat.T(lang, "map.label", "Indicator", ind.Name)
	if when.Param != "" {
		label = cat.T(lang, "map.label_as_of", "Indicator", ind.Name, "Date", newDate(when.At).in(lang))
	}
	opts := worldmap.Options{
		ID:    id,
		Title: cat.T(lang, "map.title", "Label", label),
		Desc:  cat.T(lang, "map.desc"),
		Countries: func(iso2 string) worldmap.Style {
			c, _ := vigie.CountryByISO2(iso2)
			rating := vigie.RatingNotYetAssessed
			if a, ok := byCountry[iso2]; ok {
				rating = a.Rating
			}
			return worldmap.Style{
				Fill:  worldmap.RatingFill(rating),
				Class: "r-" + rating,
				Title: c.Name(lang) + ": " + sc.view(rating).Label,
				Href:  langPath(lang, "/countries/"+c.Slug+when.query()) + "#" + ind.Key,
			}
		},
	}
	for _, r := range ratings {
		opts.Legend = append(opts.Legend, worldmap.LegendItem{Fill: worldmap.RatingFill(r.Key), Label: r.Label})
	}
	var svg, legend strings.Builder
	if err := worldmap.Render(&svg, opts); err != nil {
		return mapView{}, err
	}
	if err := worldmap.RenderLegend(&legend, opts); err != nil {
		return mapView{}, err
	}
	// worldmap escapes every text and link it writes.
	return mapView{ID: id, Label: label, SVG: template.HTML(svg.String()), Legend: template.HTML(legend.String()),
		Attribution: worldmap.Attribution}, nil
}

// homeMap is the home page's map: one indicator, chosen with a small
// form, as of a date if the address gives one.
type homeMap struct {
	Indicator vigie.Indicator
	Choices   []choice
	AsOf      string // the date the form keeps, or ""
	Map       mapView
	TableLink string // the same data as a table, on the indicator page
}

// homeExplore reads ?indicator= and ?as_of= and draws the home page's map.
// It answers 400 itself, and returns false, when a parameter is wrong.
func (s *Server) homeExplore(w http.ResponseWriter, r *http.Request, inds []vigie.Indicator) (*homeMap, *asOfView, bool) {
	when, ok := s.readAsOf(w, r)
	if !ok || len(inds) == 0 {
		return nil, nil, ok
	}
	ind := inds[0]
	if key := trimParam(r, "indicator"); key != "" {
		found, ok := indicatorsByKey(inds)[key]
		if !ok {
			s.badParam(w, r, "indicator", "%s", tr(r, "badparam.no_indicator_map", "Key", key))
			return nil, nil, false
		}
		ind = found
	}
	ctx := r.Context()
	ratings, err := s.store.Ratings(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return nil, nil, false
	}
	written, err := s.assessmentsAt(ctx, when, vigie.AssessmentFilter{Indicator: ind.Key})
	if err != nil {
		s.serverError(w, r, err)
		return nil, nil, false
	}
	m := &homeMap{Indicator: ind, AsOf: when.Param,
		TableLink: "/indicators/" + ind.Key + when.query() + "#countries"}
	for _, i := range inds {
		m.Choices = append(m.Choices, choice{Value: i.Key, Label: i.Name, Selected: i.Key == ind.Key})
	}
	if m.Map, err = ratingMap(langOf(ctx), "home-map", ind, ratings, byCountry(written), when); err != nil {
		s.serverError(w, r, err)
		return nil, nil, false
	}
	return m, when.banner(r), true
}

func byCountry(list []vigie.Assessment) map[string]vigie.Assessment {
	m := make(map[string]vigie.Assessment, len(list))
	for _, a := range list {
		m[a.Country] = a
	}
	return m
}

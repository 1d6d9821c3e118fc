package web

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/web/i18n"
)

// Explore (issue #5): the world map, one indicator across the world,
// compare, time travel, what changed, search, and the researchers'
// staleness view. The pages register here; their handlers live in
// explore_map.go, explore_indicator.go, compare.go, changes.go,
// timeline.go, search.go and stale.go, and the date handling they share in
// asof.go.
func init() {
	maps.Copy(pageModels, map[string]any{
		"compare": comparePage{},
		"changes": changesPage{},
		"search":  searchPage{},
		"stale":   stalePage{},
	})
	layoutFiles = append(layoutFiles, "templates/explore_partials.tmpl")
}

// exploreRoutes are the pages of issue #5 that have their own address; the
// map, the indicator table and the timeline live on pages of issue #2.
func (s *Server) exploreRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /compare", s.handleCompare)
	mux.HandleFunc("GET /indicators/{key}/progress.csv", s.handleProgressCSV)
	s.shareRoutes(mux) // og.go
	s.embedRoutes(mux) // embed.go
	mux.HandleFunc("GET /changes", s.handleChanges)
	mux.HandleFunc("GET /search", s.handleSearch)
	mux.HandleFunc("GET /edit/stale", s.handleStale)
}

// badParam answers a request whose address carries a value we cannot use
// with a 400 page that names the parameter and says what it takes.
func (s *Server) badParam(w http.ResponseWriter, r *http.Request, param, format string, args ...any) {
	s.render(w, r, http.StatusBadRequest, "error", layout{
		Title: tr(r, "error.bad_request"),
		Page: errorPage{Heading: tr(r, "error.bad_request_heading"),
			Message: tr(r, "error.bad_param", "Param", param) + " " + fmt.Sprintf(format, args...)},
	})
}

// linkWith returns the request's path and query with the given parameters
// set (pairs of name and value); an empty value removes the parameter.
func linkWith(r *http.Request, pairs ...string) string {
	q := r.URL.Query()
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] == "" {
			q.Del(pairs[i])
		} else {
			q.Set(pairs[i], pairs[i+1])
		}
	}
	return pathWithQuery(r.URL.Path, q)
}

func pathWithQuery(path string, q url.Values) string {
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// choice is an <option> of a filter form.
type choice struct {
	Value, Label string
	Selected     bool
	Indent       bool // a sub-region under its region
}

// hiddenField carries a parameter through a form that does not edit it,
// such as the sort order through the filter form.
type hiddenField struct {
	Name, Value string
}

// hiddenFields lists the request's parameters except the named ones, for
// a form that sets those.
func hiddenFields(r *http.Request, except ...string) []hiddenField {
	q := r.URL.Query()
	var out []hiddenField
	for _, k := range slices.Sorted(maps.Keys(q)) {
		if slices.Contains(except, k) {
			continue
		}
		for _, v := range q[k] {
			if v != "" {
				out = append(out, hiddenField{k, v})
			}
		}
	}
	return out
}

// regionChoices lists the UN M49 regions, each followed by its
// sub-regions, and the territories in no region, for a region filter.
// Regions are named by the slug of their English name, as in the library.
func regionChoices(lang, selected string) []choice {
	var out []choice
	for _, r := range vigie.Regions() {
		out = append(out, choice{Value: vigie.Slugify(r.Names.EN), Label: r.Names.In(lang), Selected: vigie.Slugify(r.Names.EN) == selected})
		for _, sr := range vigie.SubRegions(r.Code) {
			slug := vigie.Slugify(sr.Names.EN)
			out = append(out, choice{Value: slug, Label: sr.Names.In(lang), Selected: slug == selected, Indent: true})
		}
	}
	return append(out, choice{Value: otherRegion, Label: i18n.Default().T(lang, "region.other_territories"), Selected: selected == otherRegion})
}

// regionParam reads the ?region= filter of the explore pages: its name in
// the request's language (empty for none) and what it lets through. An
// unknown region is answered with 400 and ok false.
func (s *Server) regionParam(w http.ResponseWriter, r *http.Request) (name string, in func(vigie.Country) bool, ok bool) {
	region := trimParam(r, "region")
	if region == "" {
		return "", func(vigie.Country) bool { return true }, true
	}
	name, in, known := regionFilter(langOf(r.Context()), region)
	if !known {
		s.badParam(w, r, "region", "%s", tr(r, "badparam.no_region", "Region", region))
		return "", nil, false
	}
	return name, in, true
}

// regionFilter reads a region filter: the slug of a UN M49 region or
// sub-region (its M49 code works too), or otherRegion. It returns the
// region's name and whether a country is in it; ok is false for a value we
// do not know.
func regionFilter(lang, value string) (name string, in func(vigie.Country) bool, ok bool) {
	if value == otherRegion {
		return i18n.Default().T(lang, "region.other_territories"), func(c vigie.Country) bool { return c.Region.Code == "" }, true
	}
	for _, r := range vigie.Regions() {
		for _, area := range append([]vigie.Region{r}, vigie.SubRegions(r.Code)...) {
			if area.Code == value || vigie.Slugify(area.Names.EN) == value {
				code := area.Code
				return area.Names.In(lang), func(c vigie.Country) bool {
					return c.Region.Code == code || c.SubRegion.Code == code
				}, true
			}
		}
	}
	return "", nil, false
}

// indicatorsByKey indexes the framework.
func indicatorsByKey(inds []vigie.Indicator) map[string]vigie.Indicator {
	m := make(map[string]vigie.Indicator, len(inds))
	for _, ind := range inds {
		m[ind.Key] = ind
	}
	return m
}

// framework reads the indicators and the rating scale, which every
// explore page needs.
func (s *Server) framework(ctx context.Context) ([]vigie.Indicator, []vigie.Rating, error) {
	inds, err := s.store.Indicators(ctx)
	if err != nil {
		return nil, nil, err
	}
	ratings, err := s.store.Ratings(ctx)
	return inds, ratings, err
}

// today is the current date in UTC, the calendar of every date parameter.
func today() time.Time { return time.Now().UTC().Truncate(24 * time.Hour) }

// trimParam is a query parameter without surrounding spaces.
func trimParam(r *http.Request, name string) string {
	return strings.TrimSpace(r.URL.Query().Get(name))
}

package web

import (
	"net/http"
	"slices"
	"strings"

	vigie "github.com/vigie-network/vigie"
)

// maxCompared bounds the countries side by side: beyond a handful the
// table no longer fits a screen, even scrolled.
const maxCompared = 8

// comparePage puts the indicators × the chosen countries side by side.
type comparePage struct {
	AsOf      *asOfView
	DateForm  asOfForm
	Countries []comparedCountry
	Unknown   []string // codes in the address we do not know, as written
	Dropped   int      // countries beyond maxCompared
	Max       int
	Rows      []compareRow
	Add       []choice // countries that can still be added
	C         string   // the current list, for the add form
	Hidden    []hiddenField
}

type comparedCountry struct {
	Code, Slug, Name string
	Remove           string // the page without this country
}

type compareRow struct {
	Key, Name string
	Cells     []compareCell
}

// compareCell is one country's glance at one indicator.
type compareCell struct {
	Country string
	glanceItem
}

// handleCompare serves /compare?c=ml,gm,sn. The add form sends the list
// in c and the new country in add; the handler folds add into c and
// redirects, so that each comparison has one address.
func (s *Server) handleCompare(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	var codes []string
	for _, v := range q["c"] {
		for f := range strings.SplitSeq(v, ",") {
			if f = strings.TrimSpace(f); f != "" {
				codes = append(codes, f)
			}
		}
	}
	if add := strings.TrimSpace(q.Get("add")); add != "" || len(q["c"]) > 1 {
		if add != "" {
			codes = append(codes, add)
		}
		q.Del("add")
		q.Set("c", strings.ToLower(strings.Join(codes, ",")))
		http.Redirect(w, r, pathWithQuery("/compare", q), http.StatusSeeOther)
		return
	}
	when, ok := s.readAsOf(w, r)
	if !ok {
		return
	}
	page := comparePage{AsOf: when.banner(r), DateForm: when.form(r), Max: maxCompared,
		Hidden: hiddenFields(r, "c", "add")}
	var chosen []vigie.Country
	for _, code := range codes {
		c, ok := findCountry(code)
		if !ok {
			page.Unknown = append(page.Unknown, code)
			continue
		}
		if slices.ContainsFunc(chosen, func(o vigie.Country) bool { return o.ISO2 == c.ISO2 }) {
			continue
		}
		if len(chosen) == maxCompared {
			page.Dropped++
			continue
		}
		chosen = append(chosen, c)
	}
	var list []string
	for _, c := range chosen {
		list = append(list, strings.ToLower(c.ISO2))
	}
	page.C = strings.Join(list, ",")
	for i, c := range chosen {
		rest := slices.Delete(slices.Clone(list), i, i+1)
		page.Countries = append(page.Countries, comparedCountry{Code: c.ISO2, Slug: c.Slug, Name: c.Name(langOf(ctx)),
			Remove: linkWith(r, "c", strings.Join(rest, ","))})
	}
	if len(chosen) < maxCompared {
		for _, c := range vigie.Countries() {
			if !slices.ContainsFunc(chosen, func(o vigie.Country) bool { return o.ISO2 == c.ISO2 }) {
				page.Add = append(page.Add, choice{Value: strings.ToLower(c.ISO2), Label: c.Name(langOf(ctx))})
			}
		}
	}

	inds, ratings, err := s.framework(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	sc := newScale(ratings)
	written := map[string]map[string]vigie.Assessment{}
	changed := map[string]map[string]int{}
	for _, c := range chosen {
		if changed[c.ISO2], err = s.ratingChangeYears(ctx, c.ISO2, when); err != nil {
			s.serverError(w, r, err)
			return
		}
		list, err := s.assessmentsAt(ctx, when, vigie.AssessmentFilter{Country: c.ISO2})
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		written[c.ISO2] = map[string]vigie.Assessment{}
		for _, a := range list {
			written[c.ISO2][a.Indicator] = a
		}
	}
	if len(chosen) > 0 {
		for _, ind := range inds {
			row := compareRow{Key: ind.Key, Name: ind.Name}
			for _, c := range chosen {
				a, ok := written[c.ISO2][ind.Key]
				if !ok {
					a = vigie.Unassessed(c.ISO2, ind.Key)
				}
				row.Cells = append(row.Cells, compareCell{Country: c.Name(langOf(ctx)), glanceItem: glanceItem{
					Key: ind.Key, Name: ind.Name, Link: "/countries/" + c.Slug + when.query() + "#" + ind.Key,
					Rating: sc.view(a.Rating), Value: formatValueIn(langOf(ctx), ind.ValueKind, a.Value),
					AsOf: asOfIn(langOf(ctx), a.AsOf), Changed: changed[c.ISO2][ind.Key]}})
			}
			page.Rows = append(page.Rows, row)
		}
	}
	title := tr(r, "compare.title")
	if len(page.Countries) > 0 {
		var names []string
		for _, c := range page.Countries {
			names = append(names, c.Name)
		}
		title = tr(r, "compare.title_of", "Countries", strings.Join(names, ", "))
	}
	s.render(w, r, http.StatusOK, "compare", layout{Title: title, Nav: "compare", Page: page})
}

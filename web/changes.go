package web

import (
	"cmp"
	"net/http"
	"slices"
	"strings"
	"time"

	vigie "github.com/vigie-network/vigie"
)

// changesPage is what changed in the world between two dates: the state
// published at the start of "from" against the state at the end of "to",
// so that changes made on either day count.
type changesPage struct {
	From, To            dateView
	FromValue, ToValue  string
	Max                 string
	Indicators, Regions []choice
	Filter              string // "Age of Consent, Western Africa", when filtered
	Counts              []changeCount
	Groups              []changeGroup
	Total               int
	ClearFilter         string
}

type changeCount struct {
	Label, Anchor string
	Count         int
}

type changeGroup struct {
	Kind             vigie.ChangeKind
	Heading, Meaning string
	Rows             []changeRow
}

type changeRow struct {
	Country, CountryLink string
	Indicator, IndLink   string
	Before, After        ratingView
	Value                string // the new value, when it changed
	Published            dateView
	History              string
	indicator            int // the indicator's position, to sort
}

// changeGroups are the sections of the page, in order; their headings
// and meanings are the messages changes.heading_KIND and
// changes.meaning_KIND. The order of the scale is in vigie.RatingChange.
var changeGroups = []vigie.ChangeKind{vigie.ChangeUp, vigie.ChangeDown, vigie.ChangeRating, vigie.ChangeNew, vigie.ChangeRevised}

func (s *Server) handleChanges(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	to, set, err := readDay(r, "to")
	if err != nil {
		s.badDay(w, r, "to")
		return
	}
	if !set {
		to = today()
	}
	from, set, err := readDay(r, "from")
	if err != nil {
		s.badDay(w, r, "from")
		return
	}
	if !set {
		from = to.AddDate(-1, 0, 0)
	}
	if from.After(to) {
		s.badParam(w, r, "from", "%s", tr(r, "badparam.start_after_end", "From", from.Format(time.DateOnly), "To", to.Format(time.DateOnly)))
		return
	}
	inds, ratings, err := s.framework(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	byKey := indicatorsByKey(inds)
	indicator := trimParam(r, "indicator")
	if _, ok := byKey[indicator]; indicator != "" && !ok {
		s.badParam(w, r, "indicator", "%s", tr(r, "badparam.no_indicator", "Key", indicator))
		return
	}
	regionName, inRegion, ok := s.regionParam(w, r)
	if !ok {
		return
	}

	f := vigie.AssessmentFilter{Indicator: indicator, RatingsOnly: true}
	before, err := s.store.AssessmentsAsOf(ctx, from.Add(-time.Nanosecond), f)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	after, err := s.store.AssessmentsAsOf(ctx, endOfDay(to), f)
	if err != nil {
		s.serverError(w, r, err)
		return
	}

	sc := newScale(ratings)
	page := changesPage{From: newDate(from), To: newDate(to), FromValue: from.Format(time.DateOnly),
		ToValue: to.Format(time.DateOnly), Max: today().Format(time.DateOnly), Regions: regionChoices(langOf(r.Context()), trimParam(r, "region")),
		ClearFilter: linkWith(r, "indicator", "", "region", "")}
	for _, ind := range inds {
		page.Indicators = append(page.Indicators, choice{Value: ind.Key, Label: ind.Name, Selected: ind.Key == indicator})
	}
	var filter []string
	if indicator != "" {
		filter = append(filter, byKey[indicator].Name)
	}
	if regionName != "" {
		filter = append(filter, regionName)
	}
	page.Filter = strings.Join(filter, ", ")

	groups := map[vigie.ChangeKind][]changeRow{}
	for _, ch := range vigie.DiffAssessments(before, after) {
		c, ok := vigie.CountryByISO2(ch.After.Country)
		ind, known := byKey[ch.After.Indicator]
		if !ok || !known || !inRegion(c) {
			continue
		}
		row := changeRow{Country: c.Name(langOf(ctx)), CountryLink: "/countries/" + c.Slug + "?as_of=" + page.ToValue + "#" + ind.Key,
			Indicator: ind.Name, IndLink: "/indicators/" + ind.Key + "?as_of=" + page.ToValue,
			Before: sc.view(ch.Before.Rating), After: sc.view(ch.After.Rating), Published: newDate(ch.After.UpdatedAt),
			History:   revisionLink(historyPath(c, ind.Key), ch.After.Revision),
			indicator: ind.Position}
		if v := formatValueIn(langOf(ctx), ind.ValueKind, ch.After.Value); v != formatValueIn(langOf(ctx), ind.ValueKind, ch.Before.Value) {
			row.Value = v
		}
		groups[ch.Kind] = append(groups[ch.Kind], row)
	}
	for _, kind := range changeGroups {
		rows := groups[kind]
		slices.SortFunc(rows, func(a, b changeRow) int {
			return cmp.Or(strings.Compare(vigie.Fold(a.Country), vigie.Fold(b.Country)), cmp.Compare(a.indicator, b.indicator))
		})
		heading, meaning := tr(r, "changes.heading_"+string(kind)), tr(r, "changes.meaning_"+string(kind))
		page.Counts = append(page.Counts, changeCount{Label: heading, Anchor: "changes-" + string(kind), Count: len(rows)})
		page.Total += len(rows)
		if len(rows) > 0 {
			page.Groups = append(page.Groups, changeGroup{Kind: kind, Heading: heading, Meaning: meaning, Rows: rows})
		}
	}
	s.render(w, r, http.StatusOK, "changes", layout{Title: tr(r, "changes.title"), Nav: "changes", Page: page})
}

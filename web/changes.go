package web

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"
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
	Pager               listPager
}

type changeCount struct {
	Label, Link string // Link: the group on this page, or the page it starts on
	Count       int
}

type changeGroup struct {
	Kind             vigie.ChangeKind
	Heading, Meaning string
	Continued        bool // the group began on the page before
	Rows             []changeRow
}

type changeRow struct {
	Country, CountryLink string
	Indicator, IndLink   string
	Before, After        ratingView
	Value                string // the new value, when it changed
	Published            dateView
	History              string
	indicator            int    // the indicator's position, to sort
	kind                 int    // the group's place in changeGroups
	folded               string // Country folded, to sort (vigie.Fold)
	change               int    // its place in the changes, to write it out when it is on the page
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

	// A cursor that cannot be read is refused before the month is.
	cur, ok := s.readCursor(w, r, "changes", 3)
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

	// Every change is placed in the order (all are counted); only the
	// rows of the page shown are written out, by fill below.
	groups := map[vigie.ChangeKind][]changeRow{}
	names := map[string][2]string{} // country code: its name and the name folded
	changes := vigie.DiffAssessments(before, after)
	for i, ch := range changes {
		c, ok := vigie.CountryByISO2(ch.After.Country)
		ind, known := byKey[ch.After.Indicator]
		if !ok || !known || !inRegion(c) {
			continue
		}
		name, seen := names[c.ISO2]
		if !seen {
			name = [2]string{c.Name(langOf(ctx)), vigie.Fold(c.Name(langOf(ctx)))}
			names[c.ISO2] = name
		}
		groups[ch.Kind] = append(groups[ch.Kind], changeRow{Country: name[0], folded: name[1], indicator: ind.Position,
			change: i})
	}
	fill := func(row *changeRow) {
		ch := changes[row.change]
		c, _ := vigie.CountryByISO2(ch.After.Country)
		ind := byKey[ch.After.Indicator]
		row.CountryLink = "/countries/" + c.Slug + "?as_of=" + page.ToValue + "#" + ind.Key
		row.Indicator, row.IndLink = ind.Name, "/indicators/"+ind.Key+"?as_of="+page.ToValue
		row.Before, row.After, row.Published = sc.view(ch.Before.Rating), sc.view(ch.After.Rating), newDate(ch.After.UpdatedAt)
		row.History = revisionLink(historyPath(c, ind.Key), ch.After.Revision)
		if v := formatValueIn(langOf(ctx), ind.ValueKind, ch.After.Value); v != formatValueIn(langOf(ctx), ind.ValueKind, ch.Before.Value) {
			row.Value = v
		}
	}
	// Every change of the period is known (two states compared, however
	// many revisions lie between); a page shows vigie.ChangesPageSize of
	// them, from after the row the cursor names.
	var rows []changeRow
	starts := map[vigie.ChangeKind]int{} // where each group starts in rows
	for i, kind := range changeGroups {
		list := groups[kind]
		for j := range list {
			list[j].kind = i
		}
		slices.SortFunc(list, compareChangeRows)
		starts[kind] = len(rows)
		rows = append(rows, list...)
	}
	start, end := 0, min(vigie.ChangesPageSize, len(rows))
	if len(cur.Key) == 3 {
		kind, kerr := strconv.Atoi(cur.Key[0])
		ind, ierr := strconv.Atoi(cur.Key[2])
		if kerr != nil || ierr != nil {
			s.badCursor(w, r)
			return
		}
		key := changeRow{kind: kind, Country: cur.Key[1], folded: vigie.Fold(cur.Key[1]), indicator: ind}
		// The row named, or where it would stand.
		at, found := slices.BinarySearchFunc(rows, key, compareChangeRows)
		if cur.Back { // the page ends just before it
			end = at
			start = max(end-vigie.ChangesPageSize, 0)
		} else {
			if found {
				at++
			}
			start, end = at, min(at+vigie.ChangesPageSize, len(rows))
		}
	}
	for i := start; i < end; i++ {
		fill(&rows[i])
	}
	prev, next := pageKeys(rows[start:end], start > 0, end < len(rows), changeKey)
	page.Pager = newListPager(r, "changes", start, end-start, vigie.ChangesPageSize, prev, next)
	page.Pager.Total = len(rows)
	page.Total = len(rows)
	for i, kind := range changeGroups {
		heading, meaning := tr(r, "changes.heading_"+string(kind)), tr(r, "changes.meaning_"+string(kind))
		// A group on another page is linked through the page it starts on.
		link, at := "#changes-"+string(kind), starts[kind]
		switch {
		case at >= start && at < end:
		case at == 0:
			link = linkWith(r, "after", "") + link
		default:
			link = linkWith(r, "after", encodeCursor(listCursor{List: "changes", Position: at, Key: changeKey(rows[at-1])})) + link
		}
		page.Counts = append(page.Counts, changeCount{Label: heading, Link: link, Count: len(groups[kind])})
		var shown []changeRow
		for _, row := range rows[start:end] {
			if row.kind == i {
				shown = append(shown, row)
			}
		}
		if len(shown) > 0 {
			page.Groups = append(page.Groups, changeGroup{Kind: kind, Heading: heading, Meaning: meaning, Rows: shown,
				Continued: at < start})
		}
	}
	title := tr(r, "changes.title")
	if start > 0 {
		title += ", " + tr(r, "pager.from_title", "From", page.Pager.From, "To", page.Pager.To)
	}
	s.render(w, r, http.StatusOK, "changes", layout{Title: title, Nav: "changes", Page: page})
}

// compareChangeRows is the order of /changes: by group, then country name,
// then indicator.
func compareChangeRows(a, b changeRow) int {
	return cmp.Or(cmp.Compare(a.kind, b.kind), strings.Compare(a.folded, b.folded), cmp.Compare(a.indicator, b.indicator))
}

// changeKey is a row's place in that order, for a page cursor.
func changeKey(row changeRow) []string {
	return []string{strconv.Itoa(row.kind), row.Country, strconv.Itoa(row.indicator)}
}

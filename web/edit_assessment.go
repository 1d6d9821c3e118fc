package web

import (
	"cmp"
	"context"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/web/i18n"
)

// The assessment form: one country × indicator, saved as a new revision
// through vigie.Service.SaveDraft. The form carries the revision it was
// loaded from ("base"); a save on a stale base comes back as a conflict
// with the other person's revision shown and the user's text kept.

type assessmentForm struct {
	editorChrome
	Country     countryLink
	Indicator   indicatorSummary // Summary holds the rationale
	HasValue    bool
	Ratings     []ratingOption
	Rating      string
	Value       string
	Explanation string
	AsOf        string
	Reason      string
	Base        int
	Sources     []sourceRow
	Library     []sourceOption
	Errors      fieldErrors

	Preview   template.HTML // the explanation as it will show, sanitised
	Previewed bool
	Plain     bool // the preview is plain text: the explanation is past the renderer's bounds
	Conflict  *conflictView
	Saved     *savedNotice
	Latest    *pendingRevision // set when the form starts from an unpublished revision
	Published int              // the published revision, 0 if none
	Report    *reportView      // the movement report the draft answers
	NeedsLook []needsLookFlag  // citations an import was unsure of; saving clears them

	lang string // the request's language, for the form's own messages
}

type ratingOption struct {
	Key, Label, Meaning string
	Checked             bool
}

// sourceRow is one citation in the form: a source chosen from the library
// (SourceID) or described anew, the articles cited, and its position.
type sourceRow struct {
	N                                                  int // the row's number in the form's field names
	SourceID                                           int64
	Kind, Title, Identifier, Publisher, Year, StatusAs string
	Link, Articles, Position                           string
	Remove                                             bool
	Errors                                             fieldErrors
}

func (r sourceRow) blank() bool {
	return r.SourceID == 0 && r.Title == "" && r.Identifier == "" && r.Publisher == "" && r.Year == "" &&
		r.StatusAs == "" && r.Link == "" && r.Articles == ""
}

// New reports whether the row describes a new source rather than picking
// one, so that the template opens its fields.
func (r sourceRow) New() bool { return r.SourceID == 0 }

type sourceOption struct {
	ID    int64
	Label string
}

type savedNotice struct {
	Number    int
	Submitted bool
}

// conflictView is the revision someone saved while the user was editing.
type conflictView struct {
	Number      int
	Author      string
	At          dateTimeView
	State       string
	Rating      ratingView
	Value, AsOf string
	Explanation string
	Sources     []citationView
	Diff        revisionDiff // from theirs to the user's
	Yours       bool         // saved by the same user, e.g. in another tab
}

// maxSourceRows bounds the rows a posted form may carry.
const maxSourceRows = 100

// assessmentTarget resolves the country and indicator of the address.
func (s *Server) assessmentTarget(w http.ResponseWriter, r *http.Request) (vigie.Country, vigie.Indicator, bool) {
	c, ok := vigie.CountryBySlug(r.PathValue("slug"))
	if !ok {
		s.notFoundMessage(w, r, tr(r, "assess.no_country"))
		return c, vigie.Indicator{}, false
	}
	inds, err := s.store.Indicators(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return c, vigie.Indicator{}, false
	}
	for _, ind := range inds {
		if ind.Key == r.PathValue("indicator") {
			return c, ind, true
		}
	}
	s.notFoundMessage(w, r, tr(r, "assess.no_indicator"))
	return c, vigie.Indicator{}, false
}

// localSourceLabel is sourceLabel with its "status as of" in lang.
func localSourceLabel(lang string, src vigie.Source) string {
	label := sourceLabel(src)
	if lang == "en" || src.StatusAsOf == 0 {
		return label
	}
	year := strconv.Itoa(src.StatusAsOf)
	if rest, ok := strings.CutSuffix(label, " (status as of "+year+")"); ok {
		label = rest + " (" + i18n.Default().T(lang, "citation.status_as_of", "Year", year) + ")"
	}
	return label
}

func editAssessmentPath(c vigie.Country, key string) string {
	return "/edit/countries/" + c.Slug + "/" + key
}

// newAssessmentForm sets up everything but the values.
func (s *Server) newAssessmentForm(ctx context.Context, u *vigie.User, c vigie.Country, ind vigie.Indicator) (assessmentForm, scale, map[int64]vigie.Source, error) {
	f := assessmentForm{
		editorChrome: chrome(u),
		Country:      countryLink{Slug: c.Slug, Name: c.Name(langOf(ctx))},
		Indicator:    indicatorSummary{Key: ind.Key, Name: ind.Name, Summary: ind.Rationale},
		lang:         langOf(ctx),
		HasValue:     ind.ValueKind != vigie.ValueNone,
		Errors:       fieldErrors{},
	}
	ratings, err := s.store.Ratings(ctx)
	if err != nil {
		return f, nil, nil, err
	}
	for _, rt := range ratings {
		f.Ratings = append(f.Ratings, ratingOption{Key: rt.Key, Label: rt.Label, Meaning: rt.Meaning})
	}
	// The sources to choose from are those the country's published
	// assessments cite: what an editor cites again, and a list that grows
	// with the country's laws, not with the whole library. A source cited
	// elsewhere is found again when described anew (the store matches it).
	country, err := s.store.Assessments(ctx, vigie.AssessmentFilter{Country: c.ISO2})
	if err != nil {
		return f, nil, nil, err
	}
	library := map[int64]vigie.Source{}
	for _, a := range country {
		for _, ct := range a.Citations {
			library[ct.Source.ID] = ct.Source
		}
	}
	published, err := s.store.Assessment(ctx, c.ISO2, ind.Key)
	if err != nil {
		return f, nil, nil, err
	}
	f.Published = published.Revision
	flags, err := s.store.CitationFlags(ctx, vigie.CitationFlagFilter{Country: c.ISO2, Indicator: ind.Key})
	if err != nil {
		return f, nil, nil, err
	}
	for _, fl := range flags {
		f.NeedsLook = append(f.NeedsLook, needsLookFlag{Title: fl.Title, Year: fl.Year, Note: fl.Note, Origin: fl.Origin,
			At: adminMoment(f.lang, fl.CreatedAt)})
	}
	return f, newScale(ratings), library, nil
}

// offer puts the library's sources in the form's choices, in the order of
// their labels, with the sources of extra (a draft's, a posted form's).
func (f *assessmentForm) offer(library map[int64]vigie.Source, extra []vigie.Source) {
	for _, src := range extra {
		library[src.ID] = src
	}
	f.Library = f.Library[:0]
	for _, src := range library {
		f.Library = append(f.Library, sourceOption{ID: src.ID, Label: localSourceLabel(f.lang, src)})
	}
	slices.SortFunc(f.Library, func(x, y sourceOption) int {
		return cmp.Or(strings.Compare(strings.ToLower(x.Label), strings.ToLower(y.Label)), cmp.Compare(x.ID, y.ID))
	})
}

// postedSources reads the stored sources a posted form's rows choose,
// which may lie outside the country's library (the store answers only
// for IDs that exist: another is "no longer in the library").
func (s *Server) postedSources(ctx context.Context, form url.Values) ([]vigie.Source, error) {
	rows, _ := strconv.Atoi(form.Get("sources"))
	var ids []int64
	for i := range min(max(rows, 0), maxSourceRows) {
		if id, err := strconv.ParseInt(strings.TrimSpace(form.Get("source_"+strconv.Itoa(i)+"_id")), 10, 64); err == nil && id > 0 {
			ids = append(ids, id)
		}
	}
	return s.store.SourcesByID(ctx, ids)
}

// fill puts stored content into the form.
func (f *assessmentForm) fill(a vigie.Assessment) {
	f.Rating, f.Explanation, f.AsOf = a.Rating, a.Explanation, a.AsOf.String()
	if a.Value != nil {
		f.Value = strconv.Itoa(*a.Value)
	}
	f.Sources = nil
	for i, ct := range a.Citations {
		row := sourceRow{N: i, SourceID: ct.Source.ID, Articles: ct.Articles, Position: strconv.Itoa(i + 1)}
		if ct.Source.ID == 0 { // not stored yet: keep its description
			row.Kind, row.Title, row.Identifier, row.Publisher = string(ct.Source.Kind), ct.Source.Title, ct.Source.Identifier, ct.Source.Publisher
			row.Year, row.StatusAs, row.Link = yearText(ct.Source.Year), yearText(ct.Source.StatusAsOf), ct.Source.Link
		}
		f.Sources = append(f.Sources, row)
	}
	f.addBlankRow()
}

// addBlankRow gives the form an empty row to add a source with, unless
// it has one.
func (f *assessmentForm) addBlankRow() {
	n, pos := 0, len(f.Sources)+1
	for _, r := range f.Sources {
		if r.blank() && !r.Remove {
			return
		}
		n = max(n, r.N+1)
		if p, err := strconv.Atoi(r.Position); err == nil {
			pos = max(pos, p+1)
		}
	}
	f.Sources = append(f.Sources, sourceRow{N: n, Kind: string(vigie.SourceLaw), Position: strconv.Itoa(pos)})
}

func (f *assessmentForm) checkRatings() {
	for i := range f.Ratings {
		f.Ratings[i].Checked = f.Ratings[i].Key == f.Rating
	}
}

func yearText(y int) string {
	if y == 0 {
		return ""
	}
	return strconv.Itoa(y)
}

// read takes the posted form into f and builds the assessment it
// describes. Input that cannot even be parsed (a year that is not a
// number) is noted in f.Errors; the rules are the service's to check.
// rowOf maps each citation of the result to its row in f.Sources.
func (f *assessmentForm) read(lang string, form url.Values, country string, ind vigie.Indicator, library map[int64]vigie.Source) (a vigie.Assessment, rowOf []int) {
	f.Rating = form.Get("rating")
	f.Value = strings.TrimSpace(form.Get("value"))
	f.Explanation = strings.ReplaceAll(form.Get("explanation"), "\r\n", "\n")
	f.AsOf = strings.TrimSpace(form.Get("as_of"))
	f.Reason = form.Get("reason")
	f.Base, _ = strconv.Atoi(form.Get("base"))
	a = vigie.Assessment{Country: country, Indicator: ind.Key, Rating: f.Rating, Explanation: f.Explanation}
	if f.Value != "" {
		if v, err := strconv.Atoi(f.Value); err != nil {
			f.Errors["value"] = i18n.Default().T(f.lang, "assess.value_whole")
		} else {
			a.Value = &v
		}
	}
	if asOf, err := vigie.ParseAsOf(f.AsOf); err != nil {
		f.Errors.addIn(lang, err)
	} else {
		a.AsOf = asOf
	}

	type cited struct {
		pos, row int
		c        vigie.Citation
	}
	var list []cited
	rows, _ := strconv.Atoi(form.Get("sources"))
	f.Sources = nil
	for i := range min(max(rows, 0), maxSourceRows) {
		field := func(name string) string { return strings.TrimSpace(form.Get("source_" + strconv.Itoa(i) + "_" + name)) }
		row := sourceRow{N: i, Kind: field("kind"), Title: field("title"), Identifier: field("identifier"),
			Publisher: field("publisher"), Year: field("year"), StatusAs: field("status_as_of"), Link: field("link"),
			Articles: field("articles"), Position: field("position"), Remove: field("remove") != "", Errors: fieldErrors{}}
		row.SourceID, _ = strconv.ParseInt(field("id"), 10, 64)
		f.Sources = append(f.Sources, row)
		idx := len(f.Sources) - 1
		if row.Remove {
			continue
		}
		var c vigie.Citation
		switch src, known := library[row.SourceID]; {
		case row.SourceID != 0 && !known:
			row.Errors["id"] = i18n.Default().T(f.lang, "assess.source_gone")
		case row.SourceID != 0:
			c.Source = src
		case row.blank():
			continue // the empty row
		default:
			c.Source = vigie.Source{Kind: vigie.SourceKind(row.Kind), Title: row.Title, Identifier: row.Identifier,
				Publisher: row.Publisher, Link: row.Link}
			var ok bool
			if c.Source.Year, ok = formInt(row.Year); !ok {
				row.Errors["year"] = i18n.Default().T(f.lang, "assess.year_digits", "Example", "2012")
			}
			if c.Source.StatusAsOf, ok = formInt(row.StatusAs); !ok {
				row.Errors["status_as_of"] = i18n.Default().T(f.lang, "assess.year_digits", "Example", "2021")
			}
		}
		c.Articles = row.Articles
		pos, ok := formInt(row.Position)
		if !ok {
			row.Errors["position"] = i18n.Default().T(f.lang, "assess.position_number")
		}
		if pos == 0 {
			pos = i + 1
		}
		if row.Errors.Any() {
			f.Errors["sources"] = i18n.Default().T(f.lang, "assess.check_sources")
		}
		f.Sources[idx] = row
		list = append(list, cited{pos: pos, row: idx, c: c})
	}
	slices.SortStableFunc(list, func(x, y cited) int { return cmp.Compare(x.pos, y.pos) })
	for _, c := range list {
		a.Citations = append(a.Citations, c.c)
		rowOf = append(rowOf, c.row)
	}
	return a, rowOf
}

// fileError puts a service error next to its field; errors about a source
// ("sources[2].title") go to that source's row.
func (f *assessmentForm) fileError(lang string, err error, rowOf []int) bool {
	var e *vigie.Error
	if !errors.As(err, &e) || e.Code != vigie.EINVALID {
		return false
	}
	if rest, ok := strings.CutPrefix(e.Field, "sources["); ok {
		if i, field, ok := strings.Cut(rest, "]."); ok {
			if n, err := strconv.Atoi(i); err == nil && n < len(rowOf) {
				row := &f.Sources[rowOf[n]]
				if row.Errors == nil {
					row.Errors = fieldErrors{}
				}
				row.Errors[field] = errorText(lang, e)
				f.Errors["sources"] = i18n.Default().T(f.lang, "assess.check_sources")
				return true
			}
		}
	}
	return f.Errors.addIn(lang, err)
}

func (s *Server) handleAssessmentForm(w http.ResponseWriter, r *http.Request) {
	u, ok := s.signedIn(w, r)
	if !ok {
		return
	}
	c, ind, ok := s.assessmentTarget(w, r)
	if !ok {
		return
	}
	if err := vigie.Authorize(u, vigie.ActDraftAssessment, c.ISO2); err != nil {
		s.fail(w, r, err)
		return
	}
	ctx := r.Context()
	f, _, library, err := s.newAssessmentForm(ctx, u, c, ind)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	latest, err := s.store.LatestRevision(ctx, c.ISO2, ind.Key)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	f.fill(latest.Content)
	var drafted []vigie.Source
	for _, ct := range latest.Content.Citations {
		if ct.Source.ID != 0 {
			drafted = append(drafted, ct.Source)
		}
	}
	f.offer(library, drafted)
	f.Base = latest.Number
	if latest.Number != 0 && latest.State != vigie.RevisionPublished {
		p := newPendingRevision(latest, map[string]vigie.Indicator{ind.Key: ind})
		f.Latest = &p
	}
	q := r.URL.Query()
	if n, err := strconv.Atoi(q.Get("saved")); err == nil && n > 0 {
		if rev, err := s.store.Revision(ctx, c.ISO2, ind.Key, n); err == nil {
			f.Saved = &savedNotice{Number: n, Submitted: rev.State == vigie.RevisionSubmitted}
		}
	}
	if id, err := strconv.ParseInt(q.Get("report"), 10, 64); err == nil && id > 0 && u.Can(vigie.ActTriageReports, "") {
		if rep, err := s.store.MovementReport(ctx, id); err == nil && rep.Country == c.ISO2 {
			v := newReportView(rep, nil)
			f.Report = &v
			f.Reason = tr(r, "assess.report_number", "ID", strconv.FormatInt(rep.ID, 10)) + ": " + rep.Change
			if rep.Link != "" {
				f.Reason += " (" + rep.Link + ")"
			}
		}
	}
	f.checkRatings()
	s.render(w, r, http.StatusOK, "edit_assessment", layout{Title: tr(r, "assess.page_title", "Indicator", ind.Name, "Country", f.Country.Name), Page: f})
}

func (s *Server) handleAssessmentSave(w http.ResponseWriter, r *http.Request) {
	u, ok := s.signedIn(w, r)
	if !ok {
		return
	}
	c, ind, ok := s.assessmentTarget(w, r)
	if !ok {
		return
	}
	if err := vigie.Authorize(u, vigie.ActDraftAssessment, c.ISO2); err != nil {
		s.fail(w, r, err)
		return
	}
	if !parseForm(w, r) {
		return
	}
	ctx := r.Context()
	f, sc, library, err := s.newAssessmentForm(ctx, u, c, ind)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	posted, err := s.postedSources(ctx, r.PostForm)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	f.offer(library, posted)
	a, rowOf := f.read(langOf(r.Context()), r.PostForm, c.ISO2, ind, library)
	title := tr(r, "assess.page_title", "Indicator", ind.Name, "Country", f.Country.Name)
	show := func(status int) {
		f.checkRatings()
		f.addBlankRow()
		s.render(w, r, status, "edit_assessment", layout{Title: title, Page: f})
	}
	action := r.PostFormValue("action")
	if action == "preview" {
		f.Preview, f.Plain = s.explanation.Render(f.Explanation)
		f.Previewed = true
		show(http.StatusOK)
		return
	}
	if f.Errors.Any() {
		show(http.StatusBadRequest)
		return
	}
	rev, err := s.service.SaveDraft(ctx, actor(r), a, f.Base, f.Reason, action == "submit")
	var conflict *vigie.ConflictError
	switch {
	case err == nil:
		http.Redirect(w, r, editAssessmentPath(c, ind.Key)+"?saved="+strconv.Itoa(rev.Number), http.StatusSeeOther)
	case errors.As(err, &conflict):
		f.Conflict = newConflictView(conflict.Current, a, ind, sc)
		f.Conflict.Yours = u.ID != 0 && conflict.Current.AuthorID == u.ID
		// The next save is a deliberate overwrite of what the user now sees.
		f.Base = conflict.Current.Number
		show(http.StatusConflict)
	case f.fileError(langOf(r.Context()), err, rowOf):
		show(http.StatusBadRequest)
	default:
		s.fail(w, r, err)
	}
}

func newConflictView(cur vigie.Revision, mine vigie.Assessment, ind vigie.Indicator, sc scale) *conflictView {
	v := &conflictView{Number: cur.Number, Author: cur.Author, At: newDateTime(cur.CreatedAt), State: cur.State,
		Rating: sc.view(cur.Content.Rating), Value: formatValue(ind.ValueKind, cur.Content.Value),
		AsOf: cur.Content.AsOf.Display(), Explanation: cur.Content.Explanation,
		Diff: diffAssessments(cur.Content, mine, ind.ValueKind, sc)}
	for _, ct := range cur.Content.Citations {
		v.Sources = append(v.Sources, newCitationView(ct))
	}
	return v
}

// handleRevert submits an earlier revision's content again, from the
// history page.
func (s *Server) handleRevert(w http.ResponseWriter, r *http.Request) {
	u, ok := s.signedIn(w, r)
	if !ok {
		return
	}
	c, ind, ok := s.assessmentTarget(w, r)
	if !ok {
		return
	}
	if err := vigie.Authorize(u, vigie.ActDraftAssessment, c.ISO2); err != nil {
		s.fail(w, r, err)
		return
	}
	if !parseForm(w, r) {
		return
	}
	to, _ := strconv.Atoi(r.PostFormValue("to"))
	base, _ := strconv.Atoi(r.PostFormValue("base"))
	rev, err := s.service.Revert(r.Context(), actor(r), c.ISO2, ind.Key, to, base, r.PostFormValue("reason"))
	var conflict *vigie.ConflictError
	switch {
	case err == nil:
		http.Redirect(w, r, historyPath(c, ind.Key)+"?reverted="+strconv.Itoa(rev.Number), http.StatusSeeOther)
	case errors.As(err, &conflict):
		s.renderHistory(w, r, c, ind, http.StatusConflict, tr(r, "revert.conflict",
			"Number", strconv.Itoa(conflict.Current.Number), "Author", conflict.Current.Author))
	default:
		s.fail(w, r, err)
	}
}

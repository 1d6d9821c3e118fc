package importer

import (
	"context"
	"fmt"
	"io"
	"slices"
	"time"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/pageformat"
)

// page is one reference-format page turned into domain records, checked
// and ready to write.
type page struct {
	file        string
	country     vigie.Country
	featured    *vigie.NewsItem
	orgs        []vigie.Organisation
	pubs        []vigie.Publication
	news        []vigie.NewsItem
	assessments []vigie.Assessment
	// flags are the citations of each assessment (same index) that were
	// read from an ambiguous source line.
	flags  [][]vigie.CitationFlag
	layout string
	// notes say, for the log, how ambiguous source lines were read.
	notes []string
}

// readPage parses a page and checks every record it would write, so that
// errors carry the file and line before the transaction starts.
func readPage(f File, vocab pageformat.Vocabulary, known knownSources) (*page, error) {
	parsed, err := pageformat.Parse(f.Name, f.Data, vocab)
	if err != nil {
		return nil, err
	}
	at := func(line int, err error) error {
		return &pageformat.Error{File: f.Name, Line: line, Msg: err.Error()}
	}
	country, ok := vigie.LookupCountry(parsed.CountryName)
	if !ok {
		return nil, at(parsed.CountryLine, fmt.Errorf("unknown country %q in the news heading: expected a country name such as \"Mali\" or \"The Gambia\"", parsed.CountryName))
	}
	p := &page{file: f.Name, country: country, layout: parsed.Layout}
	var problems []error

	if fs := parsed.Featured; fs != nil {
		n := vigie.NewsItem{Slug: newsSlug(fs.Title), Title: fs.Title}
		if err := n.Validate(); err != nil {
			problems = append(problems, at(fs.Line, err))
		}
		p.featured = &n
	}
	for _, o := range parsed.Organisations {
		org := vigie.Organisation{
			Country: country.ISO2, Name: o.Name, Acronym: o.Acronym, Description: o.Description,
			Founded: o.Founded, OfficeCity: o.OfficeCity, Regions: o.Regions, AreasOfWork: o.AreasOfWork, Website: o.Website,
			Contacts: o.Contacts,
		}
		if err := org.Validate(); err != nil {
			problems = append(problems, at(o.Line, err))
		}
		p.orgs = append(p.orgs, org)
	}
	for _, pub := range parsed.Publications {
		pb := vigie.Publication{Title: pub.Title, Type: pub.Type, Year: pub.Year, Publishers: pub.Publishers,
			Countries: []string{country.ISO2}, Language: "en"}
		if err := pb.Validate(); err != nil {
			problems = append(problems, at(pub.Line, err))
		}
		p.pubs = append(p.pubs, pb)
	}
	for _, item := range parsed.News {
		n := vigie.NewsItem{Slug: newsSlug(item.Title), Title: item.Title, Date: item.Date,
			Summary: item.Summary, Countries: []string{country.ISO2}}
		if err := n.Validate(); err != nil {
			problems = append(problems, at(item.Line, err))
		}
		p.news = append(p.news, n)
	}
	for _, b := range parsed.Indicators {
		cites, flags, notes := p.chooseReadings(b, known)
		p.notes = append(p.notes, notes...)
		a := vigie.Assessment{Country: country.ISO2, Indicator: b.Key, Rating: b.Rating, Value: b.Value,
			Explanation: b.Explanation, Citations: cites}
		if a.Rating == "" {
			// The page explains the indicator without rating it: it was
			// assessed, and we do not invent a rating the page did not give.
			a.Rating = vigie.RatingNotRated
		}
		ind := indicatorByKey(vocab.Indicators, b.Key)
		err := a.Validate(ind, vocab.Ratings)
		if err == nil {
			err = a.CheckLength() // what a page brings is written now
		}
		if err != nil {
			problems = append(problems, at(b.Line, err))
		}
		p.assessments = append(p.assessments, a)
		p.flags = append(p.flags, flags)
	}
	if len(problems) > 0 {
		return nil, pageformat.ErrorList(asErrors(problems))
	}
	return p, nil
}

func asErrors(errs []error) []*pageformat.Error {
	out := make([]*pageformat.Error, len(errs))
	for i, e := range errs {
		out[i] = e.(*pageformat.Error)
	}
	return out
}

func indicatorByKey(inds []vigie.Indicator, key string) vigie.Indicator {
	for _, ind := range inds {
		if ind.Key == key {
			return ind
		}
	}
	return vigie.Indicator{Key: key}
}

// newsSlug keeps slugs of long headlines readable in URLs.
func newsSlug(title string) string {
	s := vigie.Slugify(title)
	const max = 80
	if len(s) > max {
		s = s[:max]
		for len(s) > 0 && s[len(s)-1] == '-' {
			s = s[:len(s)-1]
		}
	}
	return s
}

// apply writes the page's records; each Save is a no-op when the stored
// record already says the same, so importing a page twice changes nothing.
func (p *page) apply(ctx context.Context, tx vigie.Tx, author string, log io.Writer, sum *Summary) error {
	name := base(p.file)
	note := func(changed bool, counter *int, format string, args ...any) {
		if !changed {
			sum.Unchanged++
			return
		}
		*counter++
		fmt.Fprintf(log, "%s: %s\n", name, fmt.Sprintf(format, args...))
	}
	fmt.Fprintf(log, "%s: layout: %s\n", name, p.layout)
	for _, n := range p.notes {
		fmt.Fprintln(log, n)
	}
	if p.featured != nil {
		n := *p.featured
		if existing, err := tx.NewsItem(ctx, n.Slug); err == nil {
			n = existing // the page gives only the headline; keep what editors added
		} else if !vigie.IsNotFound(err) {
			return err
		} else {
			n.Date = time.Now().UTC()
		}
		changed, err := vigie.MergeNewsItem(ctx, tx, &n)
		if err != nil {
			return err
		}
		note(changed, &sum.News, "news item %q", n.Title)
	}
	for i := range p.orgs {
		o := p.orgs[i]
		changed, err := vigie.MergeOrganisation(ctx, tx, &o)
		if err != nil {
			return fmt.Errorf("%s: organisation %q: %w", name, o.Name, err)
		}
		note(changed, &sum.Organisations, "organisation %s", o.DisplayName())
	}
	for i := range p.pubs {
		pb := p.pubs[i]
		if err := keepEditorsAdditions(ctx, tx, &pb); err != nil {
			return err
		}
		changed, err := vigie.MergePublication(ctx, tx, &pb)
		if err != nil {
			return fmt.Errorf("%s: publication %q: %w", name, pb.Title, err)
		}
		note(changed, &sum.Publications, "publication %q (%d)", pb.Title, pb.Year)
	}
	for i := range p.news {
		n := p.news[i]
		changed, err := vigie.MergeNewsItem(ctx, tx, &n)
		if err != nil {
			return fmt.Errorf("%s: news item %q: %w", name, n.Title, err)
		}
		note(changed, &sum.News, "news item %q", n.Title)
	}
	for i, a := range p.assessments {
		rev, changed, err := tx.SaveAssessment(ctx, a, vigie.Change{Author: author, Reason: "imported from " + name})
		if err != nil {
			return fmt.Errorf("%s: %s: %w", name, a.Indicator, err)
		}
		note(changed, &sum.Assessments, "assessment %s/%s: revision %d, rating %s, %d source(s)",
			p.country.ISO2, a.Indicator, rev.Number, a.Rating, len(a.Citations))
		if changed {
			sum.Citations += len(a.Citations)
		}
		n, err := vigie.FlagImportedCitations(ctx, tx, a, changed, p.flags[i], time.Now())
		if err != nil {
			return fmt.Errorf("%s: %s: %w", name, a.Indicator, err)
		}
		sum.NeedsLook += n
		for _, f := range p.flags[i][:n] {
			fmt.Fprintf(log, "%s: needs a look: %s/%s cites %q%s\n", f.Origin, p.country.ISO2, a.Indicator, f.Title, yearNote(f.Year))
		}
	}
	return nil
}

func yearNote(year int) string {
	if year == 0 {
		return " (no year)"
	}
	return fmt.Sprintf(" (%d)", year)
}

// keepEditorsAdditions carries over what editors added to a stored
// publication and the page cannot say: its uploaded file, its link, and
// other countries it covers. Without it, importing the page again would
// detach the PDF.
func keepEditorsAdditions(ctx context.Context, tx vigie.Tx, pb *vigie.Publication) error {
	stored, err := tx.Publications(ctx, vigie.PublicationFilter{Year: pb.Year})
	if err != nil {
		return err
	}
	for _, s := range stored {
		if vigie.Fold(s.Title) != vigie.Fold(pb.Title) {
			continue
		}
		pb.File = s.File
		if pb.Link == "" {
			pb.Link = s.Link
		}
		for _, c := range s.Countries {
			if !slices.Contains(pb.Countries, c) {
				pb.Countries = append(pb.Countries, c)
			}
		}
		return nil
	}
	return nil
}

// Package synth writes a synthetic, full-size Vigie dataset through the
// store, for the load harness (bench/load) and the scaling table
// (bench/scale).
//
// At scale 1 the dataset is what a complete Vigie would hold: all 249
// countries, the 9 indicators, 20 published revisions per assessment
// (44,820 revisions, each with 2–4 citations of the country's laws and the
// network's publications), about 500 member organisations with contacts,
// 100 publications and 300 news items, in English, French and Spanish.
//
// Scale N multiplies everything that grows with time or with coverage by
// N — revisions per assessment, the laws each country's assessments cite,
// organisations, publications and news — and keeps what is fixed: the 249
// countries and the 9 indicators, so the site's pages and addresses stay
// the same. Vigie has no sub-national level yet; 100× stands for tracking
// states and provinces, whose assessments, laws, organisations and news
// would land on the same country pages, searches and exports.
//
// The content is deterministic: the same scale gives the same dataset.
package synth

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/nyaruka/phonenumbers"
	vigie "github.com/vigie-network/vigie"
)

// Options sizes the dataset.
type Options struct {
	Scale int // 1, 10, 100…; 0 means 1
	// Log, when set, is called with progress lines.
	Log func(format string, args ...any)
}

// Per-scale-1 sizes.
const (
	RevisionsPerAssessment = 20
	LawsPerCountry         = 6
	Publications           = 100
	News                   = 300
)

// Stats counts what Generate wrote.
type Stats struct {
	Scale                                         int
	Countries, Indicators, Assessments, Revisions int
	Citations, Laws, Organisations, Contacts      int
	Publications, News                            int
	Translations                                  int // French and Spanish explanations
	ExplanationBytes                              int64
	Took                                          time.Duration
	FeaturedStory                                 string
	SampleCountries                               []string // slugs of countries with organisations and news
}

func (s Stats) String() string {
	return fmt.Sprintf("scale %d×: %d countries, %d indicators, %d assessments, %d revisions (%d citations, %.1f MB of explanations), "+
		"%d translations, %d laws, %d organisations (%d contacts), %d publications, %d news items in %v",
		s.Scale, s.Countries, s.Indicators, s.Assessments, s.Revisions, s.Citations, float64(s.ExplanationBytes)/1e6,
		s.Translations, s.Laws, s.Organisations, s.Contacts, s.Publications, s.News, s.Took.Round(time.Millisecond))
}

// Version names the dataset Generate writes; it changes whenever the same
// options would write different data, so that a harness that keeps
// datasets between runs writes them again.
// 2: revision times spread over the whole history at every scale.
const Version = "synth 2"

// base is the first day of the synthetic history.
var base = time.Date(2012, 1, 1, 9, 0, 0, 0, time.UTC)

// history is how long the synthetic history lasts, at every scale: a
// larger record is a denser one, not a longer one.
const history = 13 * 365 * 24 * time.Hour

// revisionTime spreads an assessment's revisions (the i-th of total,
// indicators interleaved) evenly over the history. The step is divided
// first: history times i overflows a Duration from i = 23.
func revisionTime(i, total int) time.Time {
	return base.Add(history / time.Duration(total) * time.Duration(i))
}

// Generate writes the dataset into st, which should be empty. Each
// country's assessments are one transaction, so a large scale commits as
// it goes.
func Generate(ctx context.Context, st vigie.Store, opts Options) (Stats, error) {
	start := time.Now()
	n := max(opts.Scale, 1)
	logf := opts.Log
	if logf == nil {
		logf = func(string, ...any) {}
	}
	stats := Stats{Scale: n}
	inds, err := st.Indicators(ctx)
	if err != nil {
		return stats, err
	}
	ratings, err := st.Ratings(ctx)
	if err != nil {
		return stats, err
	}
	var assessed []string
	for _, r := range ratings {
		if r.Assessed {
			assessed = append(assessed, r.Key)
		}
	}
	countries := vigie.Countries()
	stats.Countries, stats.Indicators = len(countries), len(inds)

	// Publications first: assessments cite some of them.
	rng := rand.New(rand.NewPCG(1, uint64(n)))
	pubs := make([]vigie.Publication, 0, Publications*n)
	for i := range Publications * n {
		pubs = append(pubs, publication(rng, countries, i))
	}
	if err := st.Update(ctx, func(tx vigie.Tx) error {
		for i := range pubs {
			if _, err := vigie.MergePublication(ctx, tx, &pubs[i]); err != nil {
				return fmt.Errorf("publication %q: %w", pubs[i].Title, err)
			}
		}
		return nil
	}); err != nil {
		return stats, err
	}
	stats.Publications = len(pubs)
	logf("%d publications, %v", len(pubs), time.Since(start).Round(time.Millisecond))

	revisions := RevisionsPerAssessment * n
	// Countries go in batches of about 50,000 revisions, each batch one
	// transaction and one bulk RestoreRevisions call.
	perBatch := max(1, 50000/(revisions*len(inds)))
	for first := 0; first < len(countries); first += perBatch {
		batch := countries[first:min(first+perBatch, len(countries))]
		var rs []vigie.Restore
		var orgs []vigie.Organisation
		var trs []vigie.Translation
		for i, c := range batch {
			ci := first + i
			crng := rand.New(rand.NewPCG(uint64(ci+1), uint64(n)))
			// Translations draw from their own source, so that the rest of
			// the dataset is the same with or without them.
			trng := rand.New(rand.NewPCG(uint64(ci+1), uint64(n)+1<<32))
			laws := countryLaws(crng, c, LawsPerCountry*n)
			stats.Laws += len(laws)
			for k, ind := range inds {
				for r := range revisions {
					at := revisionTime(r*len(inds)+k, revisions*len(inds))
					a := vigie.Assessment{Country: c.ISO2, Indicator: ind.Key, Rating: assessed[crng.IntN(len(assessed))],
						AsOf: vigie.AsOf{Year: at.Year(), Month: int(at.Month())}}
					if ind.ValueKind == vigie.ValueYears {
						v := 12 + crng.IntN(7)
						a.Value = &v
					}
					a.Citations = citations(crng, laws, pubs, c)
					a.Explanation = explanation(crng, c, ind, a.Citations, r)
					stats.ExplanationBytes += int64(len(a.Explanation))
					stats.Citations += len(a.Citations)
					rs = append(rs, vigie.Restore{Current: r == revisions-1, Revision: vigie.Revision{
						Number: r + 1, Base: r, State: vigie.RevisionPublished,
						Author: authors[crng.IntN(len(authors))], Reason: reasons[crng.IntN(len(reasons))],
						CreatedAt: at, PublishedAt: at.Add(26 * time.Hour),
						Reviewer: authors[(r+k)%len(authors)], ReviewComment: "checked against the sources",
						Content: a}})
					if r == revisions-1 && (ci+k)%3 != 0 {
						trs = append(trs, translations(trng, c, ind, a.Explanation)...)
					}
				}
				stats.Assessments++
			}
			orgs = append(orgs, organisations(crng, c, ci, n)...)
		}
		err := st.Update(ctx, func(tx vigie.Tx) error {
			written, _, err := tx.RestoreRevisions(ctx, rs)
			if err != nil {
				return fmt.Errorf("revisions of %s…%s: %w", batch[0].ISO2, batch[len(batch)-1].ISO2, err)
			}
			stats.Revisions += written
			for _, t := range trs {
				if _, err := tx.SaveTranslation(ctx, t); err != nil {
					return fmt.Errorf("translation %s %s: %w", t.Key, t.Lang, err)
				}
			}
			stats.Translations += len(trs)
			for i := range orgs {
				if _, err := vigie.MergeOrganisation(ctx, tx, &orgs[i]); err != nil {
					return fmt.Errorf("%s organisation %q: %w", orgs[i].Country, orgs[i].Name, err)
				}
				stats.Contacts += len(orgs[i].Contacts)
			}
			return nil
		})
		if err != nil {
			return stats, err
		}
		stats.Organisations += len(orgs)
		logf("%d/%d countries, %d revisions, %v", first+len(batch), len(countries), stats.Revisions, time.Since(start).Round(time.Millisecond))
	}

	news := make([]vigie.NewsItem, 0, News*n)
	for i := range News * n {
		news = append(news, newsItem(rng, countries, i, News*n))
	}
	if err := st.Update(ctx, func(tx vigie.Tx) error {
		for i := range news {
			if _, err := vigie.MergeNewsItem(ctx, tx, &news[i]); err != nil {
				return fmt.Errorf("news %q: %w", news[i].Slug, err)
			}
		}
		stats.FeaturedStory = news[len(news)-1].Slug
		_, err := vigie.FeatureStory(ctx, tx, stats.FeaturedStory)
		return err
	}); err != nil {
		return stats, err
	}
	stats.News = len(news)
	stats.SampleCountries = SampleCountries
	stats.Took = time.Since(start)
	return stats, nil
}

// SampleCountries are the country pages the harness measures: large and
// small, with long and short names, accents in their names.
var SampleCountries = []string{"mali", "france", "brazil", "india", "cote-divoire", "tuvalu", "germany", "south-africa"}

var authors = []string{"Ana Researcher", "Boubacar Diallo", "Chloé Martin", "Diego Fernández", "Esi Mensah", "Farida Haidari", "vigie import"}

var reasons = []string{"new law in force", "amendment to the penal code", "checked against the official gazette",
	"review of the national action plan", "corrected article numbers", "new study by a member organisation",
	"annual sweep", "translation of the explanation revised"}

// Sentences in the site's three languages; explanations mix them as
// multilingual pages do, which exercises search's accent folding.
var phrases = map[string][]string{
	"en": {
		"The law protects every child under %d from sexual exploitation, without distinction between girls and boys.",
		"Courts may try nationals for offences committed abroad, and the double criminality requirement was removed.",
		"The definition covers real and simulated depictions in every format, including live streaming.",
		"Employers in schools, care and sport must check criminal records before hiring.",
		"The national action plan names sexual exploitation of children and assigns a budget to its implementation.",
		"Child advocacy centres bring police, prosecutors, health and social services under one roof.",
		"A specialised police unit investigates online and offline exploitation of children.",
		"Hotels and tour operators follow a binding code of conduct and train their staff.",
		"The ministry publishes yearly figures on reported cases, prosecutions and convictions.",
	},
	"fr": {
		"La loi protège chaque enfant de moins de %d ans contre l’exploitation sexuelle, filles et garçons sans distinction.",
		"Les tribunaux peuvent juger les ressortissants pour des infractions commises à l’étranger.",
		"La définition couvre les représentations réelles et simulées, y compris la diffusion en direct.",
		"Le plan d’action national prévoit un budget et désigne les ministères responsables.",
		"Une brigade spécialisée enquête sur l’exploitation sexuelle des enfants en ligne.",
	},
	"es": {
		"La ley protege a todo niño y niña menor de %d años contra la explotación sexual.",
		"Los tribunales pueden juzgar a sus nacionales por delitos cometidos en el extranjero.",
		"La definición abarca representaciones reales y simuladas, incluida la transmisión en directo.",
		"El plan nacional de acción asigna un presupuesto y designa a los ministerios responsables.",
		"Una unidad especializada de la policía investiga la explotación sexual de niños en línea.",
	},
}

var langs = []string{"en", "fr", "es"}

func sentence(rng *rand.Rand, lang string) string {
	list := phrases[lang]
	s := list[rng.IntN(len(list))]
	if strings.Contains(s, "%d") {
		s = fmt.Sprintf(s, 14+rng.IntN(5))
	}
	return s
}

// translations are a current explanation in French and Spanish, as
// researchers enter them: two thirds of the assessments have them, so
// that pages in those languages show both translated text and the "not
// yet translated" note.
func translations(rng *rand.Rand, c vigie.Country, ind vigie.Indicator, explanation string) []vigie.Translation {
	var out []vigie.Translation
	for _, lang := range langs[1:] {
		var b strings.Builder
		fmt.Fprintf(&b, "%s — %s. ", c.Names.In(lang), ind.Name)
		for range 4 {
			b.WriteString(sentence(rng, lang))
			b.WriteByte(' ')
		}
		out = append(out, vigie.Translation{Kind: vigie.KindAssessment, Key: vigie.AssessmentKey(c.ISO2, ind.Key),
			Field: "explanation", Lang: lang, Text: strings.TrimSpace(b.String()),
			SourceVersion: vigie.SourceVersion(explanation), UpdatedAt: base, UpdatedBy: "synth"})
	}
	return out
}

// explanation writes about 700 bytes of Markdown: two paragraphs, a list
// of the provisions cited and a closing note.
func explanation(rng *rand.Rand, c vigie.Country, ind vigie.Indicator, cites []vigie.Citation, r int) string {
	var b strings.Builder
	lang := langs[rng.IntN(len(langs))]
	fmt.Fprintf(&b, "In %s, %s: ", c.Names.In(lang), strings.ToLower(ind.Name))
	for range 3 {
		b.WriteString(sentence(rng, lang))
		b.WriteByte(' ')
	}
	b.WriteString("\n\n")
	for range 2 {
		b.WriteString(sentence(rng, "en"))
		b.WriteByte(' ')
	}
	b.WriteString("\n\n")
	for _, ct := range cites {
		if ct.Source.Kind == vigie.SourceLaw {
			fmt.Fprintf(&b, "- **%s** (%s), %s\n", ct.Source.Title, ct.Source.Identifier, ct.Articles)
		} else {
			fmt.Fprintf(&b, "- *%s*, %d\n", ct.Source.Title, ct.Source.Year)
		}
	}
	fmt.Fprintf(&b, "\nRevision %d of this assessment; see the [history](#history) for earlier readings.", r+1)
	return b.String()
}

var lawKinds = []string{"Penal Code", "Code of Criminal Procedure", "Child Protection Act", "Law on Cybercrime",
	"Labour Code", "Law on Tourism", "Law on Trafficking in Persons", "Children's Code", "Law on Education",
	"Law on Extradition", "Decree on Criminal Records", "Law on Social Services"}

// countryLaws are the laws a country's assessments cite: n of them, some
// in several consolidated versions.
func countryLaws(rng *rand.Rand, c vigie.Country, n int) []vigie.Source {
	laws := make([]vigie.Source, n)
	for i := range laws {
		kind := lawKinds[i%len(lawKinds)]
		title := kind + " of " + c.Names.EN
		if i >= len(lawKinds) {
			title += fmt.Sprintf(" (part %d)", i/len(lawKinds)+1)
		}
		year := 1960 + rng.IntN(60)
		laws[i] = vigie.Source{Kind: vigie.SourceLaw, Title: title,
			Identifier: fmt.Sprintf("Law nº %d-%03d", year, rng.IntN(200)+1),
			Year:       year, StatusAsOf: max(year, 2015+rng.IntN(10)),
			Link: fmt.Sprintf("https://legislation.example.org/%s/%d", strings.ToLower(c.ISO2), i)}
	}
	return laws
}

// citations picks 1–3 of the country's laws and sometimes a publication
// covering the country.
func citations(rng *rand.Rand, laws []vigie.Source, pubs []vigie.Publication, c vigie.Country) []vigie.Citation {
	var out []vigie.Citation
	k := 1 + rng.IntN(min(3, len(laws)))
	seen := map[int]bool{}
	for len(out) < k {
		i := rng.IntN(len(laws))
		if seen[i] {
			continue
		}
		seen[i] = true
		a := 1 + rng.IntN(300)
		out = append(out, vigie.Citation{Source: laws[i], Articles: fmt.Sprintf("Art. %d, %d", a, a+1+rng.IntN(5))})
	}
	if rng.IntN(2) == 0 {
		p := pubs[rng.IntN(len(pubs))]
		out = append(out, vigie.Citation{Source: vigie.Source{Kind: vigie.SourcePublication, Title: p.Title,
			Publisher: strings.Join(p.Publishers, ", "), Year: p.Year, Link: p.Link}})
	}
	return out
}

var areas = []string{"prevention", "protection", "rehabilitation", "advocacy", "research", "training", "online safety"}

// organisations gives a country 1–3 member organisations per scale unit.
func organisations(rng *rand.Rand, c vigie.Country, ci, n int) []vigie.Organisation {
	count := (1 + ci%3) * n
	orgs := make([]vigie.Organisation, count)
	phone := ""
	if ex := phonenumbers.GetExampleNumber(c.ISO2); ex != nil {
		phone = phonenumbers.Format(ex, phonenumbers.E164)
	}
	for i := range orgs {
		name := fmt.Sprintf("%s Coalition for Children's Rights %d", c.Names.EN, i+1)
		if i%3 == 1 {
			name = fmt.Sprintf("Association pour la protection de l’enfance (%s) %d", c.Names.FR, i+1)
		}
		o := vigie.Organisation{Country: c.ISO2, Name: name, Acronym: fmt.Sprintf("CCR%s%d", c.ISO2, i+1),
			Description: sentence(rng, "en") + " " + sentence(rng, "fr"),
			Founded:     vigie.AsOf{Year: 1985 + rng.IntN(38), Month: 1 + rng.IntN(12)},
			OfficeCity:  "Capital city", Regions: []string{"North", "South"},
			AreasOfWork: []string{areas[rng.IntN(len(areas))], areas[rng.IntN(len(areas))]},
			Website:     fmt.Sprintf("https://ccr-%s-%d.example.org", strings.ToLower(c.ISO2), i+1)}
		for k := range 1 + rng.IntN(2) {
			ct := vigie.Contact{Name: authors[(i+k)%len(authors)], Title: "Programme officer",
				Email: fmt.Sprintf("contact%d@ccr-%s-%d.example.org", k+1, strings.ToLower(c.ISO2), i+1)}
			if k == 0 {
				ct.Phone = phone
			}
			o.Contacts = append(o.Contacts, ct)
		}
		orgs[i] = o
	}
	return orgs
}

var pubTypes = []string{vigie.PubCountryReport, vigie.PubLegalChecklist, vigie.PubRegionalReview, vigie.PubResearch}

func publication(rng *rand.Rand, countries []vigie.Country, i int) vigie.Publication {
	c := countries[(i*7)%len(countries)]
	typ := pubTypes[i%len(pubTypes)]
	lang := langs[i%len(langs)]
	p := vigie.Publication{Type: typ, Year: 2005 + rng.IntN(20), Publishers: []string{"ECPAT International"},
		Countries: []string{c.ISO2}, Language: lang,
		Link: fmt.Sprintf("https://library.example.org/%d.pdf", i)}
	switch typ {
	case vigie.PubCountryReport:
		p.Title = fmt.Sprintf("%s – Country Monitoring Report no. %d", c.Names.In(lang), i)
	case vigie.PubLegalChecklist:
		p.Title = fmt.Sprintf("Legal Checklist %s no. %d", c.Names.In(lang), i)
	case vigie.PubRegionalReview:
		p.Title = fmt.Sprintf("%s: a regional overview no. %d", c.SubRegion.Names.In(lang), i)
		for k := 1; k < 6; k++ {
			p.Countries = append(p.Countries, countries[(i*7+k*11)%len(countries)].ISO2)
		}
		p.Publishers = append(p.Publishers, "Regional Network for Children")
	default:
		p.Title = fmt.Sprintf("Research on the sexual exploitation of children online no. %d", i)
		p.Countries = append(p.Countries, countries[(i*13)%len(countries)].ISO2)
	}
	return p
}

// newsItem i of n: dated over the years since base, tagged with 1–3
// countries, the sample countries often among them.
func newsItem(rng *rand.Rand, countries []vigie.Country, i, n int) vigie.NewsItem {
	c := countries[(i*17)%len(countries)]
	lang := langs[i%len(langs)]
	day := base.AddDate(0, 0, i*(13*365)/n).Truncate(24 * time.Hour)
	item := vigie.NewsItem{Slug: fmt.Sprintf("story-%d-%s", i+1, c.Slug), Date: day,
		Title:     fmt.Sprintf("%s: %s", c.Names.In(lang), strings.TrimSuffix(sentence(rng, lang), ".")),
		Summary:   sentence(rng, lang),
		Countries: []string{c.ISO2}}
	if len(item.Title) > 120 {
		item.Title = item.Title[:strings.LastIndexByte(item.Title[:120], ' ')] + "…"
	}
	var b strings.Builder
	for p := range 4 {
		if p == 1 {
			b.WriteString("## What changes\n\n")
		}
		for range 3 {
			b.WriteString(sentence(rng, lang))
			b.WriteByte(' ')
		}
		b.WriteString("\n\n")
	}
	item.Body = b.String()
	for k := range rng.IntN(3) {
		item.Countries = append(item.Countries, countries[(i*17+k*29+5)%len(countries)].ISO2)
	}
	if i%5 == 0 {
		s, _ := vigie.CountryBySlug(SampleCountries[i/5%len(SampleCountries)])
		item.Countries = append(item.Countries, s.ISO2)
	}
	return item
}

package pageformat

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	vigie "github.com/vigie-network/vigie"
)

func blocksByKey(pg *Page) map[string]IndicatorBlock {
	m := map[string]IndicatorBlock{}
	for _, b := range pg.Indicators {
		m[b.Key] = b
	}
	return m
}

func cite(s vigie.Source, articles string) vigie.Citation {
	return vigie.Citation{Source: s, Articles: articles}
}

func checkSources(t *testing.T, b IndicatorBlock, want ...vigie.Citation) {
	t.Helper()
	if !reflect.DeepEqual(b.Sources, want) {
		t.Errorf("%s sources =\n%+v\nwant\n%+v", b.Key, b.Sources, want)
	}
}

// TestSecondPage reads a page in the reference layout whose source lines
// take the other forms: pairs, ";", " and ", parentheses, a publication,
// "n.d." and a line that reads two ways.
func TestSecondPage(t *testing.T) {
	pg := mustParse(t, "ghana.txt", readFixture(t, "ghana.txt"))
	if pg.Layout != LayoutReference || pg.CountryName != "Ghana" || len(pg.Indicators) != 9 {
		t.Fatalf("layout %q, country %q, %d blocks", pg.Layout, pg.CountryName, len(pg.Indicators))
	}
	b := blocksByKey(pg)
	tt := b["travel-tourism-standards"]
	checkSources(t, tt,
		cite(law("Tourism Offences Act", 2003, 2020), "Art. 12"),
		cite(law("Children's Act", 2005, 2016), "Art. 8, 9"))
	if tt.Unsure != nil {
		t.Errorf("the pairs line is not ambiguous: %+v", tt.Unsure)
	}
	checkSources(t, b["age-of-consent"], cite(law("Criminal Offences Act", 1960, 2019), "Art. 101"), cite(law("Children's Act", 1998, 0), ""))
	checkSources(t, b["extraterritoriality-extradition"], cite(law("Courts Act", 1993, 2018), "Art. 56"), cite(law("Extradition Act", 1960, 0), "Art. 10"))
	checkSources(t, b["csam-definition"], cite(law("Cybersecurity Act (Act 1038, as amended)", 2020, 2022), "Art. 3"))
	checkSources(t, b["background-check"], cite(pub("Analysis of country legislation on age of sexual consent", 2024), ""))
	checkSources(t, b["national-commitments"], cite(pub("Ministerial guidelines on child protection", 0), ""))

	police := b["sec-police-unit"]
	checkSources(t, police, cite(law("Police Service Act, Domestic Violence and Victim Support Unit Regulations", 2001, 0), ""))
	if len(police.Unsure) != 1 {
		t.Fatalf("unsure lines = %+v, want the police line", police.Unsure)
	}
	u := police.Unsure[0]
	wantOther := []vigie.Citation{cite(law("Police Service Act", 0, 0), ""), cite(pub("Domestic Violence and Victim Support Unit Regulations", 2001), "")}
	if u.Line != 81 || u.First != 0 || u.Count != 1 || len(u.Readings) != 2 ||
		!reflect.DeepEqual(u.Readings[0], police.Sources) || !reflect.DeepEqual(u.Readings[1], wantOther) || !strings.Contains(u.Doubt, "could be 1 source(s) or 2") {
		t.Errorf("unsure line = %+v", u)
	}
}

// TestFrenchAndSpanishStatus reads pages citing laws by their French and
// Spanish titles, with "état au" and "vigente a" for the status date.
func TestFrenchAndSpanishStatus(t *testing.T) {
	sn := blocksByKey(mustParse(t, "senegal_fr.txt", readFixture(t, "senegal_fr.txt")))
	checkSources(t, sn["age-of-consent"], cite(law("Code pénal", 1965, 2021), "Art. 320"))
	// The French titles go on in lower case after "Code": the articles
	// still find the right code.
	ext := sn["extraterritoriality-extradition"].Sources
	if len(ext) != 3 || ext[0].Articles != "" || ext[1].Source != law("Code de procédure pénale", 1965, 2019) || ext[1].Articles != "Art. 669" ||
		ext[2].Source.Identifier != "Loi nº 2005-06" || ext[2].Articles != "Art. 4" {
		t.Errorf("Senegal extraterritoriality sources = %+v", ext)
	}
	checkSources(t, sn["national-commitments"], cite(pub("Stratégie nationale de protection de l'enfant", 2013), ""), cite(pub("Guide pratique des intervenants", 0), ""))

	cr := blocksByKey(mustParse(t, "costarica_es.txt", readFixture(t, "costarica_es.txt")))
	checkSources(t, cr["age-of-consent"], cite(law("Código Penal", 1970, 2021), "Art. 159"), cite(law("Código de la Niñez y la Adolescencia", 1998, 2020), "Art. 2"))
	tt := cr["travel-tourism-standards"].Sources
	if len(tt) != 2 || tt[0].Source.StatusAsOf != 2021 || tt[0].Source.Identifier != "Ley 8720" || tt[0].Articles != "Art. 3" || tt[1].Source != pub("SECTT Legal Checklist Costa Rica", 2020) {
		t.Errorf("Costa Rica tourism sources = %+v", tt)
	}
}

// TestCurrentSiteLayout reads the layout of the network's current site,
// rating above heading, as text and as saved HTML: both read alike and
// name their layout.
func TestCurrentSiteLayout(t *testing.T) {
	text := mustParse(t, "kenya_current.txt", readFixture(t, "kenya_current.txt"))
	if text.Layout != LayoutCurrentSite {
		t.Fatalf("layout = %q", text.Layout)
	}
	if len(text.News) != 1 || text.News[0].Summary != "Thirty paralegals can now accompany children to court." {
		t.Errorf("news = %+v (the first rating must not end up in the news)", text.News)
	}
	want := map[string]string{
		"age-of-consent": vigie.RatingYes, "extraterritoriality-extradition": vigie.RatingPartial, "csam-definition": vigie.RatingNo,
		"background-check": vigie.RatingNotYetAssessed, "national-commitments": vigie.RatingNotYetAssessed,
		"child-advocacy-centers": vigie.RatingYes, "sec-police-unit": vigie.RatingNotYetAssessed,
		"travel-tourism-standards": vigie.RatingNotYetAssessed, "public-case-data": vigie.RatingNoData,
	}
	b := blocksByKey(text)
	for key, rating := range want {
		if b[key].Rating != rating {
			t.Errorf("%s rating = %q, want %q", key, b[key].Rating, rating)
		}
	}
	age := b["age-of-consent"]
	if age.Value == nil || *age.Value != 18 || age.Explanation != "Article 8 of the Sexual Offences Act punishes any sexual act with a child under eighteen." {
		t.Errorf("age of consent = %+v", age)
	}
	checkSources(t, age, cite(vigie.Source{Kind: vigie.SourceLaw, Title: "Sexual Offences Act No. 3 of 2006", Year: 2006, StatusAsOf: 2019}, "Art. 8"))
	checkSources(t, b["extraterritoriality-extradition"], cite(law("Counter-Trafficking in Persons Act", 2010, 2018), "Art. 5"),
		cite(law("Extradition (Contiguous and Foreign Countries) Act", 1968, 0), "Art. 9"))
	if cac := b["child-advocacy-centers"]; cac.Explanation != "Two centres for child victims work in Nairobi and Mombasa." || len(cac.Sources) != 1 {
		t.Errorf("child advocacy centers = %+v", cac)
	}

	// Saved from a browser: headings as <h3> after the rating badge, or
	// only in the markup (data-indicator, aria-label), the badge alone
	// visible.
	for _, name := range []string{"kenya_current.html", "kenya_markup.html"} {
		h := mustParse(t, name, readFixture(t, name))
		if h.Layout != LayoutCurrentSite {
			t.Fatalf("%s layout = %q", name, h.Layout)
		}
		if len(h.Indicators) != 9 || len(h.News) != 1 || len(h.Organisations) != 1 {
			t.Errorf("%s: %d blocks, %d news, %d organisations", name, len(h.Indicators), len(h.News), len(h.Organisations))
		}
		hb := blocksByKey(h)
		for key := range want {
			tb, htb := b[key], hb[key]
			tb.Line, htb.Line = 0, 0
			// The HTML breaks one explanation across source lines; a
			// browser shows it as one line, and so does the text copy.
			htb.Explanation = strings.Join(strings.Fields(htb.Explanation), " ")
			if !reflect.DeepEqual(tb, htb) {
				t.Errorf("%s: %s reads differently:\ntext %+v\nhtml %+v", name, key, tb, htb)
			}
		}
	}
}

// TestLayoutChoice checks that a reference page with one misplaced rating
// stays a reference page with the line reported, and that moving the
// reference page's ratings above their headings makes it a current-site
// page saying the same.
func TestLayoutChoice(t *testing.T) {
	_, err := Parse("p.txt", edit(t, func(l []string) []string { return append(l[:24], append([]string{"", "Yes"}, l[24:]...)...) }), vocabulary())
	if err == nil || !strings.Contains(err.Error(), "already has a rating") {
		t.Errorf("error = %v", err)
	}

	ref := mustParse(t, "gambia.txt", readFixture(t, "gambia.txt"))
	lines := strings.Split(string(readFixture(t, "gambia.txt")), "\n")
	v := newVocab(vocabulary())
	var out []string
	for i := 0; i < len(lines); i++ {
		_, heading := v.indicator(clean(lines[i]))
		if heading && i+2 < len(lines) {
			if _, rated := v.rating(clean(lines[i+2])); rated {
				out = append(out, lines[i+2], "", lines[i])
				i += 2
				continue
			}
		}
		out = append(out, lines[i])
	}
	cur := mustParse(t, "moved.txt", []byte(strings.Join(out, "\n")))
	if cur.Layout != LayoutCurrentSite {
		t.Fatalf("layout = %q", cur.Layout)
	}
	a, b := withoutLines(ref), withoutLines(cur)
	a.Layout, b.Layout = "", ""
	if !reflect.DeepEqual(a, b) {
		t.Errorf("moved ratings read differently:\n%+v\n%+v", a, b)
	}
}

// TestCurrentSiteErrors: in the current site's layout a heading follows
// its rating, so an unknown or misspelt heading is the line after a
// rating, and that is the line the error names.
func TestCurrentSiteErrors(t *testing.T) {
	data := string(readFixture(t, "kenya_current.txt"))
	lineOf := func(s, needle string) int { return 1 + strings.Count(s[:strings.Index(s, needle)], "\n") }
	for _, c := range []struct{ from, to, msg string }{
		{"CSAM Definition", "CSAM Definiton", `unknown indicator heading "CSAM Definiton" (did you mean "CSAM Definition"?)`},
		{"CSAM Definition", "Weather Forecast", `expected an indicator heading (one of: Age of Consent,`},
	} {
		page := strings.Replace(data, c.from, c.to, 1)
		_, err := Parse("kenya.txt", []byte(page), vocabulary())
		var list ErrorList
		var one *Error
		switch {
		case errors.As(err, &list):
			one = list[0]
		case errors.As(err, &one):
		default:
			t.Fatalf("%s: error %v", c.to, err)
		}
		if one.Line != lineOf(page, c.to) || !strings.Contains(one.Msg, c.msg) || !strings.Contains(one.Msg, c.to) {
			t.Errorf("%s: error %v, want line %d with %q", c.to, err, lineOf(page, c.to), c.msg)
		}
	}
}

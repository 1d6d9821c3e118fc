package pageformat

import (
	"reflect"
	"strings"
	"testing"
	"time"

	vigie "github.com/vigie-network/vigie"
)

// law and pub shorten the cases of TestSourceLine.
func law(title string, year, status int) vigie.Source {
	return vigie.Source{Kind: vigie.SourceLaw, Title: title, Year: year, StatusAsOf: status}
}

func pub(title string, year int) vigie.Source {
	return vigie.Source{Kind: vigie.SourcePublication, Title: title, Year: year}
}

// TestSourceLine keeps every form of source line the network's pages use.
// unsure is the number of other readings the line admits (0: one reading).
func TestSourceLine(t *testing.T) {
	withID := func(s vigie.Source, id string) vigie.Source { s.Identifier = id; return s }
	cases := []struct {
		form   string
		line   string
		want   []vigie.Source
		unsure int
		err    string
	}{
		// Titles first, then one year (and status) per title: the reference page.
		{"reference", "Code of Criminal Procedure of Mali, Penal Code of Mali, Law nº 2012-023 on Trafficking in Persons, 2001 (status as of 2021), 2001 (status as of 2016), 2012",
			[]vigie.Source{law("Code of Criminal Procedure of Mali", 2001, 2021), law("Penal Code of Mali", 2001, 2016),
				withID(law("Law nº 2012-023 on Trafficking in Persons", 2012, 0), "Law nº 2012-023")}, 0, ""},
		{"reference", "Constitution of Kenya, Sexual Offences Act No. 3 of 2006, 2010, 2006",
			[]vigie.Source{law("Constitution of Kenya", 2010, 0), law("Sexual Offences Act No. 3 of 2006", 2006, 0)}, 0, ""},
		{"reference", "Décret n° 2005/11 relatif à la protection, Constitución, 2005, 2010",
			[]vigie.Source{withID(law("Décret n° 2005/11 relatif à la protection", 2005, 0), "Décret n° 2005/11"), pub("Constitución", 2010)}, 0, ""},
		// Title, year (status) pairs one after another.
		{"pairs", "Tourism Offences Act, 2003 (status as of 2020), Children's Act, 2005 (status as of 2016)",
			[]vigie.Source{law("Tourism Offences Act", 2003, 2020), law("Children's Act", 2005, 2016)}, 0, ""},
		{"pairs", "Penal Code, 1961, Children's Code, Family Code, 2010, 2011",
			[]vigie.Source{law("Penal Code", 1961, 0), law("Children's Code", 2010, 0), law("Family Code", 2011, 0)}, 0, ""},
		// One publication (or law) with its year.
		{"one", "Analysis of country legislation on age of sexual consent, 2024", []vigie.Source{pub("Analysis of country legislation on age of sexual consent", 2024)}, 0, ""},
		{"one", "SECTT Legal Checklist Costa Rica, 2020", []vigie.Source{pub("SECTT Legal Checklist Costa Rica", 2020)}, 0, ""},
		{"one", "Criminal Code (Strafgesetzbuch StGB), 2021", []vigie.Source{law("Criminal Code (Strafgesetzbuch StGB)", 2021, 0)}, 0, ""},
		{"one", "Act No. 5 of 2003, 2003", []vigie.Source{withID(law("Act No. 5 of 2003", 2003, 0), "Act No. 5")}, 0, ""},
		{"one", "Sources: Penal Code of Senegal, 1965 (status as of 2020)", []vigie.Source{law("Penal Code of Senegal", 1965, 2020)}, 0, ""},
		{"one", "Report on Schools, Hotels and Transport, 2019", []vigie.Source{pub("Report on Schools, Hotels and Transport", 2019)}, 0, ""},
		// Commas inside parentheses belong to the title.
		{"parentheses", "Code of Criminal Procedure (Law No. 65-61 of 21 July 1965, as amended), 1965 (status as of 2020)",
			[]vigie.Source{law("Code of Criminal Procedure (Law No. 65-61 of 21 July 1965, as amended)", 1965, 2020)}, 0, ""},
		{"parentheses", "Penal Code (Law 2001-01, as amended), Children's Code (Law 2007, art. 3), 2001, 2007",
			[]vigie.Source{law("Penal Code (Law 2001-01, as amended)", 2001, 0), law("Children's Code (Law 2007, art. 3)", 2007, 0)}, 0, ""},
		{"lower-case piece", "Code of Criminal Procedure, as amended, 1965",
			[]vigie.Source{law("Code of Criminal Procedure, as amended", 1965, 0)}, 0, ""},
		// Several sources joined by ";" or " and ".
		{"semicolon", "Penal Code, 2001 (status as of 2016); SECTT Legal Checklist Togo, 2020",
			[]vigie.Source{law("Penal Code", 2001, 2016), pub("SECTT Legal Checklist Togo", 2020)}, 0, ""},
		{"semicolon", "Report on Schools, Hotels and Transport, 2019; Children Act, 2005",
			[]vigie.Source{pub("Report on Schools, Hotels and Transport", 2019), law("Children Act", 2005, 0)}, 0, ""},
		{"and", "Penal Code, 2001 and Children's Act, 2005 (status as of 2016)",
			[]vigie.Source{law("Penal Code", 2001, 0), law("Children's Act", 2005, 2016)}, 0, ""},
		{"and", "Penal Code, 2001 (status as of 2016), and Children's Act, 2005",
			[]vigie.Source{law("Penal Code", 2001, 2016), law("Children's Act", 2005, 0)}, 0, ""},
		{"and in a title", "Law on Trafficking in Persons and Related Offences, 2012",
			[]vigie.Source{law("Law on Trafficking in Persons and Related Offences", 2012, 0)}, 0, ""},
		// Year-less titles, "n.d.", French and Spanish status.
		{"year-less", "Penal Code, 2001; Children's Code", []vigie.Source{law("Penal Code", 2001, 0), law("Children's Code", 0, 0)}, 0, ""},
		{"year-less", "Ministerial guidelines on child protection, n.d.", []vigie.Source{pub("Ministerial guidelines on child protection", 0)}, 0, ""},
		{"year-less", "Guide pratique, s.d.; Code pénal, 1961 (état au 2021)", []vigie.Source{pub("Guide pratique", 0), law("Code pénal", 1961, 2021)}, 0, ""},
		{"French", "Code pénal, Code de procédure pénale, 1961 (état au 2021), 1965 (État au 2019)",
			[]vigie.Source{law("Code pénal", 1961, 2021), law("Code de procédure pénale", 1965, 2019)}, 0, ""},
		{"Spanish", "Código Penal, 2012 (vigente a 2021), Ley 1098 de 2006, 2006",
			[]vigie.Source{law("Código Penal", 2012, 2021), withID(law("Ley 1098 de 2006", 2006, 0), "Ley 1098")}, 0, ""},
		// Two readings: several laws before one year.
		{"unsure", "Penal Code, Children Act, 2001", []vigie.Source{law("Penal Code", 0, 0), law("Children Act", 2001, 0)}, 1, ""},
		{"unsure", "Tourism Offences Act, 2003; Handbook for Hotels, Children's Act, 2005",
			[]vigie.Source{law("Tourism Offences Act", 2003, 0), law("Handbook for Hotels, Children's Act", 2005, 0)}, 1, ""},
		{"unsure", "Penal Code (Law 12, 2001", []vigie.Source{law("Penal Code (Law 12", 2001, 0)}, 0, ""},
		// What cannot be read.
		{"error", "Penal Code, 2001 (status as of 2016), 2012", nil, 0, "source line lists 1 titles but 2 years"},
		{"error", "Code of Criminal Procedure of Mali, Penal Code of Mali, Law nº 2012-023, 2001 (status as of 2021), 2001", nil, 0, "source line lists 3 titles but 2 years"},
		{"error", "Penal Code, 1700", nil, 0, "year 1700 is out of range"},
		{"error", "Penal Code, 2001 (status as of 1999)", nil, 0, `"status as of 1999" comes before its year 2001`},
		{"error", "Penal Code, 2001; 2005, Children Act", nil, 0, "comes before any title"},
	}
	for _, c := range cases {
		p := &parser{file: "f"}
		r := p.sourceLine(newLine(c.line, 7))
		var got []vigie.Source
		for _, ci := range r.cites {
			got = append(got, ci.Source)
		}
		if c.err != "" {
			if len(p.errs) != 1 || p.errs[0].Line != 7 || !strings.Contains(p.errs[0].Msg, c.err) {
				t.Errorf("%s %q: errors %v, want %q at line 7", c.form, c.line, p.errs, c.err)
			}
			continue
		}
		if len(p.errs) > 0 || !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s %q:\ngot  %+v (errors %v)\nwant %+v", c.form, c.line, got, p.errs, c.want)
		}
		if len(r.alternatives) != c.unsure {
			t.Errorf("%s %q: %d other readings %+v, want %d", c.form, c.line, len(r.alternatives), r.alternatives, c.unsure)
		}
		if !isSourceLine(c.line) {
			t.Errorf("%s %q does not read as a source line", c.form, c.line)
		}
	}
}

func TestIsSourceLine(t *testing.T) {
	for s, want := range map[string]bool{
		"Penal Code of Mali, 2001":                     true,
		"Penal Code of Mali, 2001 (status as of 2016)": true,
		"The law changed in 2001.":                     false,
		"2001":                                         false,
		", 2001":                                       false,
		"It was amended in March, 2001":                true, // a sentence without its full stop reads as a source
	} {
		if got := isSourceLine(s); got != want {
			t.Errorf("isSourceLine(%q) = %v", s, got)
		}
	}
}

func TestArticles(t *testing.T) {
	cites := []vigie.Citation{
		{Source: vigie.Source{Title: "Penal Code of Senegal"}},
		{Source: vigie.Source{Title: "Code of Criminal Procedure of Senegal"}},
		{Source: vigie.Source{Title: "Loi nº 2005-06 on Trafficking in Persons"}},
		{Source: vigie.Source{Title: "Children Act"}},
	}
	text := "Under Article 319 of the Penal Code and Article 664-1 of the Code of Criminal Procedure, courts act. " +
		"Arts. 2, 3 and 4 of the Law on Trafficking in Persons apply; article 3 of the Law on Trafficking in Persons again. " +
		"Article 12 of the Code is ambiguous, Article 9 of the Family Code matches nothing, " +
		"and Articles 5 & 6 of the Penal Code of Senegal as amended are cited too."
	attachArticles(text, cites)
	var got []string
	for _, c := range cites {
		got = append(got, c.Articles)
	}
	want := []string{"Art. 319, 5, 6", "Art. 664-1", "Art. 2, 3, 4", ""}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("articles = %q, want %q", got, want)
	}

	// Titles that go on in lower case, as French and Spanish ones do.
	cites = []vigie.Citation{
		{Source: vigie.Source{Title: "Code pénal"}},
		{Source: vigie.Source{Title: "Code de procédure pénale"}},
		{Source: vigie.Source{Title: "Código de la Niñez y la Adolescencia"}},
	}
	attachArticles("Article 5 of the Code de procédure pénale applies; Article 7 of the Code pénal too, and Article 9 of the Code, "+
		"Article 2 of the Código de la Niñez y la Adolescencia as well as article 4 of the Code pénal.", cites)
	got = nil
	for _, c := range cites {
		got = append(got, c.Articles)
	}
	if want := []string{"Art. 7, 4", "Art. 5", "Art. 2"}; !reflect.DeepEqual(got, want) {
		t.Errorf("articles of lower-case titles = %q, want %q", got, want)
	}
}

func TestProse(t *testing.T) {
	cases := []struct {
		text string
		want Organisation
	}{
		{"The group was established on 3 June 2010. Its headquarters are located in Saint-Louis. It works in the areas of prevention, advocacy and care for survivors.",
			Organisation{Founded: vigie.AsOf{Year: 2010, Month: 6, Day: 3}, OfficeCity: "Saint-Louis", AreasOfWork: []string{"prevention", "advocacy", "care"}}},
		{"Set up in 1999, the network is headquartered in Ouagadougou and active in the provinces of Kadiogo & Houet. Its areas of work are: education, legal aid.",
			Organisation{Founded: vigie.AsOf{Year: 1999}, OfficeCity: "Ouagadougou", Regions: []string{"Kadiogo", "Houet"}, AreasOfWork: []string{"education", "legal aid"}}},
		{"A small association of volunteers that visits schools.", Organisation{}},
	}
	for _, c := range cases {
		o := Organisation{Description: c.text}
		readProse(&o)
		o.Description = ""
		if !reflect.DeepEqual(o, c.want) {
			t.Errorf("%q:\ngot  %+v\nwant %+v", c.text, o, c.want)
		}
	}
}

func TestParseDate(t *testing.T) {
	want := time.Date(2024, 3, 12, 0, 0, 0, 0, time.UTC)
	for _, s := range []string{"12 March 2024", "12 Mar 2024", "March 12, 2024", "march 12 2024", "12th March 2024", "Tuesday, 12 March 2024", "2024-03-12"} {
		if got, ok := parseDate(s); !ok || !got.Equal(want) {
			t.Errorf("parseDate(%q) = %v, %v", s, got, ok)
		}
	}
	for _, s := range []string{"March 2024", "2024", "12/03/2024", "Helpline opens", "31 February 2024"} {
		if _, ok := parseDate(s); ok {
			t.Errorf("parseDate(%q) accepted", s)
		}
	}
}

func TestHTMLLines(t *testing.T) {
	src := "<html><head>\n<title>T</title>\n<body>\n<p>One  <b>two</b>\n three</p><p>a<br>b<br><br>c</p>\n" +
		"<ul><li>x &amp; y</li></ul><table><tr><td>Year:</td><td>2017</td></tr></table>\n<pre>p1\n  p2</pre>" +
		"<nav>menu</nav><div>tail</div>"
	var got []string
	for _, l := range htmlLines(src) {
		got = append(got, l.raw)
	}
	want := []string{"One two three", "", "a", "b", "", "c", "", "x & y", "", "Year: 2017", "", "p1", "  p2", "", "tail", ""}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("lines = %q\nwant    %q", got, want)
	}
	// A head left open ends at the first body tag.
	if ls := htmlLines("<head><meta charset=utf-8><p>Hello</p>"); len(ls) == 0 || ls[0].raw != "Hello" {
		t.Errorf("open head swallowed the body: %+v", ls)
	}
}

func TestLooksLikeHTML(t *testing.T) {
	for s, want := range map[string]bool{
		"\n  <!DOCTYPE html><html>":       true,
		"<P class=x>Title Read the story": true,
		"<body>":                          true,
		"Public Opinion is Clear":         false,
		"<3 children Read the story":      false,
	} {
		if got := looksLikeHTML("page", []byte(s)); got != want {
			t.Errorf("looksLikeHTML(%q) = %v", s, got)
		}
	}
	if !looksLikeHTML("page.HTM", []byte("plain words")) {
		t.Error("the .htm extension is not enough")
	}
}

func TestFoldAgreesWithVigie(t *testing.T) {
	for _, s := range []string{"Age of Consent", "Côte d’Ivoire", "DÉCRET nº 2005", "Código Penal", "São Tomé", "ÅNGSTRÖM", "İstanbul", "ǅ", "\u00a0x"} {
		if got, want := fold(s), vigie.Fold(s); got != want {
			t.Errorf("fold(%q) = %q, vigie.Fold = %q", s, got, want)
		}
	}
}

// TestLayoutVariants covers layouts the fixtures do not: the story link on
// its own line, an organisation without contact lines, a website, a
// contact group opened by a phone line, no featured story at all.
func TestLayoutVariants(t *testing.T) {
	page := strings.Join([]string{
		"Schools Join the Campaign",
		"Read the story →",
		"",
		"Children First works in the districts of Kanifing and Brikama.",
		"",
		"Children First (CF)",
		"",
		"Youth Voices Network (YVN)",
		"Phone: +220 441 2345",
		"Website: yvn.example.org",
		"Contact: Isatou Bah, Chair",
		"",
		"ECPAT International and Youth Voices Network",
		"Annual Review",
		"Year: 2023",
		"",
		"News from Senegal",
		"Age of Consent",
		"Not Yet Assessed",
	}, "\n")
	pg, err := Parse("variants.txt", []byte(page), vocabulary())
	if err != nil {
		t.Fatal(err)
	}
	if pg.Featured == nil || pg.Featured.Title != "Schools Join the Campaign" || pg.Featured.Line != 1 {
		t.Errorf("featured = %+v", pg.Featured)
	}
	if len(pg.Organisations) != 2 {
		t.Fatalf("organisations = %+v", pg.Organisations)
	}
	cf, yvn := pg.Organisations[0], pg.Organisations[1]
	if cf.Name != "Children First" || cf.Acronym != "CF" || cf.Contacts != nil || !reflect.DeepEqual(cf.Regions, []string{"Kanifing", "Brikama"}) {
		t.Errorf("organisation without contacts = %+v", cf)
	}
	if yvn.Description != "" || yvn.Website != "https://yvn.example.org" ||
		!reflect.DeepEqual(yvn.Contacts, []vigie.Contact{{Phone: "+2204412345"}, {Name: "Isatou Bah", Title: "Chair"}}) {
		t.Errorf("second organisation = %+v", yvn)
	}
	if p := pg.Publications; len(p) != 1 || p[0].Type != vigie.PubOther || len(p[0].Publishers) != 2 {
		t.Errorf("publications = %+v", p)
	}
	if pg.CountryName != "Senegal" || len(pg.Indicators) != 1 {
		t.Errorf("country %q, blocks %+v", pg.CountryName, pg.Indicators)
	}

	bare, err := Parse("bare.txt", []byte("News from Mali\n\nAge of Consent\n\nYes\n\n16\n"), vocabulary())
	if err != nil {
		t.Fatal(err)
	}
	if bare.Featured != nil || bare.Organisations != nil || bare.Indicators[0].Value == nil || *bare.Indicators[0].Value != 16 {
		t.Errorf("bare page = %+v", bare)
	}
}

package pageformat

import (
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	vigie "github.com/vigie-network/vigie"
)

func vocabulary() Vocabulary {
	return Vocabulary{Indicators: vigie.DefaultIndicators(), Ratings: vigie.DefaultRatings()}
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func mustParse(t *testing.T, name string, data []byte) *Page {
	t.Helper()
	pg, err := Parse(name, data, vocabulary())
	if err != nil {
		t.Fatalf("Parse(%s): %v", name, err)
	}
	return pg
}

// TestMali reads the reference page and checks every fact on it.
func TestMali(t *testing.T) {
	data := readFixture(t, "mali.txt")
	pg := mustParse(t, "mali.txt", data)
	fileLines := strings.Split(string(data), "\n")

	if pg.Featured == nil || pg.Featured.Title != "Public Opinion is Clear: Urgent Legislation Required to Protect Children from Sexual Exploitation!" || pg.Featured.Line != 1 {
		t.Errorf("featured = %+v", pg.Featured)
	}

	if len(pg.Organisations) != 1 {
		t.Fatalf("%d organisations, want 1", len(pg.Organisations))
	}
	o := pg.Organisations[0]
	if o.Name != "Association Contre l’Exploitation Sexuelle des Enfants au Mali" || o.Acronym != "ACESEM" || o.Line != 6 {
		t.Errorf("organisation name %q acronym %q line %d", o.Name, o.Acronym, o.Line)
	}
	if o.Description != fileLines[3] {
		t.Errorf("description = %q, want line 4 as written", o.Description)
	}
	if o.Founded != (vigie.AsOf{Year: 2018, Month: 12}) {
		t.Errorf("founded = %v, want 2018-12", o.Founded)
	}
	if o.OfficeCity != "Bamako" {
		t.Errorf("office city = %q", o.OfficeCity)
	}
	if !reflect.DeepEqual(o.Regions, []string{"Segou", "Sikasso"}) {
		t.Errorf("regions = %q", o.Regions)
	}
	if !reflect.DeepEqual(o.AreasOfWork, []string{"prevention", "protection", "rehabilitation"}) {
		t.Errorf("areas of work = %q", o.AreasOfWork)
	}
	wantContact := []vigie.Contact{{Name: "Boubacar Hassane", Title: "Executive Director", Phone: "+22377084023"}}
	if !reflect.DeepEqual(o.Contacts, wantContact) {
		t.Errorf("contacts = %+v", o.Contacts)
	}

	wantPubs := []Publication{{Publishers: []string{"ECPAT International"}, Title: "Mali – Country Monitoring Report",
		Type: vigie.PubCountryReport, Year: 2017, Line: 14}}
	if !reflect.DeepEqual(pg.Publications, wantPubs) {
		t.Errorf("publications = %+v", pg.Publications)
	}
	if pg.CountryName != "Mali" || pg.CountryLine != 19 {
		t.Errorf("country %q at line %d", pg.CountryName, pg.CountryLine)
	}
	if len(pg.News) != 0 {
		t.Errorf("news = %+v, want none", pg.News)
	}

	var keys []string
	for _, b := range pg.Indicators {
		keys = append(keys, b.Key)
	}
	var want []string
	for _, ind := range vigie.DefaultIndicators() {
		want = append(want, ind.Key)
	}
	if !reflect.DeepEqual(keys, want) {
		t.Fatalf("indicators = %q, want %q", keys, want)
	}
	for _, b := range pg.Indicators {
		if b.Key == "extraterritoriality-extradition" {
			continue
		}
		if b.Rating != vigie.RatingNotYetAssessed || b.Explanation != "" || b.Sources != nil || b.Value != nil {
			t.Errorf("%s = %+v, want only not-yet-assessed", b.Key, b)
		}
	}

	ext := pg.Indicators[1]
	if ext.Heading != "Extraterritoriality & Extradition" || ext.Line != 26 || ext.Rating != "" {
		t.Errorf("extraterritoriality heading %q line %d rating %q", ext.Heading, ext.Line, ext.Rating)
	}
	// Lines 29-32 of the page: two lines, a blank line, a paragraph.
	if wantText := strings.Join(fileLines[28:32], "\n"); ext.Explanation != wantText {
		t.Errorf("explanation =\n%q\nwant\n%q", ext.Explanation, wantText)
	}
	wantSources := []vigie.Citation{
		{Source: vigie.Source{Kind: vigie.SourceLaw, Title: "Code of Criminal Procedure of Mali", Year: 2001, StatusAsOf: 2021}, Articles: "Art. 22, 244"},
		{Source: vigie.Source{Kind: vigie.SourceLaw, Title: "Penal Code of Mali", Year: 2001, StatusAsOf: 2016}},
		{Source: vigie.Source{Kind: vigie.SourceLaw, Title: "Law nº 2012-023 on Trafficking in Persons", Identifier: "Law nº 2012-023", Year: 2012}, Articles: "Art. 16, 17"},
	}
	if !reflect.DeepEqual(ext.Sources, wantSources) {
		t.Errorf("sources =\n%+v\nwant\n%+v", ext.Sources, wantSources)
	}
}

// TestGambia reads the invented fixture that covers every part of the layout.
func TestGambia(t *testing.T) {
	pg := mustParse(t, "gambia.txt", readFixture(t, "gambia.txt"))
	if pg.Featured == nil || pg.Featured.Title != "Survivors Speak Up: New Helpline Reaches Children Across the Country" {
		t.Errorf("featured = %+v", pg.Featured)
	}

	if len(pg.Organisations) != 2 {
		t.Fatalf("%d organisations, want 2", len(pg.Organisations))
	}
	k, s := pg.Organisations[0], pg.Organisations[1]
	if k.Name != "Kombo Child Rights Network" || k.Acronym != "KCRN" || k.Line != 8 {
		t.Errorf("first organisation %q (%q) line %d", k.Name, k.Acronym, k.Line)
	}
	if !strings.Contains(k.Description, "social workers.") || !strings.Contains(k.Description, "North Bank.\n\nAwareness raising") {
		t.Errorf("description %q lost its paragraphs", k.Description)
	}
	if k.Founded != (vigie.AsOf{Year: 2015, Month: 3}) || k.OfficeCity != "Serrekunda" ||
		!reflect.DeepEqual(k.Regions, []string{"Central River", "Upper River", "North Bank"}) ||
		!reflect.DeepEqual(k.AreasOfWork, []string{"awareness raising", "legal aid", "psychosocial support"}) {
		t.Errorf("prose facts: founded %v city %q regions %q areas %q", k.Founded, k.OfficeCity, k.Regions, k.AreasOfWork)
	}
	wantContacts := []vigie.Contact{
		{Name: "Awa Jallow", Title: "Coordinator", Phone: "+2204412345", Email: "info@kcrn.example.org", Address: "12 Kairaba Avenue, Serrekunda"},
		{Name: "Lamin Ceesay", Title: "Legal Officer", Phone: "+2209901234"},
	}
	if !reflect.DeepEqual(k.Contacts, wantContacts) {
		t.Errorf("contacts = %+v", k.Contacts)
	}
	if s.Name != "Safe Shores Initiative" || s.Acronym != "SSI" || !s.Founded.IsZero() || s.OfficeCity != "" || s.Regions != nil || s.AreasOfWork != nil {
		t.Errorf("second organisation = %+v", s)
	}
	if want := []vigie.Contact{{Name: "Fatou Sowe", Title: "Programme Manager", Phone: "+2207705566"}}; !reflect.DeepEqual(s.Contacts, want) {
		t.Errorf("second contacts = %+v", s.Contacts)
	}

	wantPubs := []Publication{
		{Publishers: []string{"ECPAT International"}, Title: "The Gambia – Country Monitoring Report", Type: vigie.PubCountryReport, Year: 2019, Line: 29},
		{Publishers: []string{"ECPAT International", "Kombo Child Rights Network"}, Title: "SECTT Legal Checklist The Gambia", Type: vigie.PubLegalChecklist, Year: 2020, Line: 34},
		{Publishers: []string{"ECPAT International", "Safe Shores Initiative", "Plan West Africa"}, Title: "Regional Overview: Sexual Exploitation of Children in West Africa", Type: vigie.PubRegionalReview, Year: 2021, Line: 39},
		{Publishers: []string{"Kombo Child Rights Network"}, Title: "Study on Children’s Online Safety in Greater Banjul", Type: vigie.PubResearch, Year: 2022, Line: 43},
	}
	if !reflect.DeepEqual(pg.Publications, wantPubs) {
		t.Errorf("publications =\n%+v\nwant\n%+v", pg.Publications, wantPubs)
	}

	if pg.CountryName != "The Gambia" || pg.CountryLine != 48 {
		t.Errorf("country %q line %d", pg.CountryName, pg.CountryLine)
	}
	wantNews := []NewsItem{
		{Title: "Helpline Volunteers Complete Their Training", Date: time.Date(2024, 3, 12, 0, 0, 0, 0, time.UTC), Line: 50,
			Summary: "Twenty volunteers finished a two-week course on answering calls from children.\nThey take their first shifts next month.\n\nThe helpline is free from every network."},
		{Title: "Network Meets the Tourism Board", Date: time.Date(2024, 1, 30, 0, 0, 0, 0, time.UTC), Line: 58,
			Summary: "Members asked the board for a code of conduct binding on every hotel."},
	}
	if !reflect.DeepEqual(pg.News, wantNews) {
		t.Errorf("news =\n%+v\nwant\n%+v", pg.News, wantNews)
	}

	blocks := map[string]IndicatorBlock{}
	ratings := map[string]bool{}
	for _, b := range pg.Indicators {
		blocks[b.Key] = b
		ratings[b.Rating] = true
	}
	if len(pg.Indicators) != 9 {
		t.Fatalf("%d blocks, want 9", len(pg.Indicators))
	}
	for _, r := range vigie.DefaultRatings() {
		if !ratings[r.Key] {
			t.Errorf("no block rated %q: the fixture must cover every label", r.Label)
		}
	}

	age := blocks["age-of-consent"]
	if age.Rating != vigie.RatingYes || age.Value == nil || *age.Value != 18 {
		t.Errorf("age of consent = %+v", age)
	}
	if len(age.Sources) != 2 || age.Sources[0].Source.Title != "Sexual Offences Act 2013" || age.Sources[1].Source.StatusAsOf != 2016 {
		t.Errorf("age of consent sources = %+v", age.Sources)
	}

	ext := blocks["extraterritoriality-extradition"]
	if ext.Rating != vigie.RatingPartial || !strings.Contains(ext.Explanation, "Persons Act.\nDouble criminality") || !strings.Contains(ext.Explanation, "trafficking.\n\nExtradition") {
		t.Errorf("extraterritoriality = %+v", ext)
	}
	var arts []string
	for _, c := range ext.Sources {
		if c.Source.Kind != vigie.SourceLaw {
			t.Errorf("%q is not a law", c.Source.Title)
		}
		arts = append(arts, c.Articles)
	}
	if want := []string{"Art. 5", "Art. 12, 13", "Art. 4"}; !reflect.DeepEqual(arts, want) {
		t.Errorf("articles = %q, want %q", arts, want)
	}

	csam := blocks["csam-definition"]
	wantPub := []vigie.Citation{{Source: vigie.Source{Kind: vigie.SourcePublication, Title: "SECTT Legal Checklist The Gambia", Year: 2020}}}
	if csam.Rating != vigie.RatingNo || !reflect.DeepEqual(csam.Sources, wantPub) {
		t.Errorf("csam = %+v", csam)
	}
	if b := blocks["background-check"]; b.Rating != vigie.RatingNoData || b.Explanation != "" || b.Sources != nil {
		t.Errorf("background check = %+v", b)
	}
	if b := blocks["national-commitments"]; b.Rating != vigie.RatingNotRated || b.Explanation == "" {
		t.Errorf("national commitments = %+v", b)
	}
	cac := blocks["child-advocacy-centers"]
	if cac.Rating != "" || cac.Explanation != "One centre opened in Banjul in 2021, run by the social welfare department." {
		t.Errorf("child advocacy centers = %+v", cac)
	}
	if len(cac.Sources) != 1 || cac.Sources[0].Source.Identifier != "Law nº 2021-07" || cac.Sources[0].Source.Kind != vigie.SourceLaw {
		t.Errorf("child advocacy centers sources = %+v", cac.Sources)
	}
	tt := blocks["travel-tourism-standards"]
	if len(tt.Sources) != 1 || tt.Sources[0].Source.Kind != vigie.SourceLaw || tt.Sources[0].Source.Year != 2003 {
		t.Errorf("a one-title law source = %+v", tt.Sources)
	}
}

// withoutLines zeroes the line numbers, which differ between formats.
func withoutLines(pg *Page) *Page {
	c := *pg
	if c.Featured != nil {
		f := *c.Featured
		f.Line = 0
		c.Featured = &f
	}
	c.CountryLine = 0
	c.Organisations = append([]Organisation(nil), pg.Organisations...)
	for i := range c.Organisations {
		c.Organisations[i].Line = 0
	}
	c.Publications = append([]Publication(nil), pg.Publications...)
	for i := range c.Publications {
		c.Publications[i].Line = 0
	}
	c.News = append([]NewsItem(nil), pg.News...)
	for i := range c.News {
		c.News[i].Line = 0
	}
	c.Indicators = append([]IndicatorBlock(nil), pg.Indicators...)
	for i := range c.Indicators {
		c.Indicators[i].Line = 0
	}
	return &c
}

// sourceLine is the 1-based line of the first occurrence of s in data.
func sourceLine(t *testing.T, data []byte, s string) int {
	t.Helper()
	i := strings.Index(string(data), s)
	if i < 0 {
		t.Fatalf("%q not in fixture", s)
	}
	return strings.Count(string(data[:i]), "\n") + 1
}

// TestHTMLMatchesText checks that the saved HTML page reads exactly like
// the text page, and that its line numbers point into the HTML source.
func TestHTMLMatchesText(t *testing.T) {
	text := mustParse(t, "gambia.txt", readFixture(t, "gambia.txt"))
	data := readFixture(t, "gambia.html")
	h := mustParse(t, "gambia.html", data)
	if !reflect.DeepEqual(withoutLines(text), withoutLines(h)) {
		t.Errorf("HTML page reads differently from the text page:\ntext %+v\nhtml %+v", withoutLines(text), withoutLines(h))
	}
	checks := []struct {
		got  int
		mark string
	}{
		{h.Featured.Line, "<strong>Survivors"},
		{h.Organisations[0].Line, "<h3>Kombo"},
		{h.Publications[1].Line, "ECPAT International &amp;"},
		{h.CountryLine, "News from The&nbsp;Gambia"},
		{h.News[0].Line, "<h3>Helpline"},
		{h.Indicators[0].Line, "Age of&nbsp;Consent"},
		{h.Indicators[3].Line, "Background Check Required"},
		{h.Indicators[8].Line, "<h3>Public SEC Case Data"},
	}
	for _, c := range checks {
		if want := sourceLine(t, data, c.mark); c.got != want {
			t.Errorf("line of %q = %d, want %d", c.mark, c.got, want)
		}
	}
	// The sniffing does not need the file name.
	if _, err := Parse("page", data, vocabulary()); err != nil {
		t.Errorf("HTML without .html name: %v", err)
	}
}

func TestCRLFAndBOM(t *testing.T) {
	data := readFixture(t, "mali.txt")
	want := mustParse(t, "mali.txt", data)
	crlf := append([]byte("\xef\xbb\xbf"), strings.ReplaceAll(string(data), "\n", "\r\n")...)
	got := mustParse(t, "mali-crlf.txt", crlf)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("CRLF page with BOM reads differently:\n%+v\n%+v", got, want)
	}
}

func TestNonBreakingSpaces(t *testing.T) {
	data := readFixture(t, "mali.txt")
	nb := strings.Replace(string(data), "Age of Consent", "Age\u00a0of  Consent", 1)
	nb = strings.Replace(nb, "Not Yet Assessed", "Not\u00a0Yet Assessed", 1)
	nb = strings.Replace(nb, "Extraterritoriality & Extradition", "EXTRATERRITORIALITY AND EXTRADITION", 1)
	pg := mustParse(t, "nbsp.txt", []byte(nb))
	if b := pg.Indicators[0]; b.Key != "age-of-consent" || b.Rating != vigie.RatingNotYetAssessed {
		t.Errorf("first block = %+v", b)
	}
	if pg.Indicators[1].Key != "extraterritoriality-extradition" {
		t.Errorf("\"AND\" for \"&\" not matched: %+v", pg.Indicators[1])
	}
}

// edit changes the reference page line by line (1-based line numbers).
func edit(t *testing.T, change func(lines []string) []string) []byte {
	lines := strings.Split(string(readFixture(t, "mali.txt")), "\n")
	return []byte(strings.Join(change(lines), "\n"))
}

func replaceLine(n int, s string) func([]string) []string {
	return func(l []string) []string { l[n-1] = s; return l }
}

func TestBadInput(t *testing.T) {
	maliLines := len(strings.Split(string(readFixture(t, "mali.txt")), "\n"))
	html := string(readFixture(t, "gambia.html"))
	cases := []struct {
		name string
		file string
		data []byte
		line int
		msg  string
	}{
		{"empty", "p.txt", nil, 1, "empty file"},
		{"only blank lines", "p.txt", []byte(" \n\n\t\n"), 1, "empty file"},
		{"only a BOM", "p.txt", []byte("\xef\xbb\xbf"), 1, "empty file"},
		{"invalid UTF-8", "p.txt", []byte("A story Read the story\n\nText \xff more"), 3, "invalid UTF-8"},
		{"Latin-1", "p.txt", []byte("Story Read the story\nC\xf4te d'Ivoire\n"), 2, "invalid UTF-8 (byte 0xf4 at column 2)"},
		{"NUL byte", "p.txt", []byte("a\nb\x00c"), 2, "NUL byte"},
		{"binary junk", "p.txt", []byte("\x89PNG\r\n\x1a\n\x00\x00"), 1, "invalid UTF-8"},
		{"control character", "p.txt", []byte("title\n\x01\x02"), 2, "control character"},
		{"ends after the story", "p.txt", edit(t, func(l []string) []string { return l[:1] }), 1, `file ends before the "News from <country>" heading`},
		{"ends inside the organisation", "p.txt", edit(t, func(l []string) []string { return l[:4] }), 4, "file ends before"},
		{"ends inside a publication", "p.txt", edit(t, func(l []string) []string { return l[:15] }), 15, "the text from line 14 is unfinished"},
		{"ends before any indicator", "p.txt", edit(t, func(l []string) []string { return l[:19] }), 19, "file ends before the first indicator heading (one of: Age of Consent,"},
		{"unknown heading between blocks", "p.txt", edit(t, replaceLine(36, "Foo Bar")), 36, `expected an indicator heading (one of: Age of Consent, Extraterritoriality & Extradition,`},
		{"unknown heading after news", "p.txt", edit(t, replaceLine(22, "Foo Bar")), 22, `found "Foo Bar"`},
		{"misspelt heading", "p.txt", edit(t, replaceLine(36, "CSAM Definiton")), 36, `did you mean "CSAM Definition"?`},
		{"missing news heading", "p.txt", edit(t, func(l []string) []string { return append(l[:18], l[19:]...) }), 21, `expected a "News from <country>" heading before the first indicator heading "Age of Consent"`},
		{"duplicate block", "p.txt", edit(t, func(l []string) []string { return append(l, "", "Age of Consent", "", "Yes") }), maliLines + 2, `duplicate block for indicator "Age of Consent": it already appears at line 22`},
		{"unknown rating", "p.txt", edit(t, replaceLine(24, "Maybe")), 24, `unknown rating "Maybe" after heading "Age of Consent" (expected one of: Yes, Partial,`},
		{"second rating", "p.txt", edit(t, func(l []string) []string { return append(l[:24], append([]string{"", "Yes"}, l[24:]...)...) }), 26, "already has a rating"},
		{"source counts differ", "p.txt", edit(t, replaceLine(34, strings.TrimSuffix(strings.Split(string(readFixture(t, "mali.txt")), "\n")[33], ", 2012"))), 34, "source line lists 3 titles but 2 years"},
		{"status before year", "p.txt", edit(t, replaceLine(34, "Penal Code of Mali, 2001 (status as of 1999)")), 34, `"status as of 1999" comes before its year 2001`},
		{"bad phone", "p.txt", edit(t, replaceLine(9, "Phone: 12")), 9, `cannot read the phone number "12"`},
		{"bad email", "p.txt", edit(t, func(l []string) []string {
			return append(l[:9], append([]string{"Email: someone at example"}, l[9:]...)...)
		}), 10, `"someone at example" is not an email address`},
		{"bad year", "p.txt", edit(t, replaceLine(17, "Year: 20x7")), 17, `expected a four-digit year after "Year:", found "20x7"`},
		{"publication without publisher", "p.txt", edit(t, func(l []string) []string { return append(l[:13], l[14:]...) }), 16, "expected a publisher line and a title line"},
		{"contacts without organisation", "p.txt", edit(t, func(l []string) []string { return l[7:] }), 1, "comes before any organisation"},
		{"HTML without text", "p.html", []byte("<html><head><title>x</title></head><body> </body></html>"), 1, "no visible text"},
		{"HTML unknown rating", "gambia.html", []byte(strings.Replace(html, `<p class="rating">No</p>`, "<p class=\"rating\">\n  Maybe</p>", 1)),
			sourceLine(t, []byte(html), `<p class="rating">No</p>`) + 1, `unknown rating "Maybe" after heading "CSAM Definition"`},
		{"HTML ends early", "gambia.html", []byte(html[:strings.Index(html, "<section class=\"news\">")]), strings.Count(html[:strings.Index(html, "<section class=\"news\">")], "\n"), "file ends before"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			pg, err := Parse(c.file, c.data, vocabulary())
			if err == nil {
				t.Fatalf("no error; page %+v", pg)
			}
			if pg != nil {
				t.Errorf("a page came back with the error")
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T %v is not a *Error", err, err)
			}
			if e.Line != c.line || !strings.Contains(e.Msg, c.msg) {
				t.Errorf("error = %v\nwant line %d with %q", err, c.line, c.msg)
			}
			if !strings.HasPrefix(err.Error(), c.file+":") {
				t.Errorf("error %q does not start with the file name", err)
			}
		})
	}
}

func TestErrorList(t *testing.T) {
	data := edit(t, func(l []string) []string {
		l[23] = "Maybe"
		l[8] = "Phone: 12"
		return l
	})
	_, err := Parse("mali.txt", data, vocabulary())
	var list ErrorList
	if !errors.As(err, &list) || len(list) != 2 {
		t.Fatalf("error = %#v, want a list of two", err)
	}
	if list[0].Line != 9 || list[1].Line != 24 {
		t.Errorf("lines %d, %d; want 9, 24 in order", list[0].Line, list[1].Line)
	}
	if want := "mali.txt:9: "; !strings.HasPrefix(err.Error(), want) || !strings.Contains(err.Error(), "\nmali.txt:24: unknown rating") {
		t.Errorf("message = %q", err)
	}
	var e *Error
	if !errors.As(err, &e) || e.Line != 9 {
		t.Errorf("errors.As finds %v", e)
	}
}

func TestEmptyVocabulary(t *testing.T) {
	_, err := Parse("mali.txt", readFixture(t, "mali.txt"), Vocabulary{})
	var e *Error
	if !errors.As(err, &e) || e.Line != 1 {
		t.Errorf("error = %v", err)
	}
}

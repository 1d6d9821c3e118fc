package importer_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/importer"
)

const (
	ghanaPage       = "../pageformat/testdata/ghana.txt"
	senegalPage     = "../pageformat/testdata/senegal_fr.txt"
	costaRicaPage   = "../pageformat/testdata/costarica_es.txt"
	kenyaPage       = "../pageformat/testdata/kenya_current.txt"
	kenyaPageHTML   = "../pageformat/testdata/kenya_current.html"
	policeIndicator = "sec-police-unit"
)

// TestImportSecondPage imports the page whose tourism line once stopped
// the import: two laws, each with its year and status date, and the
// articles of the explanation on the right one.
func TestImportSecondPage(t *testing.T) {
	s := openStore(t)
	var log bytes.Buffer
	sum, err := importer.ImportFiles(ctx, s, []string{ghanaPage}, importer.Options{Author: "test", Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	a, err := s.Assessment(ctx, "GH", "travel-tourism-standards")
	if err != nil {
		t.Fatal(err)
	}
	want := []vigie.Citation{
		{Source: vigie.Source{Kind: vigie.SourceLaw, Title: "Tourism Offences Act", Year: 2003, StatusAsOf: 2020}, Articles: "Art. 12"},
		{Source: vigie.Source{Kind: vigie.SourceLaw, Title: "Children's Act", Year: 2005, StatusAsOf: 2016}, Articles: "Art. 8, 9"},
	}
	if len(a.Citations) != 2 {
		t.Fatalf("citations = %+v", a.Citations)
	}
	for i, c := range a.Citations {
		c.Source.ID = 0
		if c != want[i] {
			t.Errorf("citation %d = %+v, want %+v", i, c, want[i])
		}
	}
	if sum.Files != 1 || sum.FilesUnchanged != 0 || sum.Assessments != 8 || sum.Citations != 10 || sum.NeedsLook != 1 || sum.Organisations != 1 {
		t.Errorf("summary = %+v", sum)
	}
	if !strings.Contains(log.String(), "ghana.txt: layout: reference page") {
		t.Errorf("the log does not name the layout:\n%s", log.String())
	}

	// The police line reads two ways: its citation is on the list.
	flags, err := s.CitationFlags(ctx, vigie.CitationFlagFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(flags) != 1 || flags[0].Country != "GH" || flags[0].Indicator != policeIndicator || flags[0].Origin != "ghana.txt:81" ||
		flags[0].Title != "Police Service Act, Domestic Violence and Victim Support Unit Regulations" || flags[0].Year != 2001 ||
		!strings.Contains(flags[0].Note, "it also reads as «Police Service Act (no year); Domestic Violence and Victim Support Unit Regulations (2001)»") {
		t.Errorf("flags = %+v", flags)
	}
	for _, line := range []string{
		"ghana.txt:81: sec-police-unit: source line reads more than one way",
		`ghana.txt:81: needs a look: GH/sec-police-unit cites "Police Service Act, Domestic Violence and Victim Support Unit Regulations" (2001)`,
	} {
		if !strings.Contains(log.String(), line) {
			t.Errorf("log lacks %q:\n%s", line, log.String())
		}
	}

	// Importing it again changes nothing and keeps the flag.
	sum, err = importer.ImportFiles(ctx, s, []string{ghanaPage}, importer.Options{})
	if err != nil || sum.Changed() || sum.FilesUnchanged != 1 || sum.NeedsLook != 0 {
		t.Errorf("second import: %+v, %v", sum, err)
	}
	if again, _ := s.CitationFlags(ctx, vigie.CitationFlagFilter{}); len(again) != 1 {
		t.Errorf("flags after a second import = %+v", again)
	}
}

// TestAmbiguousLineFollowsOtherPages: when the framework already cites
// the Police Service Act on its own, the police line is read as two
// sources, and both are marked.
func TestAmbiguousLineFollowsOtherPages(t *testing.T) {
	s := openStore(t)
	other := vigie.Assessment{Country: "NG", Indicator: policeIndicator, Rating: vigie.RatingYes,
		Citations: []vigie.Citation{{Source: vigie.Source{Kind: vigie.SourceLaw, Title: "Police Service Act", Year: 1970}}}}
	if err := s.Update(ctx, func(tx vigie.Tx) error {
		_, _, err := tx.SaveAssessment(ctx, other, vigie.Change{Author: "test"})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	if _, err := importer.ImportFiles(ctx, s, []string{ghanaPage}, importer.Options{Log: &log}); err != nil {
		t.Fatal(err)
	}
	a, _ := s.Assessment(ctx, "GH", policeIndicator)
	if len(a.Citations) != 2 || a.Citations[0].Source.Title != "Police Service Act" || a.Citations[0].Source.Year != 0 ||
		a.Citations[1].Source.Title != "Domestic Violence and Victim Support Unit Regulations" || a.Citations[1].Source.Year != 2001 {
		t.Errorf("citations = %+v", a.Citations)
	}
	flags, _ := s.CitationFlags(ctx, vigie.CitationFlagFilter{Country: "GH"})
	if len(flags) != 2 || !strings.Contains(flags[0].Note, "other pages' sources agree with") {
		t.Errorf("flags = %+v\n%s", flags, log.String())
	}
}

// TestImportEveryLayout imports the French, Spanish and current-site pages;
// the saved HTML of the current site's page says what its text says.
func TestImportEveryLayout(t *testing.T) {
	s := openStore(t)
	var log bytes.Buffer
	if _, err := importer.ImportFiles(ctx, s, []string{senegalPage, costaRicaPage, kenyaPage}, importer.Options{Log: &log}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(log.String(), "kenya_current.txt: layout: current site") {
		t.Errorf("log does not name the current site's layout:\n%s", log.String())
	}
	sn, _ := s.Assessment(ctx, "SN", "age-of-consent")
	cr, _ := s.Assessment(ctx, "CR", "age-of-consent")
	ke, _ := s.Assessment(ctx, "KE", "extraterritoriality-extradition")
	if len(sn.Citations) != 1 || sn.Citations[0].Source.StatusAsOf != 2021 || sn.Citations[0].Articles != "Art. 320" {
		t.Errorf("Senegal = %+v", sn.Citations)
	}
	if len(cr.Citations) != 2 || cr.Citations[1].Source.StatusAsOf != 2020 || cr.Citations[1].Articles != "Art. 2" {
		t.Errorf("Costa Rica = %+v", cr.Citations)
	}
	if ke.Rating != vigie.RatingPartial || len(ke.Citations) != 2 || ke.Citations[1].Articles != "Art. 9" {
		t.Errorf("Kenya = %+v", ke)
	}
	for _, html := range []string{kenyaPageHTML, "../pageformat/testdata/kenya_markup.html"} {
		sum, err := importer.ImportFiles(ctx, s, []string{html}, importer.Options{})
		if err != nil || sum.Changed() {
			t.Errorf("%s differs from the text page: %+v, %v", html, sum, err)
		}
	}
}

// TestKeepGoing imports three pages, one broken: the two good ones are
// written, the broken one is named with its line, and nothing of it is
// written. Without the flag, nothing is written at all.
func TestKeepGoing(t *testing.T) {
	dir := t.TempDir()
	page, _ := os.ReadFile(maliPage)
	broken := strings.Replace(string(page), "2001 (status as of 2016), 2012", "2001 (status as of 2016)", 1)
	brokenPath := filepath.Join(dir, "broken.txt")
	os.WriteFile(brokenPath, []byte(broken), 0o644)
	files := []string{ghanaPage, brokenPath, kenyaPage}

	s := openStore(t)
	if _, err := importer.ImportFiles(ctx, s, files, importer.Options{}); err == nil || !strings.Contains(err.Error(), brokenPath+":34:") {
		t.Fatalf("all-or-nothing import: %v", err)
	}
	if v, _ := s.DataVersion(ctx); v != 1 {
		t.Errorf("all-or-nothing import wrote something (data version %d)", v)
	}

	sum, err := importer.ImportFiles(ctx, s, files, importer.Options{KeepGoing: true})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Files != 2 || len(sum.Refused) != 1 || !strings.Contains(sum.Refused[0].Error(), brokenPath+":34: source line") ||
		!strings.Contains(sum.Refused[0].Error(), "lists 3 titles but 2 years") {
		t.Errorf("summary = %+v", sum)
	}
	for _, c := range []string{"GH", "KE"} {
		if as, _ := s.Assessments(ctx, vigie.AssessmentFilter{Country: c}); len(as) == 0 {
			t.Errorf("%s was not imported", c)
		}
	}
	if orgs, _ := s.Organisations(ctx, vigie.OrganisationFilter{Country: "ML"}); len(orgs) != 0 {
		t.Errorf("the broken page wrote %d organisations", len(orgs))
	}
	if f, err := s.FeaturedStory(ctx); err != nil || f.Title != "Survivors Shape the New Helpline Rules" {
		t.Errorf("featured story = %+v, %v: the last page's wins", f, err)
	}
	// Again: the good pages are unchanged, the broken one still refused.
	sum, err = importer.ImportFiles(ctx, s, files, importer.Options{KeepGoing: true})
	if err != nil || sum.Changed() || sum.FilesUnchanged != 2 || len(sum.Refused) != 1 {
		t.Errorf("second run = %+v, %v", sum, err)
	}
}

// TestImportFolder reads a folder of pages, leaving alone what a browser
// saves beside a page, and a dry run over it writes nothing.
func TestImportFolder(t *testing.T) {
	dir := t.TempDir()
	for _, p := range []string{ghanaPage, kenyaPageHTML} {
		data, _ := os.ReadFile(p)
		os.WriteFile(filepath.Join(dir, filepath.Base(p)), data, 0o644)
	}
	os.Mkdir(filepath.Join(dir, "kenya_current_files"), 0o755)
	os.WriteFile(filepath.Join(dir, "kenya_current_files", "site.txt"), []byte("not a page"), 0o644)
	os.WriteFile(filepath.Join(dir, "logo.png"), []byte("\x89PNG"), 0o644)
	s := openStore(t)
	var log bytes.Buffer
	sum, err := importer.ImportFiles(ctx, s, []string{dir}, importer.Options{DryRun: true, KeepGoing: true, Log: &log})
	if err != nil || sum.Files != 2 || len(sum.Refused) != 0 || sum.NeedsLook != 1 {
		t.Fatalf("folder: %+v, %v\n%s", sum, err, log.String())
	}
	if !strings.Contains(log.String(), "needs a look: GH/sec-police-unit") {
		t.Errorf("the dry run does not mark the ambiguous citation:\n%s", log.String())
	}
	if v, _ := s.DataVersion(ctx); v != 1 {
		t.Errorf("dry run wrote (data version %d)", v)
	}
	if _, err := importer.ImportFiles(ctx, s, []string{t.TempDir()}, importer.Options{}); err == nil || !strings.Contains(err.Error(), "no pages in the folder") {
		t.Errorf("empty folder: %v", err)
	}
}

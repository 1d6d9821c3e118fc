package export_test

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/export"
	"github.com/xuri/excelize/v2"
)

// smallDataset is a real export of the fixture, decoded.
func smallDataset(t testing.TB) *export.Dataset {
	t.Helper()
	src := openStore(t)
	seedFull(t, src)
	ds, err := export.ReadJSON("vigie.json", exportBytes(t, src, export.FormatJSON, export.Options{}), nil)
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// jsonOf is ds as its JSON export: two datasets are the same when their
// JSON exports are.
func jsonOf(t testing.TB, ds *export.Dataset) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := export.WriteJSON(&buf, ds, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func write(t testing.TB, format string, ds *export.Dataset) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := export.Write(&buf, format, ds, nil); err != nil {
		t.Fatalf("write %s: %v", format, err)
	}
	return buf.Bytes()
}

// longText is n characters mixing one-, two-, three- and four-byte
// characters (the last outside the Basic Multilingual Plane, two UTF-16
// units), line breaks and spaces, after shift ASCII letters so that the
// pieces of a split fall on every kind of character.
func longText(n, shift int) string {
	pattern := []rune("aé中😀 \n_x0041_\r\n📜Ω ")
	var b strings.Builder
	for i := range shift {
		b.WriteByte(byte('a' + i))
	}
	for i := shift; i < n; i++ {
		b.WriteRune(pattern[i%len(pattern)])
	}
	return b.String()
}

// pieces cuts s into strings of n characters.
func pieces(s string, n int) []string {
	var out []string
	for r := []rune(s); len(r) > 0; r = r[min(n, len(r)):] {
		out = append(out, string(r[:min(n, len(r))]))
	}
	return out
}

// Finding 4: a text past a spreadsheet cell's 32,767 UTF-16 units made
// every XLSX export fail. It is now split across the "continued" sheet and
// comes back identical, in every format.
func TestLongTextsRoundTripInEveryFormat(t *testing.T) {
	ds := smallDataset(t)
	for shift := range 4 {
		text := longText(100_000, shift)
		ds.Revisions[0].Explanation = text
		ds.News[0].Body = text + "!"
		ds.Organisations[0].Regions = pieces(text, 1_000) // a list is one JSON text in a cell
		ds.Translations[0].Text = longText(32_767, shift)
		want := jsonOf(t, ds)
		for _, format := range []string{export.FormatXLSX, export.FormatCSV, export.FormatJSON} {
			data := write(t, format, ds)
			back, err := export.Read(fileName(format), format, data, nil)
			if err != nil {
				t.Fatalf("shift %d, %s: %v", shift, format, err)
			}
			if got := jsonOf(t, back); !bytes.Equal(got, want) {
				t.Fatalf("shift %d, %s: the dataset changed on the way (%d bytes of JSON, want %d)", shift, format, len(got), len(want))
			}
			if format == export.FormatXLSX {
				checkCellsFit(t, data)
			}
		}
	}
}

// checkCellsFit opens the workbook as Excel would and checks that no cell
// is past Excel's limit and that the continued sheet is there.
func checkCellsFit(t *testing.T, data []byte) {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	parts := 0
	for _, sheet := range f.GetSheetList() {
		rows, _ := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		for i, row := range rows {
			for j, c := range row {
				if n := len(utf16.Encode([]rune(c))); n > 32767 {
					t.Errorf("%s row %d column %d holds %d UTF-16 units", sheet, i+1, j+1, n)
				}
			}
			if sheet == export.ContinuedSheet && i > 0 {
				parts++
			}
		}
	}
	if parts < 7 {
		t.Errorf("%d continued parts, want at least 7 (3 for each 100,000-character text and one for the list)", parts)
	}
}

// The continued sheet is checked like any other: a piece that continues
// nothing, or out of order, is a problem naming its cell.
func TestContinuedSheetProblemsNameTheCell(t *testing.T) {
	ds := smallDataset(t)
	ds.Revisions[0].Explanation = longText(70_000, 0)
	ds.Revisions[0].ReviewComment = ""
	data := write(t, export.FormatXLSX, ds)
	for _, c := range []struct{ cell, value, want string }{
		{"D2", "3", "continued!D2: \"3\": the parts of a text are numbered 2, 3, … in order; 2 comes next here"},
		{"A2", "nowhere", "continued!A2: \"nowhere\" is not a table's sheet"},
		{"B2", "999", "continued!B2: \"999\" is not a row of revisions that holds data"},
		{"C2", "rating_typo", "continued!C2: \"rating_typo\" is not a column of revisions"},
		{"C2", "review_comment", "continued!A2: continues revisions!"},
	} {
		_, err := export.ReadXLSX("vigie.xlsx", editXLSXSheet(t, data, export.ContinuedSheet, map[string]string{c.cell: c.value}), nil)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s = %q: err = %v, want %q", c.cell, c.value, err, c.want)
		}
	}
}

func editXLSXSheet(t *testing.T, data []byte, sheet string, cells map[string]string) []byte {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for cell, v := range cells {
		if err := f.SetCellStr(sheet, cell, v); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// rezip copies the archive data, replacing (or adding) the named files
// with what fill writes (streamed, so a test can build gigabytes of it
// without holding them).
func rezip(t testing.TB, data []byte, fill map[string]func(w io.Writer)) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Deflate})
		if err != nil {
			t.Fatal(err)
		}
		if fn, ok := fill[f.Name]; ok {
			fn(w)
			continue
		}
		r, _ := f.Open()
		io.Copy(w, r)
		r.Close()
	}
	for _, name := range slices.Sorted(maps.Keys(fill)) {
		if _, err := zr.Open(name); err == nil {
			continue
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate})
		if err != nil {
			t.Fatal(err)
		}
		fill[name](w)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// repeat writes s n times to w.
func repeat(w io.Writer, s string, n int) {
	chunk := strings.Repeat(s, max(1, (64<<10)/len(s)))
	per := len(chunk) / len(s)
	for ; n > 0; n -= per {
		if n < per {
			chunk = chunk[:n*len(s)]
		}
		io.WriteString(w, chunk)
	}
}

// Finding 11: a small archive that expands to gigabytes was read whole.
// Every way of expanding is now refused with a message naming the file
// and the limit; none of these reads allocates more than the limits. A
// JSON document cannot expand, but its rows are bounded the same way, and
// deep nesting, which overflowed the stack and crashed the process, is
// refused.
func TestBombsAreRefused(t *testing.T) {
	ds := smallDataset(t)
	csvZip := write(t, export.FormatCSV, ds)
	xlsx := write(t, export.FormatXLSX, ds)
	header := func(s string) func(w io.Writer) {
		return func(w io.Writer) { io.WriteString(w, s) }
	}
	cases := []struct {
		name, format string
		data         []byte
		want         []string
	}{
		{"a CSV file of 300 MiB of empty records in a 300 KB archive", export.FormatCSV, rezip(t, csvZip, map[string]func(io.Writer){
			"news_countries.csv": func(w io.Writer) { header("news,country\r\n")(w); repeat(w, ",\r\n", 300<<20/3) },
		}), []string{"vigie.zip: news_countries.csv: expands more than 200 times its compressed size"}},
		{"10 million empty records, under the bytes limits", export.FormatCSV, rezip(t, csvZip, map[string]func(io.Writer){
			"news_countries.csv": func(w io.Writer) { header("news,country\r\n")(w); repeat(w, "\n", 10_000_000) },
		}), []string{"vigie.zip: news_countries.csv: expands more than 200 times its compressed size"}},
		{"one record of 20 million empty cells", export.FormatCSV, rezip(t, csvZip, map[string]func(io.Writer){
			"news_countries.csv": func(w io.Writer) { header("news,country\r\n")(w); repeat(w, ",", 20_000_000) },
		}), []string{"vigie.zip: news_countries.csv: expands more than 200 times its compressed size"}},
		{"many files", export.FormatCSV, func() []byte {
			var buf bytes.Buffer
			zw := zip.NewWriter(&buf)
			for i := range 1001 {
				zw.Create(fmt.Sprintf("f%d.csv", i))
			}
			zw.Close()
			return buf.Bytes()
		}(), []string{"vigie.zip: more than 1000 files in the archive"}},
		{"a shared strings table of 2 million texts", export.FormatXLSX, rezip(t, xlsx, map[string]func(io.Writer){
			"xl/sharedStrings.xml": func(w io.Writer) {
				header(`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`)(w)
				repeat(w, "<si><t/></si>", 2_000_000)
				header(`</sst>`)(w)
			},
		}), []string{"vigie.xlsx: xl/sharedStrings.xml: expands more than 200 times its compressed size"}},
		{"a sheet whose 200,000 cells all show one 30,000-character shared text", export.FormatXLSX, rezip(t, xlsx, map[string]func(io.Writer){
			"xl/sharedStrings.xml": header(`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>` +
				strings.Repeat("x", 30_000) + `</t></si></sst>`),
			"xl/worksheets/sheet12.xml": func(w io.Writer) {
				header(`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
					`<row r="1"><c r="A1" t="inlineStr"><is><t>publication</t></is></c><c r="B1" t="inlineStr"><is><t>country</t></is></c></row>`)(w)
				for r := 2; r <= 200_000; r++ {
					fmt.Fprintf(w, `<row r="%d"><c r="A%d" t="s"><v>0</v></c></row>`, r, r)
				}
				header(`</sheetData></worksheet>`)(w)
			},
		}), []string{"[vigie.xlsx]publication_countries!A", "times the workbook's size of text in its cells"}},
		{"cells at the last column on many rows", export.FormatXLSX, rezip(t, xlsx, map[string]func(io.Writer){
			"xl/worksheets/sheet12.xml": func(w io.Writer) {
				header(`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)(w)
				for r := 1; r <= 1000; r++ {
					fmt.Fprintf(w, `<row r="%d"><c r="XFD%d"><v>1</v></c></row>`, r, r)
				}
				header(`</sheetData></worksheet>`)(w)
			},
		}), []string{"[vigie.xlsx]publication_countries!A1: more than 1024 cells in one row"}},
		{"JSON values nested twenty million deep", export.FormatJSON,
			[]byte(`{"format": "vigie-dataset", "version": 1, "scope": "full", "news": [{"body": ` + strings.Repeat("[", 20_000_000) + `}]}`),
			[]string{"vigie.json:1:", "values nested more than 64 deep"}},
		{"a JSON table of two million empty rows", export.FormatJSON,
			[]byte(`{"format": "vigie-dataset", "version": 1, "scope": "full", ` + emptyTablesBut("news") + `"news": [` + strings.Repeat("{},", 2_000_000) + `{}]}`),
			[]string{"vigie.json#/news/1000000: more than 1000000 rows in the tables besides revisions and citations"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := export.Read(fileName(c.format), c.format, c.data, nil)
			for _, want := range c.want {
				if err == nil || !strings.Contains(err.Error(), want) {
					t.Fatalf("%d-byte file: err = %v, want %q", len(c.data), err, want)
				}
			}
		})
	}
}

// Finding 5: texts that spreadsheet programs run as formulas reached the
// CSV files as they were. They are now guarded with a leading quote in
// CSV only, the guard is undone on import, and the round trip is exact
// — texts that start with a quote included.
func TestCSVGuardsFormulas(t *testing.T) {
	ds := smallDataset(t)
	values := []string{"=HYPERLINK(\"http://evil.example\",\"x\")", "+33 1 23", "-2+3", "@SUM(A1)", "\tTab", "\r\nCR",
		"'quoted", "'=already guarded", "''", "'", "plain", "a=b", " =spaced"}
	wantCSV := []string{`"'=HYPERLINK(""http://evil.example"",""x"")"`, "'+33 1 23", "'-2+3", "'@SUM(A1)", "'\tTab", "\"'\r\nCR\"",
		"''quoted", "''=already guarded", "'''", "''", "plain", "a=b", `" =spaced"`}
	org := ds.Organisations[0].Slug
	ds.Contacts = ds.Contacts[:0]
	for i, v := range values {
		ds.Contacts = append(ds.Contacts, export.Contact{Organisation: org, Position: i + 1, Name: "N", Title: v})
	}
	ds.Organisations[0].Acronym = "=1+1"
	ds.Organisations[0].OfficeCity = "@cmd|' /C calc'!A0"
	ds.Sort()
	want := jsonOf(t, ds)

	data := write(t, export.FormatCSV, ds)
	contacts := string(readZip(t, data, "contacts.csv"))
	for i, w := range wantCSV {
		if !strings.Contains(contacts, fmt.Sprintf(",%d,N,%s,", i+1, w)) {
			t.Errorf("contacts.csv does not hold the title %q as %s:\n%s", values[i], w, contacts)
		}
	}
	orgs := string(readZip(t, data, "organisations.csv"))
	if !strings.Contains(orgs, ",'=1+1,") || !strings.Contains(orgs, ",'@cmd|' /C calc'!A0,") {
		t.Errorf("organisations.csv does not guard the acronym and city:\n%s", orgs)
	}
	if desc := string(readZip(t, data, export.DescriptorName)); !strings.Contains(desc, "OWASP") {
		t.Error("datapackage.json does not explain the guard")
	}
	back, err := export.Read("vigie.zip", export.FormatCSV, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := jsonOf(t, back); !bytes.Equal(got, want) {
		t.Error("the CSV round trip changed the texts")
	}
	if !bytes.Contains(want, []byte(`"acronym": "=1+1"`)) {
		t.Error("the JSON export does not hold the acronym exactly")
	}

	// XLSX holds the texts exactly, as text cells: no cell is a formula.
	xlsx := write(t, export.FormatXLSX, ds)
	zr, _ := zip.NewReader(bytes.NewReader(xlsx), int64(len(xlsx)))
	for _, f := range zr.File {
		if strings.HasPrefix(f.Name, "xl/worksheets/") {
			if body := readZip(t, xlsx, f.Name); bytes.Contains(body, []byte("<f>")) || bytes.Contains(body, []byte("<f ")) {
				t.Errorf("%s holds a formula", f.Name)
			}
		}
	}
	if back, err := export.Read("vigie.xlsx", export.FormatXLSX, xlsx, nil); err != nil || !bytes.Equal(jsonOf(t, back), want) {
		t.Errorf("the XLSX round trip changed the texts (%v)", err)
	}
}

func readZip(t testing.TB, data []byte, name string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	f, err := zr.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	body, _ := io.ReadAll(f)
	return body
}

// Finding 4, editions: an edition holding a text longer than a cell was
// published, then its XLSX download failed for ever. Publishing now writes
// and reads back every download first, and the downloads work.
func TestEditionWithALongTextServesEveryFormat(t *testing.T) {
	s := openStore(t)
	seedFull(t, s)
	update(t, s, func(tx vigie.Tx) error {
		n, err := tx.NewsItem(ctx, "older-story")
		if err != nil {
			return err
		}
		n.Body = longText(40_000, 1)
		_, err = vigie.MergeNewsItem(ctx, tx, &n)
		return err
	})
	e, err := export.PublishEdition(ctx, s, "2026", "test", day0.AddDate(1, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	ds, err := export.ReadEdition(e)
	if err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{export.FormatCSV, export.FormatXLSX} {
		back, err := export.Read("2026."+format, format, write(t, format, ds), nil)
		if err != nil || !bytes.Equal(jsonOf(t, back), e.Snapshot) {
			t.Errorf("the edition's %s download does not hold the snapshot (%v)", format, err)
		}
	}
}

// An edition whose downloads would not hold its data is refused before it
// is stored, with a message naming the format and the value.
func TestCheckEditionNamesWhatCannotBeServed(t *testing.T) {
	ds := smallDataset(t)
	ds.Scope = export.ScopePublished
	ds.Edition = &export.EditionMeta{Name: "2026", PublishedAt: day0, DataVersion: 7}
	good := jsonOf(t, ds)
	if err := export.CheckEdition(vigie.Edition{Name: "2026", Snapshot: good}); err != nil {
		t.Fatalf("a sound edition is refused: %v", err)
	}
	// XML, hence XLSX, cannot hold most control characters.
	ds.News[0].Body = "before\x01after"
	err := export.CheckEdition(vigie.Edition{Name: "2026", Snapshot: jsonOf(t, ds)})
	// The domain refuses such a text before it is stored; an edition
	// made from one anyway names it.
	if err == nil || !strings.Contains(err.Error(), `the edition "2026" cannot be published`) || !strings.Contains(err.Error(), "body") {
		t.Errorf("err = %v", err)
	}
}

// TestWriteFuzzSeed writes the seed of the fuzz targets (export/fuzz) again:
// the fixture, kept to three countries.
func TestWriteFuzzSeed(t *testing.T) {
	if os.Getenv("VIGIE_WRITE_FUZZ_SEED") == "" {
		t.Skip("set VIGIE_WRITE_FUZZ_SEED=1 to write fuzz/testdata/seed.json again")
	}
	ds := smallDataset(t)
	keep := func(c string) bool { return c != "ML" && c != "SN" && c != "GM" }
	ds.Countries = slices.DeleteFunc(ds.Countries, func(r export.Country) bool { return keep(r.ISO2) })
	ds.Assessments = slices.DeleteFunc(ds.Assessments, func(r export.Assessment) bool { return keep(r.Country) })
	ds.Revisions = slices.DeleteFunc(ds.Revisions, func(r export.Revision) bool { return keep(r.Country) })
	ds.Citations = slices.DeleteFunc(ds.Citations, func(r export.Citation) bool { return keep(r.Country) })
	cited := map[int]bool{}
	for _, c := range ds.Citations {
		cited[c.Source] = true
	}
	ds.Sources = slices.DeleteFunc(ds.Sources, func(r export.Source) bool { return !cited[r.ID] })
	ds.Translations = slices.DeleteFunc(ds.Translations, func(r export.Translation) bool {
		return len(r.Key) > 3 && r.Key[2] == '/' && keep(r.Key[:2])
	})
	data := jsonOf(t, ds)
	if _, err := export.ReadJSON("seed.json", data, nil); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("fuzz/testdata/seed.json", data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// movingStore is a store whose data changes between any two looks.
type movingStore struct {
	vigie.Store
	version int64
}

func (s *movingStore) DataVersion(context.Context) (int64, error) {
	s.version++
	return s.version, nil
}

// An edition is frozen outside the write transaction (its check takes
// seconds on a large dataset, and writers must not wait); if the data
// keeps changing meanwhile, publishing gives up with a conflict and
// stores nothing.
func TestEditionPublishGivesUpWhileTheDataMoves(t *testing.T) {
	s := openStore(t)
	seedFull(t, s)
	_, err := export.PublishEdition(ctx, &movingStore{Store: s}, "2026", "test", day0)
	if vigie.ErrorCode(err) != vigie.ECONFLICT || !strings.Contains(err.Error(), "kept changing") {
		t.Errorf("err = %v, want a conflict", err)
	}
	if list, _ := s.Editions(ctx); len(list) != 0 {
		t.Errorf("editions = %+v, want none", list)
	}
}

// emptyTablesBut is the JSON members of every table but one, empty.
func emptyTablesBut(name string) string {
	var b strings.Builder
	for _, t := range export.Tables() {
		if t.Name != name {
			b.WriteString(`"` + t.Name + `": [], `)
		}
	}
	return b.String()
}

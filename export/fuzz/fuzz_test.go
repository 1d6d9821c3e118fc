package fuzz_test

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/vigie-network/vigie/export"
)

// The readers of the three formats are what an import runs on files from
// anywhere. The fuzz targets below feed them spoiled versions of a small
// real export: nothing may panic, and whatever reads must write back and
// read again as the same data. Each input is bounded by export's limits,
// so every run is quick. Run one with
//
//	go test -run '^$' -fuzz '^FuzzReadJSON$' -fuzztime 30s ./export/fuzz/
//
// They live apart from export's other tests so that their test binary
// leaves out SQLite: coverage-guided fuzzing scans every instrumented
// package's counters on each run, and SQLite's would make it crawl.

// fuzzSeed is a small real export: export's test fixture, kept to three
// countries. export's TestWriteFuzzSeed writes it again.
func fuzzSeed(t testing.TB) *export.Dataset {
	data, err := os.ReadFile("testdata/seed.json")
	if err != nil {
		t.Fatal(err)
	}
	ds, err := export.ReadJSON("seed.json", data, nil)
	if err != nil {
		t.Fatalf("the fuzz seed does not read; write it again with VIGIE_WRITE_FUZZ_SEED=1 go test -run TestWriteFuzzSeed ./export/: %v", err)
	}
	return ds
}

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

func fileName(format string) string {
	if format == export.FormatCSV {
		return "vigie.zip"
	}
	return "vigie." + format
}

// sameAfterRoundTrip checks that a dataset read from a file writes in
// format and reads back as the same data.
func sameAfterRoundTrip(t *testing.T, ds *export.Dataset, format string) {
	want := jsonOf(t, ds)
	var buf bytes.Buffer
	if err := export.Write(&buf, format, ds, nil); err != nil {
		t.Fatalf("a dataset that was read does not write as %s: %v", format, err)
	}
	back, err := export.Read(fileName(format), format, buf.Bytes(), nil)
	if err != nil {
		t.Fatalf("a dataset written as %s does not read back: %v", format, err)
	}
	if got := jsonOf(t, back); !bytes.Equal(got, want) {
		t.Fatalf("a dataset written as %s reads back different", format)
	}
}

func FuzzReadJSON(f *testing.F) {
	seed := jsonOf(f, fuzzSeed(f))
	f.Add(seed)
	f.Add(seed[:len(seed)/2])
	f.Add(bytes.Replace(seed, []byte(`"revisions": [`), []byte(`"revisions": [{"number": 1e999}, `), 1))
	f.Fuzz(func(t *testing.T, data []byte) {
		ds, err := export.ReadJSON("vigie.json", data, nil)
		if err != nil {
			return
		}
		// Writing normalises (invalid UTF-8 becomes U+FFFD); from then on
		// the JSON round trip is exact, and so is the CSV one.
		again, err := export.ReadJSON("vigie.json", jsonOf(t, ds), nil)
		if err != nil {
			t.Fatalf("the JSON written from a read dataset does not read: %v", err)
		}
		sameAfterRoundTrip(t, again, export.FormatJSON)
		sameAfterRoundTrip(t, again, export.FormatCSV)
	})
}

// FuzzReadCSV spoils one CSV file of a data package and reads the package
// as a directory; the whole archive is fuzzed by FuzzReadCSVZip.
func FuzzReadCSV(f *testing.F) {
	data := write(f, export.FormatCSV, fuzzSeed(f))
	files := fstest.MapFS{}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		f.Fatal(err)
	}
	for _, zf := range zr.File {
		r, _ := zf.Open()
		body, _ := io.ReadAll(r)
		r.Close()
		files[zf.Name] = &fstest.MapFile{Data: body}
	}
	for _, name := range []string{"revisions.csv", "contacts.csv", "organisations.csv", "translations.csv"} {
		f.Add(name, files[name].Data)
	}
	f.Add("citations.csv", []byte("country,indicator,revision,position,source,articles\r\n\"ML\",x,1,1,1,\"a\"\"b\r\n"))
	f.Fuzz(func(t *testing.T, name string, body []byte) {
		if files[name] == nil || name == export.DescriptorName {
			return
		}
		fsys := fstest.MapFS{}
		for k, v := range files {
			fsys[k] = v
		}
		fsys[name] = &fstest.MapFile{Data: body}
		ds, err := export.ReadDataPackage("vigie", fsys, nil)
		if err != nil {
			return
		}
		sameAfterRoundTrip(t, ds, export.FormatCSV)
	})
}

func FuzzReadCSVZip(f *testing.F) {
	f.Add(write(f, export.FormatCSV, fuzzSeed(f)))
	f.Fuzz(func(t *testing.T, data []byte) {
		export.ReadCSVZip("vigie.zip", data, nil)
	})
}

// FuzzReadXLSX spoils one part of a workbook (a sheet, the shared texts,
// the workbook's list of sheets) and reads it. XLSX cannot hold every
// character (XML 1.0 has no place for most control characters), so a
// workbook that reads is only checked to write back without error.
func FuzzReadXLSX(f *testing.F) {
	ds := fuzzSeed(f)
	ds.News[0].Body = strings.Repeat("Long text, 😀. ", 3000) // so that the continued sheet is there
	data := write(f, export.FormatXLSX, ds)
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		f.Fatal(err)
	}
	parts := map[string][]byte{}
	for _, zf := range zr.File {
		r, _ := zf.Open()
		parts[zf.Name], _ = io.ReadAll(r)
		r.Close()
	}
	for _, name := range []string{"xl/worksheets/sheet1.xml", "xl/worksheets/sheet10.xml", "xl/worksheets/sheet16.xml", "xl/workbook.xml", "xl/sharedStrings.xml"} {
		f.Add(name, parts[name])
	}
	f.Fuzz(func(t *testing.T, name string, part []byte) {
		if parts[name] == nil && name != "xl/sharedStrings.xml" {
			return
		}
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for _, zf := range zr.File {
			body := parts[zf.Name]
			if zf.Name == name {
				body = part
			}
			w, _ := zw.CreateHeader(&zip.FileHeader{Name: zf.Name, Method: zip.Store})
			w.Write(body)
		}
		if parts[name] == nil {
			w, _ := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store})
			w.Write(part)
		}
		zw.Close()
		ds, err := export.ReadXLSX("vigie.xlsx", buf.Bytes(), nil)
		if err != nil {
			return
		}
		if err := export.WriteXLSX(io.Discard, ds, nil); err != nil {
			t.Fatalf("a dataset read from a workbook does not write back: %v", err)
		}
	})
}

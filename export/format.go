package export

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// File formats.
const (
	FormatCSV  = "csv" // a data package, as a directory or a ZIP archive
	FormatJSON = "json"
	FormatXLSX = "xlsx"
)

// Sniff tells which dataset format a file is in, from its name and its
// first bytes: FormatJSON, FormatXLSX, FormatCSV (a ZIP archive holding a
// datapackage.json), or "" when it is none of Vigie's export formats.
// Directories are data packages when they hold a datapackage.json.
func Sniff(name string, data []byte) string {
	trimmed := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\ufeff")), " \t\r\n")
	switch ext := strings.ToLower(path.Ext(name)); {
	case ext == ".json" || bytes.HasPrefix(trimmed, []byte("{")):
		return FormatJSON
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			if ext == ".xlsx" {
				return FormatXLSX // let the reader say what is wrong
			}
			return ""
		}
		for _, f := range zr.File {
			switch f.Name {
			case "xl/workbook.xml":
				return FormatXLSX
			case DescriptorName:
				return FormatCSV
			}
		}
	case ext == ".xlsx":
		return FormatXLSX
	}
	return ""
}

// Read decodes a file in a format Sniff named and checks it (see
// Dataset.Check): it returns the dataset, or every problem found.
func Read(name, format string, data []byte, p *Progress) (*Dataset, error) {
	switch format {
	case FormatJSON, FormatXLSX, FormatCSV:
		return readAll(Input{Name: name, Data: data}, format, p)
	}
	return nil, fmt.Errorf("%s: unknown format %q", name, format)
}

// Write encodes ds in format to w; CSV is written as a ZIP archive.
func Write(w io.Writer, format string, ds Writable, p *Progress) error {
	switch format {
	case FormatJSON:
		return WriteJSON(w, ds, p)
	case FormatXLSX:
		return WriteXLSX(w, ds, p)
	case FormatCSV:
		return WriteCSVZip(w, ds, p)
	}
	return fmt.Errorf("unknown format %q: use csv, json or xlsx", format)
}

// SniffFile is Sniff for a file on disk, reading only its first bytes and,
// for a ZIP archive, its list of files.
func SniffFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	head := make([]byte, 512)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return "", err
	}
	head = head[:n]
	if !bytes.HasPrefix(head, []byte("PK\x03\x04")) {
		return Sniff(path, head), nil
	}
	info, err := f.Stat()
	if err != nil {
		return "", err
	}
	zr, err := zip.NewReader(f, info.Size())
	if err != nil {
		if strings.ToLower(filepath.Ext(path)) == ".xlsx" {
			return FormatXLSX, nil
		}
		return "", nil
	}
	for _, e := range zr.File {
		switch e.Name {
		case "xl/workbook.xml":
			return FormatXLSX, nil
		case DescriptorName:
			return FormatCSV, nil
		}
	}
	return "", nil
}

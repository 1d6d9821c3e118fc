package web

import (
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/export"
	"github.com/vigie-network/vigie/web/i18n"
)

// The open data pages (issue #4): /data lists the editions — citable,
// frozen snapshots of the published data — with their downloads, what
// changed since the edition before, and how to cite them, and offers the
// current published data. An edition's JSON is served byte for byte as it
// was frozen, so that its SHA-256 checks; its CSV and XLSX are made from
// that snapshot, the same way every time.
func init() {
	pageModels["data"] = dataPage{}
}

// dataRoutes are the open data page and its downloads.
func (s *Server) dataRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /data", s.handleData)
	mux.HandleFunc("GET /data/{$}", redirectTo("/data"))
	mux.HandleFunc("GET /data/{file}", s.handleCurrentData)
	mux.HandleFunc("GET /data/editions/{file}", s.handleEdition)
}

type dataPage struct {
	Current  []download
	Editions []editionView
	// Single is set on an edition's own page, /data/editions/{name}.
	Single bool
	LD     template.HTML // schema.org Dataset in JSON-LD (jsonld.go)
}

type download struct {
	Href, Label, Note string
}

type editionView struct {
	Name, SHA256, Size, Cite, URL string
	Published                     dateView
	DataVersion                   int64
	Downloads                     []download
	Previous                      string // the edition compared with; "" for the first
	Changes                       changesView
}

type changesView struct {
	Changed, Added, Removed []changeView
	Total                   int // assessments in the edition
}

type changeView struct {
	CountrySlug, Country, IndicatorKey, Indicator string
	Before, After                                 ratingView
}

// formats of the downloads, as file suffixes.
var dataFormats = []struct{ suffix, format, label, mime string }{
	{".json", export.FormatJSON, "JSON", "application/json"},
	{".csv.zip", export.FormatCSV, "CSV (data package)", "application/zip"},
	{".xlsx", export.FormatXLSX, "Excel (XLSX)", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
}

func (s *Server) handleData(w http.ResponseWriter, r *http.Request) {
	list, err := s.store.Editions(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	page := dataPage{}
	for _, f := range dataFormats {
		page.Current = append(page.Current, download{Href: "/data/vigie" + f.suffix, Label: formatLabel(r, f.format, f.label)})
	}
	if page.Editions, err = s.editionViews(r, list, list); err != nil {
		s.serverError(w, r, err)
		return
	}
	if page.LD, err = s.datasetLD(r, page); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "data", layout{Title: tr(r, "opendata.title"), Page: page})
}

// editionViews describes shown, each compared with the edition before it
// in all (newest first).
func (s *Server) editionViews(r *http.Request, shown, all []vigie.Edition) ([]editionView, error) {
	scale, err := s.ratingScale(r)
	if err != nil {
		return nil, err
	}
	inds, err := s.store.Indicators(r.Context())
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	for _, ind := range inds {
		names[ind.Key] = ind.Name
	}
	lang := langOf(r.Context())
	var out []editionView
	for _, e := range shown {
		v := editionView{Name: e.Name, SHA256: e.SHA256, Size: byteSizeIn(lang, e.Size), Published: newDate(e.PublishedAt),
			DataVersion: e.DataVersion, URL: s.baseURL + "/data/editions/" + e.Name}
		for _, f := range dataFormats {
			v.Downloads = append(v.Downloads, download{Href: "/data/editions/" + e.Name + f.suffix, Label: formatLabel(r, f.format, f.label)})
		}
		v.Downloads[0].Note = tr(r, "opendata.as_frozen")
		v.Cite = tr(r, "opendata.cite", "Name", e.Name, "Date", i18n.Default().Date(lang, e.PublishedAt), "URL", v.URL, "SHA", e.SHA256)
		var prev *vigie.Edition
		for i := range all {
			if all[i].Name == e.Name && i+1 < len(all) {
				prev = &all[i+1]
			}
		}
		log, total, err := s.changelog(r, prev, e)
		if err != nil {
			return nil, err
		}
		if prev != nil {
			v.Previous = prev.Name
		}
		v.Changes.Total = total
		view := func(list []export.Change) []changeView {
			var cv []changeView
			for _, c := range list {
				country, _ := vigie.CountryByISO2(c.Country)
				cv = append(cv, changeView{CountrySlug: country.Slug, Country: country.Name(lang), IndicatorKey: c.Indicator,
					Indicator: names[c.Indicator], Before: scale.view(c.Before), After: scale.view(c.After)})
			}
			return cv
		}
		v.Changes.Changed, v.Changes.Added, v.Changes.Removed = view(log.Changed), view(log.Added), view(log.Removed)
		out = append(out, v)
	}
	return out, nil
}

func (s *Server) ratingScale(r *http.Request) (scale, error) {
	ratings, err := s.store.Ratings(r.Context())
	return newScale(ratings), err
}

// changelogs remembers what changed between two editions, by their
// digests: editions never change, and reading two snapshots on every
// view of /data would cost more than the page.
var changelogs = struct {
	sync.Mutex
	m map[string]cachedChangelog
}{m: map[string]cachedChangelog{}}

type cachedChangelog struct {
	log   export.Changelog
	total int
}

func (s *Server) changelog(r *http.Request, prev *vigie.Edition, e vigie.Edition) (export.Changelog, int, error) {
	key := e.SHA256
	if prev != nil {
		key = prev.SHA256 + ":" + key
	}
	changelogs.Lock()
	c, ok := changelogs.m[key]
	changelogs.Unlock()
	if ok {
		return c.log, c.total, nil
	}
	cur, err := s.editionData(r, e.Name)
	if err != nil {
		return export.Changelog{}, 0, err
	}
	var before *export.Dataset
	if prev != nil {
		if before, err = s.editionData(r, prev.Name); err != nil {
			return export.Changelog{}, 0, err
		}
	}
	c = cachedChangelog{export.Compare(before, cur), len(cur.Assessments)}
	changelogs.Lock()
	if len(changelogs.m) > 64 {
		clear(changelogs.m)
	}
	changelogs.m[key] = c
	changelogs.Unlock()
	return c.log, c.total, nil
}

func (s *Server) editionData(r *http.Request, name string) (*export.Dataset, error) {
	e, err := s.store.Edition(r.Context(), name)
	if err != nil {
		return nil, err
	}
	return export.ReadEdition(e)
}

// handleEdition serves an edition's page (/data/editions/2026) or one of
// its downloads (/data/editions/2026.json, .csv.zip, .xlsx).
func (s *Server) handleEdition(w http.ResponseWriter, r *http.Request) {
	file := r.PathValue("file")
	name, f := splitDownload(file)
	list, err := s.store.Editions(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	i := -1
	for j, e := range list {
		if e.Name == name {
			i = j
		}
	}
	if i < 0 {
		s.notFoundMessage(w, r, tr(r, "opendata.no_such_edition"))
		return
	}
	if f == nil {
		views, err := s.editionViews(r, list[i:i+1], list)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		page := dataPage{Editions: views, Single: true}
		if page.LD, err = s.datasetLD(r, page); err != nil {
			s.serverError(w, r, err)
			return
		}
		s.render(w, r, http.StatusOK, "data", layout{Title: tr(r, "opendata.edition", "Name", name), Page: page})
		return
	}
	// An edition never changes: each of its downloads is written once,
	// into a file, and served from there.
	e := list[i]
	dl, err := s.editionDownload(e.SHA256, f.format, func(w io.Writer) error {
		frozen, err := s.store.Edition(r.Context(), name)
		if err != nil {
			return err
		}
		if f.format == export.FormatJSON {
			_, err := w.Write(frozen.Snapshot)
			return err
		}
		ds, err := export.ReadEdition(frozen)
		if err != nil {
			return err
		}
		return export.Write(w, f.format, ds, nil)
	})
	if err != nil {
		s.downloadFailed(w, r, err)
		return
	}
	defer dl.release()
	h := w.Header()
	h.Set("ETag", `"`+e.SHA256[:32]+strings.ReplaceAll(f.suffix, ".", "-")+`"`)
	h.Set("Cache-Control", "public, max-age=31536000, immutable") // an edition never changes
	serveDownload(w, r, "vigie-"+e.Name+f.suffix, f.mime, e.PublishedAt, dl.body())
}

// handleCurrentData serves the published data as it is now:
// /data/vigie.json, .csv.zip, .xlsx, from the files dataFiles keeps.
func (s *Server) handleCurrentData(w http.ResponseWriter, r *http.Request) {
	name, f := splitDownload(r.PathValue("file"))
	if f == nil || name != "vigie" {
		s.notFound(w, r)
		return
	}
	file, err := s.download(r.Context(), f.format)
	if err != nil {
		s.downloadFailed(w, r, err)
		return
	}
	defer file.release()
	h := w.Header()
	// A digest of the file, not the data version: a draft saved changes
	// the version, and readers must not learn of it from the download.
	h.Set("ETag", `"`+file.sha256[:32]+strings.ReplaceAll(f.suffix, ".", "-")+`"`)
	h.Set("Cache-Control", "public, max-age=300")
	serveDownload(w, r, "vigie-"+time.Now().UTC().Format(time.DateOnly)+f.suffix, f.mime, time.Time{}, file.body())
}

// splitDownload reads "NAME.json" as NAME and the JSON format; a name
// without a known suffix has no format.
func splitDownload(file string) (string, *struct{ suffix, format, label, mime string }) {
	for i := range dataFormats {
		if name, ok := strings.CutSuffix(file, dataFormats[i].suffix); ok {
			return name, &dataFormats[i]
		}
	}
	return file, nil
}

func serveDownload(w http.ResponseWriter, r *http.Request, filename, mime string, modified time.Time, body io.ReadSeeker) {
	h := w.Header()
	h.Set("Content-Type", mime)
	h.Set("Content-Disposition", `attachment; filename="`+filename+`"`)
	h.Set("Access-Control-Allow-Origin", "*") // open data: scripts on any site may fetch it
	http.ServeContent(w, r, filename, modified, body)
}

// formatLabel names a download format in the request's language; label
// is the English name, for formats the catalogue does not name.
func formatLabel(r *http.Request, format, label string) string {
	switch format {
	case export.FormatCSV:
		return tr(r, "opendata.format_csv")
	case export.FormatXLSX:
		return tr(r, "opendata.format_xlsx")
	}
	return label
}

// byteSizeIn writes a file size as readers of lang write it: "1.5 MB",
// "1,5 Mo".
func byteSizeIn(lang string, n int64) string {
	cat := i18n.Default()
	switch {
	case n >= 1<<20:
		size := fmt.Sprintf("%.1f", float64(n)/(1<<20))
		if lang != "en" {
			size = strings.Replace(size, ".", ",", 1)
		}
		return cat.T(lang, "opendata.size_mb", "Size", size)
	case n >= 1<<10:
		return cat.T(lang, "opendata.size_kb", "Size", cat.Number(lang, int(n>>10)))
	}
	return cat.T(lang, "opendata.size_bytes", "N", int(n))
}

// isDownloadPath reports whether p is a download of the data, current
// (/data/vigie.json…) or of an edition (/data/editions/2026.xlsx…), in
// any language.
func isDownloadPath(p string) bool {
	_, rest := splitLang(p)
	dir, file := path.Split(rest)
	if dir != "/data/" && dir != "/data/editions/" {
		return false
	}
	_, f := splitDownload(file)
	return f != nil
}

// downloadFailed answers a download that could not be written: a table
// past a sheet's rows is the reader's to know (the data has outgrown a
// workbook), anything else is ours.
func (s *Server) downloadFailed(w http.ResponseWriter, r *http.Request, err error) {
	var tooLong *export.SheetTooLongError
	if errors.As(err, &tooLong) {
		s.notFoundMessage(w, r, tr(r, "opendata.xlsx_too_long"))
		return
	}
	s.serverError(w, r, err)
}

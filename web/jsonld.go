package web

import (
	"encoding/json"
	"html/template"
	"net/http"
	"strings"
	"time"

	vigie "github.com/vigie-network/vigie"
)

// Structured data for search engines (issue #15): /data and each edition
// describe themselves as a schema.org Dataset in JSON-LD, so that dataset
// search engines index them, in a <script type="application/ld+json">:
// data, not a script, which the site's policy would not run anyway.

// dataLicense is the licence the open data is published under.
const dataLicense = "https://creativecommons.org/licenses/by/4.0/"

// datasetLD describes the published data, or the edition of an edition's
// page, as the element that carries it.
func (s *Server) datasetLD(r *http.Request, page dataPage) (template.HTML, error) {
	// Absolute only with the configured address: the page cache keeps a
	// page for every reader, so the request's Host must not get into it.
	base := s.baseURL
	ld := map[string]any{
		"@context":            "https://schema.org",
		"@type":               "Dataset",
		"name":                "Vigie: " + tr(r, "home.title"),
		"description":         tr(r, "opendata.lede"),
		"license":             dataLicense,
		"isAccessibleForFree": true,
		"inLanguage":          []string{"en", "fr", "es"},
		"creator":             map[string]any{"@type": "Organization", "name": "Vigie", "url": base + "/"},
		"url":                 base + langPath(langOf(r.Context()), "/data"),
	}
	until := time.Now().UTC()
	downloads := page.Current
	if page.Single && len(page.Editions) == 1 {
		e := page.Editions[0]
		ld["name"] = "Vigie: " + tr(r, "opendata.edition", "Name", e.Name)
		ld["url"] = base + "/data/editions/" + e.Name
		ld["version"] = e.Name
		ld["datePublished"] = e.Published.ISO
		ld["citation"] = e.Cite
		ld["identifier"] = "sha256:" + e.SHA256
		until, _ = time.Parse(time.DateOnly, e.Published.ISO)
		downloads = e.Downloads
	} else if len(page.Editions) > 0 {
		ld["citation"] = page.Editions[0].Cite // the latest edition
	}
	// From the first rating ever published to the data's date.
	revs, err := s.store.PublishedRevisions(r.Context(), vigie.HistoryFilter{Until: until.Add(24*time.Hour - time.Nanosecond), RatingChanges: true, Limit: 1})
	if err != nil {
		return "", err
	}
	if len(revs) > 0 {
		ld["temporalCoverage"] = revs[0].PublishedAt.UTC().Format(time.DateOnly) + "/" + until.Format(time.DateOnly)
	}
	var dist []map[string]any
	for _, d := range downloads {
		mime := ""
		for _, f := range dataFormats {
			if strings.HasSuffix(d.Href, f.suffix) {
				mime = f.mime
			}
		}
		dist = append(dist, map[string]any{"@type": "DataDownload", "name": d.Label, "encodingFormat": mime, "contentUrl": base + d.Href})
	}
	ld["distribution"] = dist
	// json.Marshal writes <, > and & as \u escapes: no text of the data
	// can close the element.
	b, err := json.Marshal(ld)
	if err != nil {
		return "", err
	}
	return template.HTML(`<script type="application/ld+json">` + string(b) + `</script>`), nil
}

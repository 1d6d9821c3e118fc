package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	vigie "github.com/vigie-network/vigie"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// The publication form: an entry of the reports library.

type publicationForm struct {
	editorChrome
	ID         int64
	Action     string
	Title      string
	Type       string
	Types      []typeOption
	Year       string
	Publishers string
	Countries  string
	Link       string
	Language   string
	File       *fileView // the uploaded PDF, if any (uploads.go)
	Uploads    bool      // the server accepts uploads
	Errors     fieldErrors
	Saved      bool
}

type typeOption struct {
	Key, Label string
	Selected   bool
}

func (f *publicationForm) setTypes(lang string) {
	keys := make([]string, 0, len(vigie.PublicationTypeNames))
	for k := range vigie.PublicationTypeNames {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		return strings.Compare(vigie.PublicationTypeNames[a], vigie.PublicationTypeNames[b])
	})
	f.Types = nil
	for _, k := range keys {
		f.Types = append(f.Types, typeOption{Key: k, Label: publicationType(lang, k), Selected: k == f.Type})
	}
	if lang != "en" {
		c := collate.New(language.Make(lang), collate.Loose)
		slices.SortStableFunc(f.Types, func(a, b typeOption) int { return c.CompareString(a.Label, b.Label) })
	}
}

func (s *Server) findPublication(w http.ResponseWriter, r *http.Request) (vigie.Publication, bool) {
	if id, ok := pathID(r, "id"); ok {
		pubs, err := s.store.Publications(r.Context(), vigie.PublicationFilter{})
		if err != nil {
			s.serverError(w, r, err)
			return vigie.Publication{}, false
		}
		for _, p := range pubs {
			if p.ID == id {
				return p, true
			}
		}
	}
	s.notFoundMessage(w, r, tr(r, "pubform.not_found"))
	return vigie.Publication{}, false
}

func (s *Server) handlePublications(w http.ResponseWriter, r *http.Request) {
	u, ok := s.allowed(w, r, vigie.ActEditPublication, "")
	if !ok {
		return
	}
	pubs, err := s.store.Publications(r.Context(), vigie.PublicationFilter{})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	page := listPage{editorChrome: chrome(u), Heading: tr(r, "pubform.list_title"), NewLink: "/edit/publications/new",
		NewLabel: tr(r, "pubform.add"), Empty: tr(r, "pubform.list_empty")}
	lang := langOf(r.Context())
	for _, p := range pubs {
		meta := publicationType(lang, p.Type)
		if p.Year != 0 {
			meta += " · " + strconv.Itoa(p.Year)
		}
		page.Items = append(page.Items, listItem{Link: "/edit/publications/" + strconv.FormatInt(p.ID, 10), Title: p.Title, Meta: meta})
	}
	s.render(w, r, http.StatusOK, "edit_list", layout{Title: page.Heading, Page: page})
}

func (s *Server) handlePublicationForm(w http.ResponseWriter, r *http.Request) {
	u, ok := s.allowed(w, r, vigie.ActEditPublication, "")
	if !ok {
		return
	}
	f := publicationForm{editorChrome: chrome(u), Action: "/edit/publications/new", Type: vigie.PubCountryReport,
		Language: "en", Errors: fieldErrors{}}
	if country := r.URL.Query().Get("country"); country != "" {
		f.Countries = strings.ToUpper(country)
	}
	if r.PathValue("id") != "" {
		p, ok := s.findPublication(w, r)
		if !ok {
			return
		}
		f.ID, f.Action = p.ID, "/edit/publications/"+strconv.FormatInt(p.ID, 10)
		f.Title, f.Type, f.Year, f.Link, f.Language = p.Title, p.Type, yearText(p.Year), p.Link, p.Language
		f.Publishers, f.Countries = strings.Join(p.Publishers, ", "), strings.Join(p.Countries, ", ")
		f.Saved = r.URL.Query().Has("saved")
		f.File = newFileView(p.File)
	}
	f.Uploads = s.files != nil
	f.setTypes(langOf(r.Context()))
	s.render(w, r, http.StatusOK, "edit_publication", layout{Title: nonBlank(f.Title, tr(r, "pubform.new")), Page: f})
}

func (s *Server) handlePublicationSave(w http.ResponseWriter, r *http.Request) {
	u, ok := s.allowed(w, r, vigie.ActEditPublication, "")
	if !ok {
		return
	}
	var p vigie.Publication
	if r.PathValue("id") != "" {
		if p, ok = s.findPublication(w, r); !ok {
			return
		}
	}
	storedSlug := p.Slug // "" for a new one
	// The PDF first: reading it bounds a multipart body before any field.
	upload, uploadErr := s.saveUpload(w, r, "file")
	if r.MultipartForm == nil && !parseForm(w, r) {
		return
	}
	form := r.PostForm
	f := publicationForm{editorChrome: chrome(u), ID: p.ID, Action: r.URL.Path, Errors: fieldErrors{},
		Title: strings.TrimSpace(form.Get("title")), Type: form.Get("type"), Year: strings.TrimSpace(form.Get("year")),
		Publishers: form.Get("publishers"), Countries: form.Get("countries"), Link: strings.TrimSpace(form.Get("link")),
		Language: strings.TrimSpace(form.Get("language"))}
	p.Title, p.Type, p.Link, p.Language = f.Title, f.Type, f.Link, f.Language
	p.Publishers, p.Countries = splitList(f.Publishers), countryCodes(f.Countries)
	if p.Year, ok = formInt(f.Year); !ok {
		f.Errors["year"] = tr(r, "pubform.year_error")
	}
	switch {
	case uploadErr != nil:
		if !f.Errors.addIn(langOf(r.Context()), uploadErr) {
			s.fail(w, r, uploadErr)
			return
		}
	case !upload.IsZero():
		p.File = upload
	case form.Get("remove_file") != "":
		p.File = vigie.FileRef{}
	}
	f.File, f.Uploads = newFileView(p.File), s.files != nil
	show := func(status int) {
		f.setTypes(langOf(r.Context()))
		s.render(w, r, status, "edit_publication", layout{Title: nonBlank(f.Title, tr(r, "pubform.new")), Page: f})
	}
	if f.Errors.Any() {
		show(http.StatusBadRequest)
		return
	}
	err := s.service.SavePublication(r.Context(), actor(r), storedSlug, &p)
	switch vigie.ErrorCode(err) {
	case "":
		http.Redirect(w, r, "/edit/publications/"+strconv.FormatInt(p.ID, 10)+"?saved", http.StatusSeeOther)
	case vigie.EINVALID:
		f.Errors.addIn(langOf(r.Context()), err)
		show(http.StatusBadRequest)
	default:
		s.fail(w, r, err)
	}
}

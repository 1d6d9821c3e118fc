package web

import (
	"errors"
	"mime"
	"net/http"
	"strings"
	"time"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/files"
)

// Uploaded PDFs of the reports library: received by the publication form,
// kept by files.Store under their content hash, served at
// /files/{hash}.pdf.

// WithFiles turns uploads on, keeping them in fs. Call it before serving.
func (s *Server) WithFiles(fs *files.Store) *Server {
	s.files = fs
	return s
}

// uploadMemory is how much of a multipart form is held in memory; larger
// files spill to temporary files, which the form parser removes.
const uploadMemory = 1 << 20

// uploadTime and downloadTime bound the transfer of one file: 25 MB at
// 0.5 Mbit/s takes about seven minutes.
const (
	uploadTime   = 15 * time.Minute
	downloadTime = 15 * time.Minute
)

// formOverhead allows for the other fields of a form that carries a file.
const formOverhead = 1 << 20

// parseUploadForm parses a multipart form whose body may not exceed the
// file limit and the form's other fields. A form handler that takes an
// upload calls it before reading any field, the CSRF token included:
// FormValue would otherwise parse an unbounded body.
func (s *Server) parseUploadForm(w http.ResponseWriter, r *http.Request) error {
	if r.MultipartForm != nil {
		return nil
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "multipart/form-data" {
		return nil // no file in it: the form's own parsing and limits apply
	}
	limit := int64(files.MaxSize)
	if s.files != nil {
		limit = s.files.MaxSize()
	}
	// A large file on a slow connection takes longer than the server's
	// read timeout allows ordinary requests.
	http.NewResponseController(w).SetReadDeadline(time.Now().Add(uploadTime))
	r.Body = http.MaxBytesReader(w, r.Body, limit+formOverhead)
	err := r.ParseMultipartForm(uploadMemory)
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return vigie.FieldError("file", "the file is larger than %d MB", limit>>20)
	case err != nil:
		return vigie.FieldError("file", "the form could not be read; please try again")
	}
	return nil
}

// saveUpload stores the PDF sent in the form's field and returns its
// reference; the zero FileRef and no error when no file was chosen. Errors
// are EINVALID and name field: too large, not a PDF, uploads turned off.
// The publication form puts the result in Publication.File.
func (s *Server) saveUpload(w http.ResponseWriter, r *http.Request, field string) (vigie.FileRef, error) {
	if err := s.parseUploadForm(w, r); err != nil {
		return vigie.FileRef{}, renameField(err, field)
	}
	if r.MultipartForm == nil {
		return vigie.FileRef{}, nil
	}
	f, hdr, err := r.FormFile(field)
	if errors.Is(err, http.ErrMissingFile) {
		return vigie.FileRef{}, nil
	}
	if err != nil {
		return vigie.FileRef{}, vigie.FieldError(field, "the file could not be read; please try again")
	}
	defer f.Close()
	if hdr.Size == 0 && hdr.Filename == "" {
		return vigie.FileRef{}, nil // the file input was left empty
	}
	if s.files == nil {
		return vigie.FileRef{}, vigie.FieldError(field, "this server does not accept uploads; give a link instead")
	}
	if hdr.Size > s.files.MaxSize() {
		return vigie.FileRef{}, vigie.FieldError(field, "the file is larger than %d MB", s.files.MaxSize()>>20)
	}
	ref, err := s.files.SavePDF(f)
	return ref, renameField(err, field)
}

// renameField makes a files error name the form's field.
func renameField(err error, field string) error {
	var e *vigie.Error
	if errors.As(err, &e) && e.Field != "" {
		// A copy under the form's field name, which keeps the format the
		// message is translated from.
		return &vigie.Error{Code: vigie.EINVALID, Field: field, Message: e.Message, Format: e.Format, Args: e.Args}
	}
	return err
}

// handleUploadedFile serves an uploaded PDF, only while a publication holds it:
// the publication gives the download its name. Its content never changes
// under its hash, so caches may keep it for a year.
func (s *Server) handleUploadedFile(w http.ResponseWriter, r *http.Request) {
	hash, ok := strings.CutSuffix(r.PathValue("name"), ".pdf")
	if !ok || !files.ValidHash(hash) || s.files == nil {
		s.notFound(w, r)
		return
	}
	pubs, err := s.store.Publications(r.Context(), vigie.PublicationFilter{})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	var pub *vigie.Publication
	for i := range pubs {
		if pubs[i].File.Hash == hash {
			pub = &pubs[i]
			break
		}
	}
	if pub == nil {
		s.notFoundMessage(w, r, tr(r, "uploadedfile.not_found"))
		return
	}
	f, err := s.files.Open(hash)
	if vigie.IsNotFound(err) {
		s.notFoundMessage(w, r, tr(r, "uploadedfile.missing"))
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		s.serverError(w, r, err)
		return
	}

	name := vigie.Slugify(pub.Title)
	if name == "" {
		name = "publication"
	}
	h := w.Header()
	h.Set("Content-Type", "application/pdf")
	h.Set("Content-Disposition", `attachment; filename="`+name+`.pdf"`)
	h.Set("X-Content-Type-Options", "nosniff")
	// Opened in a browser tab after all, the PDF runs in a sandbox with no
	// script and no access to the site.
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:")
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("ETag", `"`+hash+`"`)
	// The PDF is compressed already, and ranges (resumed downloads on slow
	// connections) must count the file's own bytes: write past the gzip
	// layer.
	// Readers on slow phones need longer than the server's write timeout.
	http.NewResponseController(w).SetWriteDeadline(time.Now().Add(downloadTime))
	http.ServeContent(uncompressed(w), r, "", st.ModTime(), f)
}

// uncompressed returns the writer under the compression middleware.
func uncompressed(w http.ResponseWriter) http.ResponseWriter {
	if g, ok := w.(*gzipWriter); ok {
		return g.ResponseWriter
	}
	return w
}

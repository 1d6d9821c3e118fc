package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/files"
)

// testPDF is a small, well-formed PDF: one empty page.
const testPDF = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n" +
	"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
	"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n" +
	"trailer<</Root 1 0 R>>\n%%EOF\n"

// multipartRequest builds a POST carrying fields and, unless filename is
// empty, a file part.
func multipartRequest(t testing.TB, path, field, filename, contentType string, content []byte, fields map[string]string) *http.Request {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	if filename != "" || content != nil {
		h := make(map[string][]string)
		h["Content-Disposition"] = []string{`form-data; name="` + field + `"; filename="` + filename + `"`}
		h["Content-Type"] = []string{contentType}
		part, err := mw.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		part.Write(content)
	}
	mw.Close()
	req := httptest.NewRequest(http.MethodPost, path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return req
}

// uploadSite is the test site with a file store in a temporary folder.
func uploadSite(t *testing.T) (*Server, *files.Store, vigie.Store) {
	t.Helper()
	s, st := testSite(t)
	fs := files.New(filepath.Join(t.TempDir(), "vigie.db-files"))
	s.WithFiles(fs)
	return s, fs, st
}

// upload runs saveUpload on a request, as the publication form does.
func upload(s *Server, req *http.Request, field string) (vigie.FileRef, error) {
	return s.saveUpload(httptest.NewRecorder(), req, field)
}

func TestSaveUpload(t *testing.T) {
	s, fs, _ := uploadSite(t)
	ref, err := upload(s, multipartRequest(t, "/x", "file", "../../etc/report.pdf", "application/pdf", []byte(testPDF), nil), "file")
	if err != nil {
		t.Fatal(err)
	}
	if len(ref.Hash) != 64 || ref.Size != int64(len(testPDF)) {
		t.Errorf("ref = %+v", ref)
	}
	// Stored under its hash in the store's folder, whatever it was called.
	entries, _ := os.ReadDir(fs.Dir())
	if len(entries) != 1 || entries[0].Name() != ref.Hash+".pdf" {
		t.Errorf("folder holds %v", entries)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(fs.Dir()), "etc")); !errors.Is(err, os.ErrNotExist) {
		t.Error("the uploaded file name reached the disk")
	}

	// No file chosen: nothing stored, no error; other fields still read.
	req := multipartRequest(t, "/x", "file", "", "application/octet-stream", nil, map[string]string{"title": "T"})
	if ref, err := upload(s, req, "file"); err != nil || !ref.IsZero() {
		t.Errorf("no file: %+v, %v", ref, err)
	}
	if req.PostForm.Get("title") != "T" {
		t.Errorf("the form's other fields are lost: %v", req.PostForm)
	}
	// A form sent without multipart encoding uploads nothing.
	plain := httptest.NewRequest(http.MethodPost, "/x", strings.NewReader("title=T"))
	plain.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if ref, err := upload(s, plain, "file"); err != nil || !ref.IsZero() || plain.PostForm != nil {
		t.Errorf("urlencoded form: %+v, %v; its body must be left to the form's own parsing", ref, err)
	}
}

func TestSaveUploadRefuses(t *testing.T) {
	s, fs, _ := uploadSite(t)
	fs.SetMaxSize(2048)
	big := []byte(testPDF + strings.Repeat("%", 4096))
	huge := []byte(testPDF + strings.Repeat("%", 3<<20)) // larger than the form's allowance too
	for _, tc := range []struct {
		name, filename, contentType string
		content                     []byte
		want                        string
	}{
		{"too big", "report.pdf", "application/pdf", big, "larger than"},
		{"far too big", "report.pdf", "application/pdf", huge, "larger than"},
		{"HTML named .pdf", "report.pdf", "application/pdf", []byte("<html><script>alert(1)</script></html>"), "not a PDF"},
		{"executable", "report.pdf", "application/pdf", []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"), "not a PDF"},
		{"empty file", "report.pdf", "application/pdf", []byte{}, "empty"},
		{"text", "notes.txt", "text/plain", []byte("just some notes"), "not a PDF"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := upload(s, multipartRequest(t, "/x", "pdf", tc.filename, tc.contentType, tc.content, nil), "pdf")
			var ve *vigie.Error
			if !errors.As(err, &ve) || ve.Code != vigie.EINVALID || ve.Field != "pdf" || !strings.Contains(ve.Message, tc.want) {
				t.Errorf("err = %#v, want an invalid %q error on field pdf", err, tc.want)
			}
		})
	}
	if entries, _ := os.ReadDir(fs.Dir()); len(entries) != 0 {
		t.Errorf("refused uploads left %v", entries)
	}

	// A server without a file store refuses uploads, and says so.
	off, _ := testSite(t)
	_, err := upload(off, multipartRequest(t, "/x", "file", "r.pdf", "application/pdf", []byte(testPDF), nil), "file")
	if vigie.ErrorCode(err) != vigie.EINVALID || !strings.Contains(err.Error(), "does not accept uploads") {
		t.Errorf("uploads off: %v", err)
	}
}

// attach stores testPDF and attaches it to the Mali report.
func attach(t *testing.T, s *Server, st vigie.Store) vigie.FileRef {
	t.Helper()
	ref, err := upload(s, multipartRequest(t, "/x", "file", "mali.pdf", "application/pdf", []byte(testPDF), nil), "file")
	if err != nil {
		t.Fatal(err)
	}
	update(t, st, func(ctx context.Context, tx vigie.Tx) error {
		p, err := tx.Publication(ctx, "mali-country-monitoring-report-2017")
		if err != nil {
			return err
		}
		p.File = ref
		_, err = vigie.MergePublication(ctx, tx, &p)
		return err
	})
	return ref
}

func TestServeUploadedFile(t *testing.T) {
	s, _, st := uploadSite(t)
	ref := attach(t, s, st)
	path := "/files/" + ref.Hash + ".pdf"
	for _, enc := range []string{"", "gzip"} {
		res, body := get(t, s, path, "Accept-Encoding", enc)
		if res.StatusCode != http.StatusOK || string(body) != testPDF {
			t.Fatalf("GET %s (%q): %d, %d bytes", path, enc, res.StatusCode, len(body))
		}
		for k, v := range map[string]string{
			"Content-Type":           "application/pdf",
			"Content-Disposition":    `attachment; filename="mali-country-monitoring-report.pdf"`,
			"X-Content-Type-Options": "nosniff",
			"Cache-Control":          "public, max-age=31536000, immutable",
			"ETag":                   `"` + ref.Hash + `"`,
			"Content-Encoding":       "", // a PDF is compressed already
		} {
			if got := res.Header.Get(k); got != v {
				t.Errorf("GET %s (%q): %s = %q, want %q", path, enc, k, got, v)
			}
		}
		if csp := res.Header.Get("Content-Security-Policy"); !strings.HasPrefix(csp, "sandbox") || !strings.Contains(csp, "default-src 'none'") {
			t.Errorf("CSP = %q", csp)
		}
	}

	// Resumed downloads and revalidation.
	res, body := get(t, s, path, "Range", "bytes=0-7")
	if res.StatusCode != http.StatusPartialContent || string(body) != "%PDF-1.4" {
		t.Errorf("range: %d %q", res.StatusCode, body)
	}
	if res, _ := get(t, s, path, "If-None-Match", `"`+ref.Hash+`"`); res.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match: %d", res.StatusCode)
	}

	// The library, the publication page and the country page offer it.
	lib := page(t, s, "/publications?country=mali", http.StatusOK)
	if a := lib.Find(`a.download[href="` + path + `"]`); a.Length() != 1 || !strings.HasPrefix(textOf(a), "Download PDF (") {
		t.Errorf("library download link: %d %q", a.Length(), textOf(a))
	}
	one := page(t, s, "/publications/mali-country-monitoring-report-2017", http.StatusOK)
	if got := textOf(one.Find(`a.download[href="` + path + `"]`)); got != fmt.Sprintf("Download the PDF (%d bytes)", len(testPDF)) {
		t.Errorf("publication page download link: %q", got)
	}
	if page(t, s, "/countries/mali", http.StatusOK).Find(`#reports a.download[href="`+path+`"]`).Length() != 1 {
		t.Error("the country page does not offer the download")
	}
}

func TestUploadedFileAddresses(t *testing.T) {
	s, fs, st := uploadSite(t)
	ref := attach(t, s, st)
	// A stored file that no publication holds (a failed form, a replaced
	// file) is not served.
	orphan, err := fs.SavePDF(strings.NewReader(testPDF + "% another\n"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(filepath.Dir(fs.Dir()), "secret.pdf"), []byte("%PDF-secret"), 0o600)
	for _, path := range []string{
		"/files/" + orphan.Hash + ".pdf",
		"/files/" + ref.Hash,          // no extension
		"/files/" + ref.Hash + ".PDF", // another spelling
		"/files/" + strings.ToUpper(ref.Hash) + ".pdf",
		"/files/../secret.pdf",
		"/files/..%2fsecret.pdf",
		"/files/%2e%2e%2fvigie.db-files%2f" + ref.Hash + ".pdf",
		"/files/" + ref.Hash[:10] + ".pdf",
		"/files/.upload-1.pdf",
		"/files/",
	} {
		res, body := get(t, s, path)
		if res.StatusCode == http.StatusOK || strings.Contains(string(body), "%PDF") {
			t.Errorf("GET %s: %d, served a file", path, res.StatusCode)
		}
	}
	// Without a file store, nothing is served.
	off, _ := testSite(t)
	if res, _ := get(t, off, "/files/"+ref.Hash+".pdf"); res.StatusCode != http.StatusNotFound {
		t.Errorf("no file store: %d", res.StatusCode)
	}
	// A file missing from the folder is a clear 404, not a 500.
	os.Remove(filepath.Join(fs.Dir(), ref.Hash+".pdf"))
	if res, _ := get(t, s, "/files/"+ref.Hash+".pdf"); res.StatusCode != http.StatusNotFound {
		t.Errorf("missing file: %d", res.StatusCode)
	}
}

// postMultipart sends the form's fields and a file as the browser does,
// with the client's session.
func (c *client) postMultipart(path string, form url.Values, filename string, content []byte) (*http.Response, string) {
	c.t.Helper()
	fields := map[string]string{}
	for k := range form {
		fields[k] = form.Get(k)
	}
	req := multipartRequest(c.t, path, "file", filename, "application/pdf", content, fields)
	req.RemoteAddr = c.addr
	for _, ck := range c.cookies {
		req.AddCookie(ck)
	}
	rec := httptest.NewRecorder()
	c.h.ServeHTTP(rec, req)
	return rec.Result(), rec.Body.String()
}

// TestPublicationFormUpload uploads a PDF through the editors' publication
// form, replaces nothing when saved again without a file, refuses a file
// that is no PDF while keeping the stored one, and removes it on request.
func TestPublicationFormUpload(t *testing.T) {
	e := newEditorsSite(t)
	fs := files.New(filepath.Join(t.TempDir(), "files"))
	e.srv.WithFiles(fs)
	e.addUser("boss@example.org", vigie.RoleAdmin)
	boss := e.login("boss@example.org")
	const edit = "/edit/publications/1"
	stored := func() vigie.Publication {
		t.Helper()
		p, err := e.st.Publication(context.Background(), "mali-country-monitoring-report-2017")
		if err != nil || p.ID != 1 {
			t.Fatalf("publication 1: %+v, %v", p, err)
		}
		return p
	}

	doc := boss.page(edit, http.StatusOK)
	if doc.Find(`form.form[enctype="multipart/form-data"] input[type="file"][name="file"]`).Length() != 1 {
		t.Fatal("the publication form has no file input")
	}
	form := formValues(doc, "form.form")
	if res, body := boss.postMultipart(edit, form, "report.pdf", []byte(testPDF)); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d\n%s", res.StatusCode, body)
	}
	file := stored().File
	if file.Size != int64(len(testPDF)) || len(file.Hash) != 64 {
		t.Fatalf("stored file = %+v", file)
	}
	if res, body := get(t, e.srv, filePath(file)); res.StatusCode != http.StatusOK || string(body) != testPDF {
		t.Errorf("GET %s: %d", filePath(file), res.StatusCode)
	}
	doc = boss.page(edit, http.StatusOK)
	if doc.Find(`#file-hint a[href="`+filePath(file)+`"]`).Length() != 1 {
		t.Error("the form does not show the uploaded PDF")
	}

	// Saved again without choosing a file: the PDF stays.
	form = formValues(doc, "form.form")
	form.Set("year", "2018")
	if res, body := boss.postMultipart(edit, form, "", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save without a file: %d\n%s", res.StatusCode, body)
	}
	if p := stored(); p.File != file || p.Year != 2018 {
		t.Errorf("after a save without a file: %+v", p)
	}
	// The old form, without multipart encoding, keeps it too.
	if res, body := boss.post(edit, form); res.StatusCode != http.StatusSeeOther || stored().File != file {
		t.Errorf("urlencoded save: %d, file %+v\n%s", res.StatusCode, stored().File, body)
	}

	// Not a PDF: the form says so on the field and nothing changes.
	res, body := boss.postMultipart(edit, form, "report.pdf", []byte("<html>not a pdf</html>"))
	if res.StatusCode != http.StatusBadRequest {
		t.Fatalf("not a PDF: %d", res.StatusCode)
	}
	bad, _ := goquery.NewDocumentFromReader(strings.NewReader(body))
	if got := textOf(bad.Find(`input[name="file"] + .error`)); !strings.Contains(got, "not a PDF") {
		t.Errorf("file error = %q", got)
	}
	if stored().File != file {
		t.Error("a refused upload changed the stored file")
	}

	// Removing it.
	form.Set("remove_file", "1")
	if res, body := boss.postMultipart(edit, form, "", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove: %d\n%s", res.StatusCode, body)
	}
	if p := stored(); !p.File.IsZero() {
		t.Errorf("after removing: %+v", p.File)
	}
	if res, _ := get(t, e.srv, filePath(file)); res.StatusCode != http.StatusNotFound {
		t.Errorf("a detached file is still served: %d", res.StatusCode)
	}
}

package api

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// Every response the tests of this package provoke goes through
// validating, which checks it against openapi.json: the document is the
// contract, and a field, status or header it does not describe fails the
// test that produced it. TestMain then checks that every operation of the
// document was exercised.

var spec = sync.OnceValues(func() (*openapi3.T, routers.Router) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(openAPIDocument)
	if err != nil {
		panic("openapi.json does not load: " + err.Error())
	}
	router, err := legacy.NewRouter(doc) // validates the document first
	if err != nil {
		panic("openapi.json is not valid: " + err.Error())
	}
	return doc, router
})

// exercised records "METHOD /path status" for every validated response.
var exercised sync.Map

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if code == 0 && flag.Lookup("test.run").Value.String() == "" && !testing.Short() {
		if missing := unexercised(); len(missing) > 0 {
			fmt.Fprintf(os.Stderr, "openapi.json: no test exercised these operations:\n  %s\n", strings.Join(missing, "\n  "))
			code = 1
		}
		if testing.Verbose() {
			fmt.Printf("openapi.json: documented answers no test provoked:\n  %s\n", strings.Join(unprovoked(), "\n  "))
		}
	}
	os.Exit(code)
}

// unexercised lists the operations of the document no test called with
// a success.
func unexercised() []string {
	doc, _ := spec()
	var missing []string
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			hit := false
			for status := range op.Responses.Map() {
				if status[0] == '2' {
					if _, ok := exercised.Load(method + " " + path + " " + status); ok {
						hit = true
					}
				}
			}
			if !hit {
				missing = append(missing, method+" "+path)
			}
		}
	}
	sort.Strings(missing)
	return missing
}

// unprovoked lists the documented answers (operation and status) that no
// test provoked, for a look at what the suite leaves out.
func unprovoked() []string {
	doc, _ := spec()
	var out []string
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			for status := range op.Responses.Map() {
				if _, ok := exercised.Load(method + " " + path + " " + status); !ok {
					out = append(out, method+" "+path+" "+status)
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

// validating serves h and checks each response against the document.
func validating(t testing.TB, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var reqBody []byte
		if r.Body != nil {
			reqBody, _ = io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(reqBody))
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		if err := checkExchange(r, reqBody, rec); err != nil {
			t.Errorf("%s %s → %d does not match openapi.json: %v\n%s", r.Method, r.URL, rec.Code, err, short(rec.Body.Bytes()))
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		w.Write(rec.Body.Bytes())
	})
}

func checkExchange(r *http.Request, reqBody []byte, rec *httptest.ResponseRecorder) error {
	ctx := context.Background()
	doc, router := spec()
	if r.Method == http.MethodGet || r.Method == http.MethodHead || r.Method == http.MethodOptions {
		if rec.Header().Get("Access-Control-Allow-Origin") != "*" {
			return fmt.Errorf("a read without Access-Control-Allow-Origin: *")
		}
	} else if rec.Header().Get("Access-Control-Allow-Origin") != "" {
		return fmt.Errorf("a write open to other origins")
	}

	// The router matches the path only, against the server URL /api/v1.
	lookup := r.Clone(ctx)
	lookup.URL = &url.URL{Path: r.URL.Path, RawQuery: r.URL.RawQuery}
	if r.Method == http.MethodHead {
		lookup.Method = http.MethodGet
	}
	route, params, err := router.FindRoute(lookup)
	if err != nil {
		// Paths and methods the document does not list must be refused,
		// as a problem.
		if rec.Code != http.StatusNotFound && rec.Code != http.StatusMethodNotAllowed {
			return fmt.Errorf("undocumented %s %s answered %d", r.Method, r.URL.Path, rec.Code)
		}
		return checkProblem(doc, rec)
	}
	exercised.Store(route.Method+" "+route.Path+" "+fmt.Sprint(rec.Code), true)
	opts := &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, IncludeResponseStatus: true, SkipSettingDefaults: true}
	in := &openapi3filter.RequestValidationInput{Request: lookup, PathParams: params, Route: route, Options: opts}
	lookup.Body = io.NopCloser(bytes.NewReader(reqBody))
	if rec.Code < 300 {
		// What the server accepts, the document must accept too.
		if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
			return fmt.Errorf("accepted a request the document refuses: %w", err)
		}
	}
	if rec.Code == http.StatusNotModified {
		// kin-openapi skips 304s: check them here.
		if rec.Body.Len() != 0 || rec.Header().Get("ETag") == "" {
			return fmt.Errorf("a 304 needs an ETag and no body")
		}
		if route.Operation.Responses.Status(http.StatusNotModified) == nil {
			return fmt.Errorf("304 is not documented here")
		}
		return nil
	}
	return openapi3filter.ValidateResponse(ctx, &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in, Status: rec.Code, Header: rec.Header(),
		Body: io.NopCloser(bytes.NewReader(rec.Body.Bytes())), Options: opts,
	})
}

func checkProblem(doc *openapi3.T, rec *httptest.ResponseRecorder) error {
	if ct := rec.Header().Get("Content-Type"); ct != "application/problem+json" {
		return fmt.Errorf("Content-Type %q, want application/problem+json", ct)
	}
	var v any
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		return err
	}
	return doc.Components.Schemas["Problem"].Value.VisitJSON(v, openapi3.EnableJSONSchema2020())
}

func TestOpenAPIDocument(t *testing.T) {
	doc, _ := spec() // loads and validates
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi = %q", doc.OpenAPI)
	}
	// Every route of the server is in the document, and the reverse.
	s := New(testService(t), nil).(*Server)
	var served []string
	for _, rt := range s.routes() {
		for method := range rt.methods {
			served = append(served, method+" "+strings.TrimSuffix(strings.ReplaceAll(rt.path, "{$}", ""), "/"))
		}
	}
	var documented []string
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			if method != http.MethodOptions {
				documented = append(documented, method+" "+strings.TrimSuffix(path, "/"))
			}
		}
	}
	slices.Sort(served)
	slices.Sort(documented)
	if !slices.Equal(served, documented) {
		t.Errorf("routes and document differ:\nserved     %v\ndocumented %v", served, documented)
	}
	api := newTestAPI(t)
	res, body := api.get(t, "/api/v1/openapi.json")
	if res.StatusCode != http.StatusOK || !bytes.Equal(body, openAPIDocument) {
		t.Errorf("GET /api/v1/openapi.json: %d, %d bytes", res.StatusCode, len(body))
	}
	res, _ = api.get(t, "/api/v1/openapi.json", "If-None-Match", res.Header.Get("ETag"))
	if res.StatusCode != http.StatusNotModified {
		t.Errorf("revalidating the document: %d, want 304", res.StatusCode)
	}
}

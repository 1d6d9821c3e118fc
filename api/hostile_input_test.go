package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/export"
	"github.com/vigie-network/vigie/internal/testdb"
)

// The API's half of the hostile-input suite (issue 13): every write gets,
// in each of its text fields, the bytes an attacker or a broken client
// would send, on SQLite and (with VIGIE_TEST_POSTGRES) on PostgreSQL. Each
// must be refused with a problem that names the field, and nothing may
// change in the store.

// hostileJSON is a payload as it appears inside a JSON string: raw bytes
// that are not UTF-8 (which encoding/json would replace), or escapes.
type hostileJSON struct{ name, json string }

func hostileStrings(limit int, link bool) []hostileJSON {
	quote := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	list := []hostileJSON{
		{"invalid UTF-8", "\"caf\xe9 \xff\xfe\""},
		{"NUL", quote("before\x00after")},
		{"control character", quote("bell\x07 escape\x1b[2J")},
		{"C1 control character", quote("next\u0085line")},
	}
	if limit > 0 {
		list = append(list, hostileJSON{"oversize", quote(strings.Repeat("a", limit+1))})
	}
	if link {
		for _, l := range []string{"javascript:alert(document.cookie)", "JaVaScRiPt:alert(1)",
			"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "vbscript:msgbox(1)", "//evil.example/x"} {
			list = append(list, hostileJSON{l, quote(l)})
		}
	}
	return list
}

// withHostile returns doc as JSON with the field at path (["sources", 0,
// "title"]) holding payload, written as is.
func withHostile(t *testing.T, doc map[string]any, payload string, path ...any) []byte {
	t.Helper()
	const marker = "\u2603hostile\u2603"
	var copied map[string]any
	b, _ := json.Marshal(doc)
	json.Unmarshal(b, &copied)
	var at any = copied
	for i, step := range path {
		last := i == len(path)-1
		switch s := step.(type) {
		case string:
			m := at.(map[string]any)
			if last {
				m[s] = marker
			}
			at = m[s]
		case int:
			l := at.([]any)
			if last {
				l[s] = marker
			}
			at = l[s]
		}
	}
	b, err := json.Marshal(copied)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Replace(b, []byte(`"`+marker+`"`), []byte(payload), 1)
}

// apiState is everything the store holds that the API can change.
func apiState(t *testing.T, svc *vigie.Service) string {
	t.Helper()
	ds, err := export.Build(ctx, svc.Store, export.Options{})
	if err != nil {
		t.Fatal(err)
	}
	audit, err := svc.Store.AuditLog(ctx, vigie.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal([]any{ds, audit})
	return string(b)
}

func TestHostileInputThroughTheAPI(t *testing.T) {
	for _, db := range testdb.Stores() {
		t.Run(db.Name, func(t *testing.T) {
			a := newTestAPIOn(t, db.Open(t))
			const ind = "age-of-consent"
			// An editor's ETag counts drafts too.
			editorTag := func() string {
				res, _ := a.get(t, "/api/v1/assessments/ML/"+ind, "Authorization", a.bearer("researcher"))
				return res.Header.Get("ETag")
			}
			doc := a.editable(t, "ML", ind)
			doc["reason"] = "A new law."
			doc["sources"] = []any{map[string]any{"kind": "law", "title": "Penal Code of Mali", "identifier": "Law nº 2001-079",
				"publisher": "Government of Mali", "year": 2001, "link": "https://example.org/penal-code", "articles": "Art. 1"}}
			// The untouched document saves: the payload alone is at fault.
			if res, body := a.put(t, "ML", ind, doc, editorTag(), "researcher"); res.StatusCode != http.StatusOK {
				t.Fatalf("the valid document: %d\n%s", res.StatusCode, body)
			}
			fields := []struct {
				path  []any
				limit int
				link  bool
			}{
				{[]any{"explanation"}, 20_000, false},
				{[]any{"reason"}, 0, false},
				{[]any{"as_of"}, 0, false},
				{[]any{"rating"}, 0, false},
				{[]any{"sources", 0, "title"}, 2_000, false},
				{[]any{"sources", 0, "identifier"}, 2_000, false},
				{[]any{"sources", 0, "publisher"}, 2_000, false},
				{[]any{"sources", 0, "articles"}, 2_000, false},
				{[]any{"sources", 0, "link"}, 2_000, true},
				{[]any{"sources", 0, "kind"}, 0, false},
			}
			sent := 0
			for _, f := range fields {
				name := f.path[0].(string)
				if len(f.path) == 3 {
					name = "sources[0]." + f.path[2].(string)
				}
				for _, p := range hostileStrings(f.limit, f.link) {
					for _, submit := range []string{"", "?submit=1"} {
						before := apiState(t, a.svc)
						res, body := a.put(t, "ML", ind, withHostile(t, doc, p.json, f.path...), editorTag(), "researcher", submit)
						sent++
						if res.StatusCode != http.StatusUnprocessableEntity {
							t.Errorf("PUT %s%s, %s: %d, want 422\n%s", name, submit, p.name, res.StatusCode, short(body))
						} else {
							expectProblem(t, res, body, res.StatusCode, name)
						}
						if apiState(t, a.svc) != before {
							t.Errorf("PUT %s%s, %s: the store changed", name, submit, p.name)
						}
					}
				}
			}

			// A review comment.
			res, body := a.put(t, "ML", ind, doc, editorTag(), "researcher", "?submit=1")
			var rev revisionJSON
			decode(t, body, &rev)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("submit: %d\n%s", res.StatusCode, body)
			}
			publish := map[string]any{"revision": rev.Number, "comment": "Checked."}
			for _, p := range hostileStrings(0, false) {
				before := apiState(t, a.svc)
				res, body := a.do(t, http.MethodPost, "/api/v1/assessments/ML/"+ind+"/publish", withHostile(t, publish, p.json, "comment"),
					"Authorization", a.bearer("reviewer"))
				sent++
				if res.StatusCode != http.StatusUnprocessableEntity {
					t.Errorf("publish, comment, %s: %d, want 422\n%s", p.name, res.StatusCode, short(body))
				} else {
					expectProblem(t, res, body, res.StatusCode, "comment")
				}
				if apiState(t, a.svc) != before {
					t.Errorf("publish, comment, %s: the store changed", p.name)
				}
			}
			t.Logf("%d hostile writes", sent)
		})
	}
}

// Paths and parameters with bytes no key can hold find nothing: 404 or
// 400 on both stores, never a 500.
func TestHostileBytesInAPIPaths(t *testing.T) {
	for _, db := range testdb.Stores() {
		t.Run(db.Name, func(t *testing.T) {
			a := newTestAPIOn(t, db.Open(t))
			for _, bad := range []string{"%FF", "%00", "a%00b", "%C0%AF", "%ED%A0%80", "%1B"} {
				for _, path := range []string{"/news/%s", "/countries/%s", "/assessments/%s/age-of-consent", "/assessments/ML/%s",
					"/assessments/ML/%s/revisions", "/assessments/ML/age-of-consent/revisions/%s",
					"/%s", "/news?country=%s", "/publications?country=%s", "/sources?country=%s", "/assessments?indicator=%s",
					"/assessments?country=%s", "/assessments?as_of=%s", "/news?cursor=%s", "/countries?region=%s", "/news/x?lang=%s"} {
					target := "/api/v1" + strings.ReplaceAll(path, "%s", bad)
					for _, role := range []string{"", "researcher"} {
						var header []string
						if role != "" {
							header = []string{"Authorization", a.bearer(role)}
						}
						res, body := a.get(t, target, header...)
						if res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusBadRequest {
							t.Errorf("GET %s: %d, want 404 or 400\n%s", target, res.StatusCode, short(body))
						} else {
							expectProblem(t, res, body, res.StatusCode, "")
						}
					}
				}
			}
		})
	}
}

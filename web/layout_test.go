package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	vigie "github.com/vigie-network/vigie"
)

// The layout check (issue #15): every public page type and the main
// editors' pages, in English, French and Spanish, laid out by Chromium at
// a phone's, a tablet's and a desktop's width. At each, the page must not
// scroll sideways, nothing may stick out past the right edge except inside
// a deliberate scroll container, no word may be broken across lines, and
// no text may lie over other text or over a control. With
// VIGIE_SCREENSHOTS=DIR, a full-page screenshot of each page at each width
// is written there, to look at.

// layoutWidths are the widths checked, in CSS pixels.
var layoutWidths = []int{360, 768, 1280}

// layoutScript returns the problems of the page as laid out, as
// sentences. A word is a run of letters between spaces, hyphens and
// slashes; words of 30 characters or more and code (addresses, links,
// markup) may break.
const layoutScript = `(() => {
const vw = document.documentElement.clientWidth, out = [];
const name = e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") +
  (typeof e.className === "string" && e.className.trim() ? "." + e.className.trim().split(/\s+/).join(".") : "");
// Visually hidden boxes (clipped to nothing) are for screen readers only.
const clipped = [...document.body.querySelectorAll("*")].filter(e => {
  const st = getComputedStyle(e);
  return st.clipPath === "inset(50%)" || st.clip === "rect(0px, 0px, 0px, 0px)";
});
const hidden = e => e.closest(".vh,.skip,.skip-map,.hp,[hidden],svg text,option,select,script,style,noscript,textarea,title") ||
  (e.closest("details:not([open])") && !e.closest("summary")) || clipped.some(c => c.contains(e));
const scrolls = e => {
  for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
    const o = getComputedStyle(p).overflowX;
    if (o === "auto" || o === "scroll" || o === "hidden") return true;
  }
  return false;
};
const sw = document.documentElement.scrollWidth;
if (sw > vw + 1) out.push("the page scrolls sideways: " + sw + "px of content in " + vw + "px");
let past = [];
for (const e of document.body.querySelectorAll("*")) {
  const r = e.getBoundingClientRect();
  if (r.width < 2 || r.height < 2 || r.right <= vw + 1 || hidden(e) || scrolls(e)) continue;
  past.push(name(e) + " ends at " + Math.round(r.right) + "px");
}
if (past.length) out.push(past.length + " elements stick out past the right edge (" + vw + "px): " + past.slice(0, 4).join("; "));
const range = document.createRange(), boxes = [], broken = [];
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
while (walker.nextNode()) {
  const n = walker.currentNode;
  if (!n.data.trim() || hidden(n.parentElement)) continue;
  const st = getComputedStyle(n.parentElement);
  if (st.visibility === "hidden" || st.display === "none") continue;
  for (const m of n.data.matchAll(/[^\s\-\u2010-\u2014\/]+/g)) {
    if (m[0].length >= 30 || /[<>\[\]{}=@_]|:\/\//.test(m[0])) continue;
    range.setStart(n, m.index);
    range.setEnd(n, m.index + m[0].length);
    const rs = [...range.getClientRects()].filter(r => r.width > 0.5 && r.height > 0.5);
    const tops = [];
    for (const r of rs) if (!tops.some(t => Math.abs(t - r.top) < r.height / 2)) tops.push(r.top);
    if (tops.length > 1) broken.push("“" + m[0] + "” in " + name(n.parentElement) + " on " + tops.length + " lines");
  }
  range.selectNodeContents(n);
  for (const r of range.getClientRects()) if (r.width > 1 && r.height > 1) boxes.push({r, e: n.parentElement, text: n.data.trim().slice(0, 30)});
}
if (broken.length) out.push(broken.length + " words broken across lines: " + broken.slice(0, 5).join("; "));
for (const e of document.body.querySelectorAll("input:not([type=hidden]),select,textarea,button,img,svg")) {
  const r = e.getBoundingClientRect();
  if (r.width > 1 && r.height > 1 && !hidden(e)) boxes.push({r, e, text: "<" + name(e) + ">"});
}
boxes.sort((a, b) => a.r.top - b.r.top);
const overlaps = [];
for (let i = 0; i < boxes.length; i++) {
  const a = boxes[i];
  for (let j = i + 1; j < boxes.length && boxes[j].r.top < a.r.bottom - 2; j++) {
    const b = boxes[j];
    if (a.e === b.e || a.e.contains(b.e) || b.e.contains(a.e)) continue;
    const w = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
    const h = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
    if (w > 2 && h > 2) overlaps.push("“" + a.text + "” (" + name(a.e) + ") and “" + b.text + "” (" + name(b.e) + ")");
  }
}
if (overlaps.length) out.push(overlaps.length + " overlaps: " + overlaps.slice(0, 4).join("; "));
return out;
})()`

// layoutProblems lays out url at width CSS pixels (loading it when load
// is set, else resizing the page the tab holds) and returns what is wrong
// with its layout; with dir set, it saves a full-page screenshot there.
func layoutProblems(t *testing.T, tab context.Context, url string, load bool, width int, dir, shot string) []string {
	t.Helper()
	step, cancel := context.WithTimeout(tab, 60*time.Second)
	defer cancel()
	var opts []chromedp.EmulateViewportOption
	if width < 800 {
		opts = append(opts, chromedp.EmulateMobile)
	}
	actions := []chromedp.Action[chromedp.Void]{chromedp.EmulateViewport(int64(width), 800, opts...)}
	if load {
		actions = append(actions, chromedp.Navigate(url), chromedp.WaitReady(chromedp.CSS("body")))
	}
	err := chromedp.Do(step, actions...)
	if err != nil {
		t.Fatalf("%s: %v", url, err)
	}
	problems, err := chromedp.Run(step, chromedp.Evaluate[[]string](layoutScript))
	if err != nil {
		t.Fatalf("%s: layout script: %v", url, err)
	}
	if dir != "" {
		shotStep, cancel := context.WithTimeout(tab, 3*time.Minute) // a long page is a tall image
		defer cancel()
		png, err := chromedp.Run(shotStep, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("%s: screenshot: %v", url, err)
		}
		if err := os.WriteFile(filepath.Join(dir, shot), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return problems
}

// shotName turns a page's address into a file name.
func shotName(lang, path string, width int) string {
	n := strings.Trim(path, "/")
	n = strings.NewReplacer("/", "_", "?", "_", "=", "-", ",", "-", "&", "_").Replace(n)
	if n == "" {
		n = "home"
	}
	if lang == "" {
		lang = "/en"
	}
	return fmt.Sprintf("%s_%s_%d.png", strings.Trim(lang, "/"), n, width)
}

func TestBrowserLayoutEveryPageType(t *testing.T) {
	ctx := browser(t)
	dir := os.Getenv("VIGIE_SCREENSHOTS")
	if dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	e := newEditorsSite(t)
	seedFullProfile(t, e.st) // Mali at length, seedMali's again
	seedHostile(t, e.st)
	seedIndicatorWorld(t, e.st, "age-of-consent") // the widest tables
	e.addUser("ada@example.org", vigie.RoleAdmin)
	ts := httptest.NewServer(e.srv)
	defer ts.Close()

	public := []string{"/", "/countries", "/countries/mali", "/countries/niger", "/countries/mali?as_of=2025-01-01",
		"/indicators", "/indicators/age-of-consent", "/indicators/extraterritoriality-extradition",
		"/compare?c=ml,gm", "/compare?c=ml,ne,gm,sn,bf", "/changes?from=2020-01-01", "/search?q=court",
		"/publications", "/publications/" + pubSlug(t, e.st), "/news", "/news/" + featuredSlug,
		"/organisations", "/organisations/" + orgSlug(t, e.st), "/login", "/data", "/no-such-page",
		"/countries/mali/extraterritoriality-extradition/history",
		"/embed/indicators/age-of-consent", "/embed/countries/mali"}
	public = append(public, pagedLists(t, e.st, e.srv)...)
	editors := []string{"/edit", "/edit/countries/mali/extraterritoriality-extradition", "/edit/review",
		"/edit/translations", "/edit/translations/fr/assessment/ML/extraterritoriality-extradition",
		"/edit/indicators/extraterritoriality-extradition", "/edit/stale", "/edit/reports",
		"/edit/organisations", "/edit/organisations/new", "/edit/publications/new", "/edit/news", "/edit/news/new",
		"/edit/featured", "/edit/framework", "/edit/users", "/edit/audit"}

	// VIGIE_LAYOUT_ONLY=/compare,/changes checks only the pages whose
	// address starts with one of these, while fixing them.
	var only []string
	if o := os.Getenv("VIGIE_LAYOUT_ONLY"); o != "" {
		only = strings.Split(o, ",")
	}
	check := func(t *testing.T, tab context.Context, paths []string) {
		for _, lang := range []string{"", "/fr", "/es"} {
			for _, p := range paths {
				if only != nil && !slices.ContainsFunc(only, func(o string) bool { return strings.HasPrefix(p, o) }) {
					continue
				}
				// One load, laid out again at each width.
				for i, w := range layoutWidths {
					for _, problem := range layoutProblems(t, tab, ts.URL+lang+p, i == 0, w, dir, shotName(lang, p, w)) {
						t.Errorf("%s at %dpx: %s", lang+p, w, problem)
					}
				}
			}
		}
	}
	t.Run("public", func(t *testing.T) { check(t, newTab(t, ctx), public) })
	t.Run("editors", func(t *testing.T) {
		ed := newTab(t, ctx, chromedp.WithNewBrowserContext())
		step, cancelStep := context.WithTimeout(ed, 30*time.Second)
		defer cancelStep()
		if err := chromedp.Do(step,
			chromedp.Navigate(ts.URL+"/login"),
			chromedp.SendKeys(chromedp.ID("email"), "ada@example.org"),
			chromedp.SendKeys(chromedp.ID("password"), testPassword),
			chromedp.Click(chromedp.CSS(`form[action="/login"] button`)),
			chromedp.WaitVisible(chromedp.CSS("header .session")),
		); err != nil {
			t.Fatal(err)
		}
		check(t, ed, editors)
	})
}

// TestBrowserEmbedsFrameOnAnotherOrigin: a page on another origin frames
// the embed views, and Chromium refuses to frame any other page.
func TestBrowserEmbedsFrameOnAnotherOrigin(t *testing.T) {
	ctx := browser(t)
	s, _ := testSite(t)
	vigieSite := httptest.NewServer(s)
	defer vigieSite.Close()
	framed := []string{"/embed/countries/niger", "/embed/indicators/age-of-consent", "/countries/niger", "/indicators/age-of-consent", "/"}
	member := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, "<!doctype html><title>A member's site</title>")
		for _, p := range framed {
			fmt.Fprintf(w, `<iframe src="%s%s" width="600" height="400"></iframe>`, vigieSite.URL, p)
		}
	}))
	defer member.Close()
	tab := newTab(t, ctx)
	step, cancel := context.WithTimeout(tab, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(step, chromedp.Navigate(member.URL), chromedp.WaitReady(chromedp.CSS("body"))); err != nil {
		t.Fatal(err)
	}
	// Frames load after the page: ask until each has an answer.
	state := map[string]string{}
	for range 100 {
		res, err := chromedp.Run(step, chromedp.Action[cdppage.GetFrameTreeResult](func(ctx context.Context, tg *chromedp.Target) (cdppage.GetFrameTreeResult, error) {
			return cdp.Call(ctx, tg, cdppage.GetFrameTree, cdp.Empty{})
		}))
		if err != nil {
			t.Fatal(err)
		}
		clear(state)
		for _, f := range res.FrameTree.ChildFrames {
			switch {
			case f.Frame.UnreachableURL != "":
				state[strings.TrimPrefix(f.Frame.UnreachableURL, vigieSite.URL)] = "refused"
			case strings.HasPrefix(f.Frame.URL, vigieSite.URL):
				state[strings.TrimPrefix(f.Frame.URL, vigieSite.URL)] = "framed"
			}
		}
		if len(state) == len(framed) {
			break
		}
		if err := chromedp.Do(step, chromedp.Sleep(100*time.Millisecond)); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range framed {
		want := "refused"
		if strings.HasPrefix(p, "/embed/") {
			want = "framed"
		}
		if state[p] != want {
			t.Errorf("%s in a frame on another origin: %q, want %q", p, state[p], want)
		}
	}
}

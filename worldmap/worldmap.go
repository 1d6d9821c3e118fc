// Package worldmap draws the world as an inline SVG choropleth: every ISO
// 3166-1 country is a link to its page, filled from a small palette of
// colours and patterns, with a tooltip. It works without JavaScript and
// under a Content-Security-Policy that forbids inline styles: fills and
// strokes are presentation attributes, never style attributes or <style>.
//
// The geometry, shapes.txt, is generated once by internal/genmap from
// Natural Earth (see Attribution) in the Equal Earth projection, and
// embedded. Countries too small to see at world scale, and the few the
// source does not draw, also get a marker: a small circle, linked like a
// shape.
//
// Page stylesheets need not style the map. They may: the <svg> has class
// "worldmap", each country's <a> (or <g> when it has no link) carries
// Style.Class, markers are <circle> elements, and CSS rules override the
// presentation attributes, for instance
//
//	.worldmap { width: 100%; height: auto }
//	.worldmap a:hover path, .worldmap a:focus-visible path { stroke: #000; stroke-width: 2 }
package worldmap

//go:generate go run ../internal/genmap -out shapes.txt

import (
	_ "embed"
	"fmt"
	"io"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/vigie-network/vigie"
)

//go:embed shapes.txt
var shapesTxt string

// Attribution is the note to print under the map.
const Attribution = "Map data: Natural Earth (public domain). Borders are drawn " +
	"as they are held on the ground (de facto); drawing them implies no position " +
	"on disputed territories or on who should govern them."

// Style is how Render draws one country.
type Style struct {
	Fill  Fill   // palette entry, e.g. RatingFill(rating)
	Class string // optional CSS class of the country's element, e.g. "r-yes"
	Title string // tooltip and accessible name; default the English name
	Href  string // link, e.g. "/countries/mali#age-of-consent"; none if empty
}

// Options configure Render and RenderLegend.
type Options struct {
	// Countries gives each country's style by ISO alpha-2 code. It is
	// called once per country on every Render; nil draws every country
	// FillNone, titled with its English name, unlinked.
	Countries func(iso2 string) Style
	Title     string // accessible name of the map; default "World map"
	Desc      string // optional longer description, e.g. what the colours show
	// Legend is drawn by RenderLegend, as HTML; Render ignores it.
	Legend []LegendItem
	// ID prefixes the ids of the SVG's elements ("wm" by default: wm-t,
	// wm-p2…). Give each map on a page its own.
	ID string
}

// Width and Height are the map's viewBox: x runs from 0 (180° W) to Width,
// y from 0 (north pole) to Height (south pole).
const Width, Height = 2000, 974

// markerRadius is the radius of a marker, in map units.
const markerRadius = "7"

type country struct {
	iso2, name string
	path       string // SVG path data; "" when the country is only a marker
	cx, cy     string // marker centre; "" when it has none
}

type world struct {
	viewBox   string
	land      string    // land without an ISO code: drawn, never linked
	countries []country // in drawing order: largest shapes first, markers last
	byISO2    map[string]int
}

var theWorld = sync.OnceValue(func() *world {
	w, err := parse(shapesTxt)
	if err != nil {
		panic("worldmap: shapes.txt: " + err.Error())
	}
	return w
})

func parse(data string) (*world, error) {
	w := &world{byISO2: map[string]int{}}
	var width, height int
	var markers []country
	for n, line := range strings.Split(data, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		key, rest, ok := strings.Cut(line, " ")
		if !ok {
			return nil, fmt.Errorf("line %d: no space", n+1)
		}
		switch {
		case key == "viewBox":
			if _, err := fmt.Sscanf(rest, "%d %d", &width, &height); err != nil {
				return nil, fmt.Errorf("line %d: %v", n+1, err)
			}
			w.viewBox = fmt.Sprintf("0 0 %d %d", width, height)
		case key == "-":
			if w.land != "" {
				return nil, fmt.Errorf("line %d: second line of land without a code", n+1)
			}
			w.land = rest
		case strings.HasPrefix(rest, "@"):
			x, y, ok := strings.Cut(rest[1:], ",")
			if !ok {
				return nil, fmt.Errorf("line %d: bad marker %q", n+1, rest)
			}
			markers = append(markers, country{iso2: key, cx: x, cy: y})
		default:
			w.byISO2[key] = len(w.countries)
			w.countries = append(w.countries, country{iso2: key, path: rest})
		}
	}
	if width != Width || height != Height {
		return nil, fmt.Errorf("viewBox %dx%d, want %dx%d", width, height, Width, Height)
	}
	// A country with a tiny shape and a marker is drawn once, at the end,
	// so its marker sits over its neighbours.
	for _, m := range markers {
		if i, ok := w.byISO2[m.iso2]; ok {
			m.path = w.countries[i].path
			w.countries[i].iso2 = ""
		}
		w.countries = append(w.countries, m)
	}
	kept := w.countries[:0]
	for _, c := range w.countries {
		if c.iso2 != "" {
			kept = append(kept, c)
		}
	}
	w.countries = kept
	clear(w.byISO2)
	for i := range w.countries {
		c := &w.countries[i]
		vc, ok := vigie.CountryByISO2(c.iso2)
		if !ok {
			return nil, fmt.Errorf("%s is not an ISO country", c.iso2)
		}
		if _, dup := w.byISO2[c.iso2]; dup {
			return nil, fmt.Errorf("%s is drawn twice", c.iso2)
		}
		c.name = vc.Names.EN
		w.byISO2[c.iso2] = i
	}
	return w, nil
}

// Has reports whether the map draws the country with this ISO alpha-2 code
// (in any case) as a shape, as a marker, or both: small countries whose
// islands survive the simplification have both, in one link.
func Has(iso2 string) (shape, marker bool) {
	w := theWorld()
	i, ok := w.byISO2[strings.ToUpper(iso2)]
	if !ok {
		return false, false
	}
	c := w.countries[i]
	return c.path != "", c.cx != ""
}

var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 160<<10); return &b }}

// Render writes the map as one inline <svg> element: a title and optional
// description that name it (role="group", so the links inside stay
// reachable; role="img" would hide them from assistive technology), the
// fills' patterns, the land that has no ISO code, then one <a> per
// country holding a <title> and its <path> and/or marker <circle>.
func Render(w io.Writer, opts Options) error {
	wd := theWorld()
	prefix := idPrefix(opts)
	title := opts.Title
	if title == "" {
		title = "World map"
	}
	bp := bufPool.Get().(*[]byte)
	defer bufPool.Put(bp)
	b := (*bp)[:0]

	b = append(b, `<svg xmlns="http://www.w3.org/2000/svg" class="worldmap" viewBox="`...)
	b = append(b, wd.viewBox...)
	b = append(b, `" role="group" aria-labelledby="`...)
	b = appendEscaped(b, prefix)
	b = append(b, `-t"`...)
	if opts.Desc != "" {
		b = append(b, ` aria-describedby="`...)
		b = appendEscaped(b, prefix)
		b = append(b, `-d"`...)
	}
	b = append(b, `><title id="`...)
	b = appendEscaped(b, prefix)
	b = append(b, `-t">`...)
	b = appendEscaped(b, title)
	b = append(b, "</title>"...)
	if opts.Desc != "" {
		b = append(b, `<desc id="`...)
		b = appendEscaped(b, prefix)
		b = append(b, `-d">`...)
		b = appendEscaped(b, opts.Desc)
		b = append(b, "</desc>"...)
	}
	b = appendDefs(b, prefix)
	b = append(b, `<g stroke="#fff" stroke-width=".8" stroke-linejoin="round" fill-rule="evenodd">`...)
	if wd.land != "" {
		b = append(b, `<path aria-hidden="true" fill="`...)
		b = append(b, palette[FillNone].colour...)
		b = append(b, `" d="`...)
		b = append(b, wd.land...)
		b = append(b, `"/>`...)
	}
	for i := range wd.countries {
		c := &wd.countries[i]
		var st Style
		if opts.Countries != nil {
			st = opts.Countries(c.iso2)
		}
		if st.Title == "" {
			st.Title = c.name
		}
		link := st.Href != "" && safeHref(st.Href)
		if link {
			b = append(b, `<a href="`...)
			b = appendEscaped(b, st.Href)
			b = append(b, '"')
		} else {
			b = append(b, "<g"...)
		}
		if st.Class != "" {
			b = append(b, ` class="`...)
			b = appendEscaped(b, st.Class)
			b = append(b, '"')
		}
		b = append(b, "><title>"...)
		b = appendEscaped(b, st.Title)
		b = append(b, "</title>"...)
		if c.path != "" {
			b = append(b, `<path fill="`...)
			b = appendPaint(b, prefix, st.Fill)
			b = append(b, `" d="`...)
			b = append(b, c.path...)
			b = append(b, `"/>`...)
		}
		if c.cx != "" {
			b = append(b, `<circle cx="`...)
			b = append(b, c.cx...)
			b = append(b, `" cy="`...)
			b = append(b, c.cy...)
			b = append(b, `" r="`+markerRadius+`" stroke="#222" stroke-width="1.2" fill="`...)
			b = appendPaint(b, prefix, st.Fill)
			b = append(b, `"/>`...)
		}
		if link {
			b = append(b, "</a>"...)
		} else {
			b = append(b, "</g>"...)
		}
	}
	b = append(b, "</g></svg>"...)
	*bp = b
	_, err := w.Write(b)
	return err
}

func idPrefix(opts Options) string {
	if opts.ID == "" {
		return "wm"
	}
	return opts.ID
}

// safeHref refuses links with a scheme other than http or https, such as
// javascript:, whatever the caller passes.
func safeHref(h string) bool {
	i := strings.IndexAny(h, ":/?#")
	if i < 0 || h[i] != ':' {
		return true // relative
	}
	scheme := strings.ToLower(h[:i])
	return scheme == "http" || scheme == "https"
}

// special marks the bytes appendEscaped must look at.
var special = func() (t [256]bool) {
	for c := range t {
		t[c] = c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c >= utf8.RuneSelf
	}
	for _, c := range `&<>"'` {
		t[c] = true
	}
	return t
}()

// appendEscaped appends s escaped for XML text and attribute values. It
// also replaces what XML cannot hold at all (control characters, invalid
// UTF-8) with U+FFFD, so that the output always parses.
func appendEscaped(b []byte, s string) []byte {
	last := 0
	for i := 0; i < len(s); {
		c := s[i]
		if !special[c] {
			i++
			continue
		}
		var rep string
		size := 1
		switch c {
		case '&':
			rep = "&amp;"
		case '<':
			rep = "&lt;"
		case '>':
			rep = "&gt;"
		case '"':
			rep = "&#34;"
		case '\'':
			rep = "&#39;"
		default:
			if c < utf8.RuneSelf {
				rep = "\uFFFD" // a control character
				break
			}
			r, n := utf8.DecodeRuneInString(s[i:])
			size = n
			if r == utf8.RuneError && n == 1 || r == 0xFFFE || r == 0xFFFF {
				rep = "\uFFFD"
			}
		}
		if rep != "" {
			b = append(b, s[last:i]...)
			b = append(b, rep...)
			last = i + size
		}
		i += size
	}
	return append(b, s[last:]...)
}

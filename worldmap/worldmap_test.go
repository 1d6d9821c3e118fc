package worldmap

import (
	"bytes"
	"compress/gzip"
	"encoding/xml"
	"errors"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/vigie-network/vigie"
)

func TestEveryCountryIsOnTheMap(t *testing.T) {
	all := vigie.Countries()
	if len(all) != 249 {
		t.Fatalf("vigie.Countries() has %d countries, want 249", len(all))
	}
	for _, c := range all {
		if shape, marker := Has(c.ISO2); !shape && !marker {
			t.Errorf("%s (%s) is neither a shape nor a marker", c.ISO2, c.Names.EN)
		}
	}
	if s, m := Has("ml"); !s || m {
		t.Errorf(`Has("ml") = %v, %v; want a shape only, in any case`, s, m)
	}
	if s, m := Has("XK"); s || m {
		t.Error("Kosovo has no ISO code and must not be a country of the map")
	}
}

// The generator keys shapes by mapping the atlas's numeric ids to alpha-2
// codes. A place inside each sample country must fall inside the shape
// drawn under its code.
func TestNumericToAlpha2(t *testing.T) {
	samples := []struct {
		iso2, numeric string
		lon, lat      float64 // a place well inside the country
	}{
		{"ML", "466", -4, 17},
		{"FR", "250", 2.5, 46.5},
		{"US", "840", -100, 40},
		{"RU", "643", 90, 60},
		{"RU", "643", -177, 67}, // Chukotka, east of the antimeridian
		{"FJ", "242", 178, -17.8},
		{"AU", "036", 134, -25},
		{"NO", "578", 9, 61},
		{"GF", "254", -53, 4}, // drawn inside France's geometry by the atlas
		{"SJ", "744", 17, 79.3},
		{"AQ", "010", 0, -85},
	}
	for _, s := range samples {
		c, ok := vigie.CountryByISO2(s.iso2)
		if !ok || c.Numeric != s.numeric {
			t.Errorf("%s: numeric %q, want %q", s.iso2, c.Numeric, s.numeric)
			continue
		}
		rings := countryRings(t, s.iso2)
		p := project(s.lon, s.lat)
		if !inside(rings, p) {
			t.Errorf("%s: %.1f,%.1f (map %.1f,%.1f) is not inside its shape", s.iso2, s.lon, s.lat, p[0], p[1])
		}
		for _, other := range []string{"ML", "FR", "US", "RU", "AU"} {
			if other != s.iso2 && inside(countryRings(t, other), p) {
				t.Errorf("%s: %.1f,%.1f is inside %s's shape", s.iso2, s.lon, s.lat, other)
			}
		}
	}
}

func TestCoordinatesInViewBox(t *testing.T) {
	w := theWorld()
	check := func(name, d string) {
		rings, err := parsePath(d)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, r := range rings {
			for _, p := range r {
				if p[0] < 0 || p[0] > Width || p[1] < 0 || p[1] > Height {
					t.Errorf("%s: point %v outside the viewBox", name, p)
					return
				}
			}
		}
	}
	check("land", w.land)
	for _, c := range w.countries {
		check(c.iso2, c.path)
		if c.cx != "" {
			x, err1 := strconv.ParseFloat(c.cx, 64)
			y, err2 := strconv.ParseFloat(c.cy, 64)
			if err1 != nil || err2 != nil || x < 0 || x > Width || y < 0 || y > Height {
				t.Errorf("%s: marker %s,%s outside the viewBox", c.iso2, c.cx, c.cy)
			}
		}
	}
}

// Countries astride the antimeridian must be cut there, not joined by
// lines across the whole map.
func TestAntimeridian(t *testing.T) {
	for _, iso2 := range []string{"RU", "FJ", "AQ", "KI", "US", "NZ"} {
		for _, r := range countryRings(t, iso2) {
			for i, p := range r {
				q := r[(i+1)%len(r)]
				if p[1] >= Height-1 && q[1] >= Height-1 {
					continue // Antarctica's edge along the south pole line
				}
				if math.Abs(q[0]-p[0]) > Width/2 {
					t.Errorf("%s: segment %v → %v spans half the map", iso2, p, q)
				}
			}
		}
	}
	// Both halves of Russia are drawn, up to the map's edges: Chukotka
	// east of 180° reaches the west edge, the rest the east edge, where
	// the coast crosses the antimeridian at about 65° N.
	var minX, maxX = math.Inf(1), math.Inf(-1)
	for _, r := range countryRings(t, "RU") {
		for _, p := range r {
			minX, maxX = math.Min(minX, p[0]), math.Max(maxX, p[0])
		}
	}
	west, east := project(-180, 65), project(180, 65)
	if minX > west[0]+1 || maxX < east[0]-1 {
		t.Errorf("Russia spans x %v…%v; want %.0f…%.0f, edge to edge", minX, maxX, west[0], east[0])
	}
}

func TestSmallCountriesAreMarkers(t *testing.T) {
	for _, iso2 := range []string{"MT", "SG", "TV", "VA", "MC", "BH"} {
		if _, marker := Has(iso2); !marker {
			t.Errorf("%s should be a marker", iso2)
		}
	}
	for _, iso2 := range []string{"FR", "ML", "GM", "SN", "BR", "LS"} {
		if shape, marker := Has(iso2); !shape || marker {
			t.Errorf("Has(%s) = %v, %v; want a shape and no marker", iso2, shape, marker)
		}
	}
}

// realistic renders the map as the site does: every country linked and
// titled.
func realistic() Options {
	ratings := []string{"Yes", "Partial", "No", "No Data", "Assessed, Not Rated", "Not Yet Assessed"}
	keys := []string{vigie.RatingYes, vigie.RatingPartial, vigie.RatingNo, vigie.RatingNoData, vigie.RatingNotRated, vigie.RatingNotYetAssessed}
	styles := map[string]Style{}
	for i, c := range vigie.Countries() {
		k := (i * 7) % len(keys)
		styles[c.ISO2] = Style{
			Fill:  RatingFill(keys[k]),
			Class: "r-" + keys[k],
			Title: c.Names.EN + ": " + ratings[k],
			Href:  "/countries/" + c.Slug + "#age-of-consent",
		}
	}
	return Options{
		Title:     "Age of Consent around the world",
		Desc:      "Each country is coloured by its rating for this indicator.",
		Countries: func(iso2 string) Style { return styles[iso2] },
	}
}

func TestCompressedSize(t *testing.T) {
	var out bytes.Buffer
	if err := Render(&out, realistic()); err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.DefaultCompression)
	zw.Write(out.Bytes())
	zw.Close()
	t.Logf("map: %d bytes, %d gzipped; shapes.txt: %d bytes", out.Len(), gz.Len(), len(shapesTxt))
	if gz.Len() > 60<<10 {
		t.Errorf("map is %d bytes gzipped; the budget is 60 KB", gz.Len())
	}
	if n := strings.Count(out.String(), "<a href="); n != 249 {
		t.Errorf("%d links, want 249", n)
	}
}

func TestWellFormedAndEscaped(t *testing.T) {
	nasty := `<script>alert("x")</script> "&' é`
	var out bytes.Buffer
	err := Render(&out, Options{
		Title: "Map & <legend>",
		Desc:  nasty,
		Countries: func(iso2 string) Style {
			st := Style{Title: iso2 + " " + nasty, Href: "/countries/x?a=1&b=\"2\"", Class: `r"x`, Fill: Fill(200)}
			if iso2 == "ML" {
				st.Href = "javascript:alert(1)"
			}
			return st
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	s := out.String()
	if strings.Contains(s, "<script") || strings.Contains(s, "javascript:") || strings.Contains(s, `style=`) || strings.Contains(s, "<style") {
		t.Errorf("output has a script, a javascript: link or an inline style")
	}
	dec := xml.NewDecoder(&out)
	var titles []string
	var inTitle bool
	var links int
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			inTitle = tok.Name.Local == "title"
			if tok.Name.Local == "a" {
				links++
				for _, a := range tok.Attr {
					if a.Name.Local == "href" && a.Value != `/countries/x?a=1&b="2"` {
						t.Errorf("href decodes to %q", a.Value)
					}
				}
			}
		case xml.CharData:
			if inTitle {
				titles = append(titles, string(tok))
			}
		case xml.EndElement:
			inTitle = false
		}
	}
	if titles[0] != "Map & <legend>" {
		t.Errorf("map title decodes to %q", titles[0])
	}
	if want := "MT " + nasty; !contains(titles, want) {
		t.Errorf("no country title decodes to %q", want)
	}
	if links != 248 {
		t.Errorf("%d links, want 248 (every country but Mali's javascript: link)", links)
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func TestAppendEscapedInvalid(t *testing.T) {
	got := string(appendEscaped(nil, "a\x00b\xffc\u00e9d"))
	if got != "a\uFFFDb\uFFFDc\u00e9d" {
		t.Errorf("got %q", got)
	}
}

func TestRenderLegend(t *testing.T) {
	var out bytes.Buffer
	err := RenderLegend(&out, Options{ID: "m2", Legend: []LegendItem{
		{FillSolid, "Yes"}, {FillHatched, "Partial & more"}, {FillNone, "Not Yet Assessed"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	s := out.String()
	for _, want := range []string{`<ul class="map-legend">`, "Partial &amp; more", `id="m2-l2"`, `fill="url(#m2-l2)"`, `fill="#1f5c99"`} {
		if !strings.Contains(s, want) {
			t.Errorf("legend lacks %q:\n%s", want, s)
		}
	}
	dec := xml.NewDecoder(strings.NewReader(s))
	for {
		if _, err := dec.Token(); err != nil {
			if !errors.Is(err, io.EOF) {
				t.Fatalf("legend is not well-formed: %v", err)
			}
			break
		}
	}
}

func TestRatingFill(t *testing.T) {
	seen := map[Fill]bool{}
	for _, r := range vigie.DefaultRatings() {
		f := RatingFill(r.Key)
		if seen[f] {
			t.Errorf("%s shares fill %s with another rating", r.Key, f)
		}
		seen[f] = true
	}
	if RatingFill(vigie.RatingNotYetAssessed) != FillNone || RatingFill("unknown") != FillNone {
		t.Error("unassessed and unknown ratings should be FillNone")
	}
}

// TestPreview writes the realistic map to $WORLDMAP_PREVIEW, to look at.
func TestPreview(t *testing.T) {
	path := os.Getenv("WORLDMAP_PREVIEW")
	if path == "" {
		t.Skip("set WORLDMAP_PREVIEW=file.svg to write a preview")
	}
	var out bytes.Buffer
	out.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	if err := Render(&out, realistic()); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func BenchmarkRender(b *testing.B) {
	opts := realistic()
	theWorld()
	b.ReportAllocs()
	for b.Loop() {
		if err := Render(io.Discard, opts); err != nil {
			b.Fatal(err)
		}
	}
}

// countryRings returns the rings of a country's path.
func countryRings(t *testing.T, iso2 string) [][][2]float64 {
	t.Helper()
	w := theWorld()
	i, ok := w.byISO2[iso2]
	if !ok {
		t.Fatalf("%s is not on the map", iso2)
	}
	rings, err := parsePath(w.countries[i].path)
	if err != nil {
		t.Fatalf("%s: %v", iso2, err)
	}
	return rings
}

// parsePath reads SVG path data made of moveto, lineto (incl. h and v) and
// closepath commands, absolute or relative, into rings of absolute points.
func parsePath(d string) ([][][2]float64, error) {
	var rings [][][2]float64
	var cur [][2]float64
	var x, y, sx, sy float64
	var cmd byte
	first := true
	i := 0
	number := func() (float64, error) {
		for i < len(d) && (d[i] == ' ' || d[i] == ',') {
			i++
		}
		j := i
		if j < len(d) && (d[j] == '-' || d[j] == '+') {
			j++
		}
		for j < len(d) && (d[j] >= '0' && d[j] <= '9' || d[j] == '.') {
			j++
		}
		v, err := strconv.ParseFloat(d[i:j], 64)
		i = j
		return v, err
	}
	for {
		for i < len(d) && (d[i] == ' ' || d[i] == ',') {
			i++
		}
		if i >= len(d) {
			break
		}
		if c := d[i]; strings.IndexByte("mMlLhHvVzZ", c) >= 0 {
			cmd = c
			i++
			if c == 'z' || c == 'Z' {
				if len(cur) > 0 {
					rings = append(rings, cur)
				}
				cur = nil
				x, y = sx, sy
				continue
			}
		} else if cmd == 0 || cmd == 'z' || cmd == 'Z' {
			return nil, errors.New("number without a command at " + strconv.Itoa(i))
		}
		rel := cmd >= 'a'
		var dx, dy float64
		var err error
		switch cmd | 0x20 {
		case 'm', 'l':
			if dx, err = number(); err == nil {
				dy, err = number()
			}
		case 'h':
			dx, err = number()
			if !rel {
				dy = y
			}
		case 'v':
			dy, err = number()
			if !rel {
				dx = x
			}
		}
		if err != nil {
			return nil, err
		}
		if rel && !(first && cmd == 'm') {
			x, y = x+dx, y+dy
		} else {
			x, y = dx, dy
		}
		first = false
		if cmd|0x20 == 'm' {
			if len(cur) > 0 {
				rings = append(rings, cur)
			}
			cur = nil
			sx, sy = x, y
			if cmd == 'm' {
				cmd = 'l'
			} else {
				cmd = 'L'
			}
		}
		cur = append(cur, [2]float64{x, y})
	}
	if len(cur) > 0 {
		rings = append(rings, cur)
	}
	return rings, nil
}

// inside reports whether p is inside the rings under the even-odd rule.
func inside(rings [][][2]float64, p [2]float64) bool {
	in := false
	for _, r := range rings {
		for i := range r {
			a, b := r[i], r[(i+1)%len(r)]
			if (a[1] > p[1]) != (b[1] > p[1]) && p[0] < (b[0]-a[0])*(p[1]-a[1])/(b[1]-a[1])+a[0] {
				in = !in
			}
		}
	}
	return in
}

// project is Equal Earth scaled to the viewBox, as the generator does it.
func project(lon, lat float64) [2]float64 {
	const a1, a2, a3, a4 = 1.340264, -0.081106, 0.000893, 0.003796
	m := math.Sqrt(3) / 2
	xy := func(lon, lat float64) (float64, float64) {
		l, p := lon*math.Pi/180, lat*math.Pi/180
		th := math.Asin(m * math.Sin(p))
		t2 := th * th
		t6 := t2 * t2 * t2
		return l * math.Cos(th) / (m * (a1 + 3*a2*t2 + t6*(7*a3+9*a4*t2))), th * (a1 + a2*t2 + t6*(a3+a4*t2))
	}
	xMax, _ := xy(180, 0)
	_, yMax := xy(0, 90)
	k := Width / (2 * xMax)
	x, y := xy(lon, lat)
	return [2]float64{(x + xMax) * k, (yMax - y) * k}
}

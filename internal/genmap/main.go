// Command genmap writes worldmap/shapes.txt, the world map that package
// worldmap embeds: one projected, simplified SVG path per country, keyed by
// ISO 3166-1 alpha-2, and a marker point for each country too small to see
// at world scale or missing from the source.
//
// The geometry is Natural Earth 1:50m (public domain) as the npm package
// world-atlas (ISC) ships it: TopoJSON whose ids are zero-padded ISO
// numeric codes. This command decodes the arcs, cuts the rings that cross
// the antimeridian (Russia, Fiji, Antarctica) and closes them along the
// map's edge, projects with Equal Earth, simplifies each shared arc once
// (Visvalingam–Whyatt) so neighbours keep a common border, and rounds to
// whole map units in a 2000-unit-wide viewBox. It needs npm and the
// network, so its output is committed rather than built in CI.
//
//	go run ./internal/genmap              # fetches world-atlas with npm pack
//	go run ./internal/genmap -src DIR     # DIR holds countries-50m.json
//
// The output is deterministic: the same package version and flags give the
// same file.
package main

import (
	"bufio"
	"cmp"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/vigie-network/vigie"
)

// npmPackage is fetched when -src is not given. Pinned so that a rerun only
// changes the map when someone bumps it on purpose.
const npmPackage = "world-atlas@2.0.2"

// atlasFile is the resolution used: the 1:110m file leaves out about forty
// small states, the 1:10m one is five times bigger for detail that the
// simplification throws away.
const atlasFile = "countries-50m.json"

// landKey keys the geometries that have no ISO code (Kosovo, Northern
// Cyprus, Somaliland, the Siachen Glacier): they are drawn as land so the
// map has no holes, but they are not linked or coloured.
const landKey = "-"

// A split moves polygons that ISO 3166-1 counts as a country of their own
// but Natural Earth draws as part of another geometry to that country: the
// polygons of from whose bounding box centre falls in box.
type split struct {
	from string     // numeric id, or the name of a geometry without one
	to   string     // ISO alpha-2
	box  [4]float64 // west, south, east, north
}

var splits = []split{
	{"250", "GF", [4]float64{-55, 1, -51, 6}},           // French Guiana, in France
	{"250", "GP", [4]float64{-62, 15.7, -61, 16.7}},     // Guadeloupe
	{"250", "MQ", [4]float64{-61.4, 14.2, -60.7, 15}},   // Martinique
	{"250", "RE", [4]float64{55, -21.6, 56, -20.6}},     // Réunion
	{"250", "YT", [4]float64{44.8, -13.2, 45.5, -12.4}}, // Mayotte
	{"578", "SJ", [4]float64{5, 74, 35, 81}},            // Svalbard, in Norway
	{"578", "SJ", [4]float64{-10, 70.5, -7, 71.5}},      // Jan Mayen
	{"528", "BQ", [4]float64{-68.6, 11.9, -68.0, 12.5}}, // Bonaire, in the Netherlands
	{"528", "BQ", [4]float64{-63.4, 17.3, -62.8, 17.8}}, // Saba and Sint Eustatius
	{"Indian Ocean Ter.", "CX", [4]float64{105, -11, 106, -10}},
	{"Indian Ocean Ter.", "CC", [4]float64{96, -13, 97.5, -11.5}},
}

// absent are the ISO countries that countries-50m.json does not draw at
// all, placed by hand (lon, lat of the main island or town). A country
// listed here that the file does draw gets its shape instead, with a
// warning, so that a newer atlas wins over this table.
var absent = map[string]lonLat{
	"BV": {3.36, -54.42},   // Bouvet Island
	"GI": {-5.35, 36.14},   // Gibraltar: within Spain's polygon at this scale
	"TK": {-171.85, -9.17}, // Tokelau: Nukunonu, the middle atoll
	"TV": {179.19, -8.52},  // Tuvalu: Funafuti
	"UM": {166.63, 19.29},  // U.S. Minor Outlying Islands: Wake Island, the largest
}

// markerAt places the marker of a small country where readers look for it
// rather than on its largest island.
var markerAt = map[string]lonLat{
	"KI": {173.03, 1.42}, // Kiribati: Tarawa, the capital, not Kiritimati 3,000 km east
}

type params struct {
	width    float64 // viewBox width; coordinates are whole units of it
	minArea  float64 // Visvalingam threshold, map units²
	minRing  float64 // rings smaller than this (map units²) are dropped
	minSize  float64 // countries whose largest ring is smaller than this get a marker
	keepTiny bool    // draw a marker country's shape as well, when it survives
	verbose  bool
}

func main() {
	src := flag.String("src", "", "folder of the unpacked world-atlas package (default: fetch "+npmPackage+" with npm pack)")
	out := flag.String("out", filepath.Join("worldmap", "shapes.txt"), "file to write")
	var p params
	flag.Float64Var(&p.width, "width", 2000, "viewBox width in map units")
	flag.Float64Var(&p.minArea, "simplify", 0.4, "Visvalingam area threshold in map units²")
	flag.Float64Var(&p.minRing, "min-ring", 1, "drop rings smaller than this many map units²")
	flag.Float64Var(&p.minSize, "marker-below", 10, "mark countries whose largest ring's bounding box is under this many map units")
	flag.BoolVar(&p.keepTiny, "keep-tiny", true, "also draw the shapes of marked countries that survive simplification")
	flag.BoolVar(&p.verbose, "v", false, "log each country's size")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("genmap: ")
	if err := run(*src, *out, p); err != nil {
		log.Fatal(err)
	}
}

func run(src, out string, p params) error {
	version := npmPackage
	if src == "" {
		dir, err := os.MkdirTemp("", "genmap")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		if err := fetch(dir); err != nil {
			return err
		}
		src = filepath.Join(dir, "package")
	} else {
		var pkg struct{ Name, Version string }
		if data, err := os.ReadFile(filepath.Join(src, "package.json")); err == nil && json.Unmarshal(data, &pkg) == nil {
			version = pkg.Name + "@" + pkg.Version
		}
	}
	data, err := os.ReadFile(filepath.Join(src, atlasFile))
	if err != nil {
		return err
	}
	var topo topology
	if err := json.Unmarshal(data, &topo); err != nil {
		return fmt.Errorf("%s: %w", atlasFile, err)
	}
	m, err := build(&topo, p)
	if err != nil {
		return err
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	m.write(w, version, p)
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	st, _ := os.Stat(out)
	var markers []string
	for _, e := range m.markers {
		markers = append(markers, e.key)
	}
	log.Printf("wrote %s: %d bytes, %d shapes, %d markers: %s", out, st.Size(), len(m.shapes), len(m.markers), strings.Join(markers, " "))
	return nil
}

// fetch unpacks the npm package into dir.
func fetch(dir string) error {
	pack := exec.Command("npm", "pack", "--silent", npmPackage)
	pack.Dir, pack.Stderr = dir, os.Stderr
	tgz, err := pack.Output()
	if err != nil {
		return fmt.Errorf("npm pack %s: %w", npmPackage, err)
	}
	untar := exec.Command("tar", "xzf", strings.TrimSpace(string(tgz)))
	untar.Dir, untar.Stderr = dir, os.Stderr
	if err := untar.Run(); err != nil {
		return fmt.Errorf("untar: %w", err)
	}
	return nil
}

type shape struct {
	key  string
	path string  // SVG path data
	area float64 // map units², to draw big countries first
}

type marker struct {
	key string
	at  pt
}

type worldMap struct {
	f       frame
	shapes  []shape
	markers []marker
}

func build(topo *topology, p params) (*worldMap, error) {
	f := newFrame(p.width)
	byNumeric := map[string]string{}
	for _, c := range vigie.Countries() {
		byNumeric[c.Numeric] = c.ISO2
	}
	arcs, err := topo.decodeArcs()
	if err != nil {
		return nil, err
	}
	// Cut, project and simplify every arc once; rings use them as is or
	// reversed.
	pieces := make([][]piece, len(arcs))
	for i, a := range arcs {
		ps := cutArc(a)
		for j := range ps {
			ps[j].full = make([]pt, len(ps[j].ll))
			for k, q := range ps[j].ll {
				ps[j].full[k] = f.project(q)
			}
			ps[j].simp = simplify(ps[j].full, p.minArea)
		}
		pieces[i] = ps
	}
	arcPieces := func(ref int) []piece {
		if ref >= 0 {
			return pieces[ref]
		}
		ps := pieces[^ref]
		out := make([]piece, len(ps))
		for i, pc := range ps {
			out[len(ps)-1-i] = pc.reversed()
		}
		return out
	}

	obj, ok := topo.Objects["countries"]
	if !ok {
		return nil, fmt.Errorf("%s has no countries object", atlasFile)
	}
	rings := map[string][]ring{}
	usedSplit := make([]bool, len(splits))
	for _, g := range obj.Geometries {
		from := g.Properties.Name
		key := landKey
		if g.ID != nil {
			from = *g.ID
			if key, ok = byNumeric[*g.ID]; !ok {
				return nil, fmt.Errorf("geometry %s (%s): no ISO country has this numeric code", *g.ID, g.Properties.Name)
			}
		}
		polys, err := g.polygons()
		if err != nil {
			return nil, fmt.Errorf("geometry %s: %w", from, err)
		}
		for _, poly := range polys {
			k := key
			c := lonLatCentre(arcs, poly[0])
			for i, s := range splits {
				if s.from == from && c.Lon >= s.box[0] && c.Lat >= s.box[1] && c.Lon <= s.box[2] && c.Lat <= s.box[3] {
					k = s.to
					usedSplit[i] = true
				}
			}
			if k == landKey && g.ID == nil && slices.ContainsFunc(splits, func(s split) bool { return s.from == from }) {
				return nil, fmt.Errorf("%s: a polygon at %.2f, %.2f is in no split box", from, c.Lon, c.Lat)
			}
			for _, refs := range poly {
				var seq []piece
				for _, ref := range refs {
					seq = append(seq, arcPieces(ref)...)
				}
				rs, err := closeRings(f, seq)
				if err != nil {
					return nil, fmt.Errorf("%s (%s): %w", from, g.Properties.Name, err)
				}
				rings[k] = append(rings[k], rs...)
			}
		}
	}
	for i, used := range usedSplit {
		if !used {
			return nil, fmt.Errorf("split %s → %s matched no polygon", splits[i].from, splits[i].to)
		}
	}

	m := &worldMap{f: f}
	for key, rs := range rings {
		var simp [][]pt
		var total float64
		largest := -1
		for i, r := range rs {
			a := math.Abs(area(r.full))
			total += a
			if largest < 0 || a > math.Abs(area(rs[largest].full)) {
				largest = i
			}
			simp = append(simp, r.simp)
		}
		path := encodePath(f, simp, p.minRing)
		small := bounds(rs[largest].full).size() < p.minSize || path == ""
		if p.verbose && key != landKey {
			log.Printf("%s: largest ring %.1f units, path %d bytes, marker %v", key, bounds(rs[largest].full).size(), len(path), small)
		}
		if key != landKey && small {
			at := centroid(rs[largest].full)
			if ll, ok := markerAt[key]; ok {
				at = f.project(ll)
			}
			m.markers = append(m.markers, marker{key, at})
			if !p.keepTiny {
				path = ""
			}
		}
		if path != "" {
			m.shapes = append(m.shapes, shape{key, path, total})
		}
	}
	for key, ll := range absent {
		if _, ok := rings[key]; ok {
			log.Printf("warning: %s is in the atlas now; drop it from the absent table", key)
			continue
		}
		m.markers = append(m.markers, marker{key, f.project(ll)})
	}
	slices.SortFunc(m.shapes, func(a, b shape) int {
		if c := cmp.Compare(b.area, a.area); c != 0 {
			return c
		}
		return strings.Compare(a.key, b.key)
	})
	slices.SortFunc(m.markers, func(a, b marker) int { return strings.Compare(a.key, b.key) })

	// Every ISO country must be on the map.
	on := map[string]bool{}
	for _, s := range m.shapes {
		on[s.key] = true
	}
	for _, mk := range m.markers {
		on[mk.key] = true
	}
	var missing []string
	for _, c := range vigie.Countries() {
		if !on[c.ISO2] {
			missing = append(missing, c.ISO2+" "+c.Names.EN)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("not on the map: %s", strings.Join(missing, ", "))
	}
	return m, nil
}

// lonLatCentre returns the centre of the bounding box of a ring's points.
func lonLatCentre(arcs [][]lonLat, refs []int) lonLat {
	minLon, minLat, maxLon, maxLat := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, ref := range refs {
		if ref < 0 {
			ref = ^ref
		}
		for _, q := range arcs[ref] {
			minLon, maxLon = math.Min(minLon, q.Lon), math.Max(maxLon, q.Lon)
			minLat, maxLat = math.Min(minLat, q.Lat), math.Max(maxLat, q.Lat)
		}
	}
	return lonLat{(minLon + maxLon) / 2, (minLat + maxLat) / 2}
}

type ipt struct{ X, Y int }

// quantize rounds a ring to whole map units, clamps it into the viewBox,
// and drops repeated points, spikes and points on a straight line. It
// returns nil for a ring that ends up with no area to speak of.
func quantize(f frame, r []pt, minRing float64) []ipt {
	w, h := int(f.Width), int(math.Ceil(f.Height))
	var out []ipt
	for _, p := range r {
		q := ipt{min(max(int(math.Round(p.X)), 0), w), min(max(int(math.Round(p.Y)), 0), h)}
		if n := len(out); n > 0 && out[n-1] == q {
			continue
		}
		for n := len(out); n >= 2 && cross(out[n-2], out[n-1], q) == 0; n = len(out) {
			out = out[:n-1]
		}
		if n := len(out); n > 0 && out[n-1] == q {
			continue
		}
		out = append(out, q)
	}
	for len(out) > 1 && out[0] == out[len(out)-1] {
		out = out[:len(out)-1]
	}
	if len(out) < 3 {
		return nil
	}
	var a int
	for i := range out {
		p, q := out[i], out[(i+1)%len(out)]
		a += p.X*q.Y - q.X*p.Y
	}
	if math.Abs(float64(a))/2 < minRing {
		return nil
	}
	return out
}

func cross(a, b, c ipt) int {
	return (b.X-a.X)*(c.Y-b.Y) - (b.Y-a.Y)*(c.X-b.X)
}

// encodePath writes rings as compact SVG path data: every ring is a
// relative moveto ("m", absolute when it opens the path, else relative to
// the previous ring's start, where "z" leaves the pen) followed by the
// implicit relative linetos that "m" allows, and "z".
func encodePath(f frame, rings [][]pt, minRing float64) string {
	var b []byte
	var start ipt
	num := false // the last thing written is a number
	put := func(v int) {
		if num && v >= 0 {
			b = append(b, ' ')
		}
		b = strconv.AppendInt(b, int64(v), 10)
		num = true
	}
	for _, r := range rings {
		q := quantize(f, r, minRing)
		if q == nil {
			continue
		}
		b = append(b, 'm')
		num = false
		put(q[0].X - start.X)
		put(q[0].Y - start.Y)
		for i := 1; i < len(q); i++ {
			put(q[i].X - q[i-1].X)
			put(q[i].Y - q[i-1].Y)
		}
		b = append(b, 'z')
		num = false
		start = q[0]
	}
	return string(b)
}

func (m *worldMap) write(w *bufio.Writer, version string, p params) {
	fmt.Fprintf(w, "# Generated by internal/genmap from %s (%s, Natural Earth 1:50m, public domain). DO NOT EDIT.\n", version, atlasFile)
	fmt.Fprintf(w, "# Equal Earth projection; Visvalingam %.2g units²; rings under %.2g units² dropped; markers under %g units.\n", p.minArea, p.minRing, p.minSize)
	fmt.Fprintf(w, "# Lines: \"viewBox W H\"; \"KEY PATH\" (shapes, largest first; KEY %q is land without an ISO code); \"KEY @X,Y\" (markers).\n", landKey)
	fmt.Fprintf(w, "viewBox %g %g\n", m.f.Width, math.Ceil(m.f.Height))
	for _, s := range m.shapes {
		fmt.Fprintf(w, "%s %s\n", s.key, s.path)
	}
	for _, mk := range m.markers {
		fmt.Fprintf(w, "%s @%s,%s\n", mk.key, oneDecimal(mk.at.X), oneDecimal(mk.at.Y))
	}
}

func oneDecimal(v float64) string {
	return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64)
}

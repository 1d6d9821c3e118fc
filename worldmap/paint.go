package worldmap

import (
	"strconv"
	"strings"
)

// PatternDefs returns a <defs> element with the patterns of the patterned
// fills at one unit per CSS pixel, as the legend draws them, for other
// drawings of the same palette (the site's charts). Their ids are
// prefix+"-c"+digit; Paint names them.
func PatternDefs(prefix string) string {
	b := []byte("<defs>")
	for i, p := range palette {
		if p.pattern != "" {
			b = appendPattern(b, prefix+"-c", Fill(i), false)
		}
	}
	return string(append(b, "</defs>"...))
}

// Paint returns the value of a fill attribute for f in a drawing that
// holds PatternDefs(prefix): a colour, or a reference to its pattern.
func Paint(prefix string, f Fill) string {
	b := appendPaint(nil, prefix, f)
	// appendPaint names the map's patterns, "-p"; the charts' are "-c".
	return strings.Replace(string(b), prefix+"-p", prefix+"-c", 1)
}

// Colour returns the background colour of a fill, "#rrggbb": what a
// drawing without patterns, such as a raster image, paints it with.
func Colour(f Fill) string {
	if f >= numFills {
		f = FillNone
	}
	return palette[f].colour
}

// Shape is one country as the map draws it: SVG path data in map units
// (a first absolute "m", then relative "m", implicit lines and "z"), and
// a marker's centre for a country too small to see.
type Shape struct {
	ISO2   string
	Path   string // "" when the country is only a marker
	Marker bool
	X, Y   float64 // the marker's centre
}

// Shapes returns the map's countries in drawing order, and the path of
// the land that has no ISO code, for drawings other than the SVG map.
func Shapes() (countries []Shape, land string) {
	w := theWorld()
	for _, c := range w.countries {
		s := Shape{ISO2: c.iso2, Path: c.path}
		if c.cx != "" {
			s.Marker = true
			s.X, _ = strconv.ParseFloat(c.cx, 64)
			s.Y, _ = strconv.ParseFloat(c.cy, 64)
		}
		countries = append(countries, s)
	}
	return countries, w.land
}

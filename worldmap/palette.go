package worldmap

import (
	"io"

	"github.com/vigie-network/vigie"
)

// Fill is one entry of the map's fixed palette: a colour and, for all but
// the two plain entries, a pattern, so that the categories still differ in
// greyscale print and for readers who do not tell the colours apart. The
// blues and the orange are the pair that the common forms of colour
// blindness keep apart; the patterns carry the rest.
//
// The comments give the rating each fill is meant for; RatingFill applies
// that mapping to the built-in rating keys.
type Fill uint8

const (
	FillNone    Fill = iota // pale grey, plain: nothing to show ("not yet assessed")
	FillSolid               // dark blue, plain ("yes")
	FillHatched             // light blue, dark blue diagonal hatching ("partial")
	FillCrossed             // orange, dark brown cross-hatching ("no")
	FillDotted              // white, grey dots ("no data")
	FillLined               // light grey, grey horizontal lines ("assessed, not rated")
	numFills
)

// paint describes a fill. Patterns are drawn in a 4-unit tile: CSS pixels
// in the legend's swatches, scaled by two on the map, whose viewBox is 2000
// units wide, so that a map shown about 1000 pixels wide has the same
// texture as its legend.
type paint struct {
	name    string // for documentation and tests
	colour  string // background
	pattern string // tile content, drawn over the background; "" for plain
	rotate  bool   // turn the tile 45°
}

var palette = [numFills]paint{
	FillNone:    {name: "none", colour: "#e3e3e3"},
	FillSolid:   {name: "solid", colour: "#1f5c99"},
	FillHatched: {name: "hatched", colour: "#a6cbe8", rotate: true, pattern: `<path d="M1 0v4" stroke="#1f5c99" stroke-width="1.3"/>`},
	FillCrossed: {name: "crossed", colour: "#e8822a", rotate: true, pattern: `<path d="M1 0v4M0 1h4" stroke="#6b3200" stroke-width=".8"/>`},
	FillDotted:  {name: "dotted", colour: "#f2f2f2", pattern: `<circle cx="2" cy="2" r=".9" fill="#5a5a5a"/>`},
	FillLined:   {name: "lined", colour: "#d4d4d4", pattern: `<path d="M0 1h4" stroke="#6e6e6e" stroke-width=".8"/>`},
}

// String returns the fill's name: "none", "solid", "hatched"…
func (f Fill) String() string {
	if f >= numFills {
		return "none"
	}
	return palette[f].name
}

// RatingFill returns the fill for one of the built-in rating keys
// (vigie.RatingYes…); FillNone for "not-yet-assessed" and for keys it does
// not know, so a site with its own scale maps its keys itself.
func RatingFill(key string) Fill {
	switch key {
	case vigie.RatingYes:
		return FillSolid
	case vigie.RatingPartial:
		return FillHatched
	case vigie.RatingNo:
		return FillCrossed
	case vigie.RatingNoData:
		return FillDotted
	case vigie.RatingNotRated:
		return FillLined
	}
	return FillNone
}

// appendDefs appends the <pattern> elements of the patterned fills, with
// ids prefix+"-p"+index.
func appendDefs(b []byte, prefix string) []byte {
	b = append(b, "<defs>"...)
	for i, p := range palette {
		if p.pattern == "" {
			continue
		}
		b = appendPattern(b, prefix+"-p", Fill(i), true)
	}
	return append(b, "</defs>"...)
}

func appendPattern(b []byte, idPrefix string, f Fill, onMap bool) []byte {
	p := palette[f]
	b = append(b, `<pattern id="`...)
	b = appendEscaped(b, idPrefix)
	b = append(b, byte('0'+f))
	b = append(b, `" width="4" height="4" patternUnits="userSpaceOnUse"`...)
	switch {
	case onMap && p.rotate:
		b = append(b, ` patternTransform="scale(2) rotate(45)"`...)
	case onMap:
		b = append(b, ` patternTransform="scale(2)"`...)
	case p.rotate:
		b = append(b, ` patternTransform="rotate(45)"`...)
	}
	b = append(b, `><rect width="4" height="4" fill="`...)
	b = append(b, p.colour...)
	b = append(b, `"/>`...)
	b = append(b, p.pattern...)
	return append(b, "</pattern>"...)
}

// appendPaint appends the value of a fill attribute.
func appendPaint(b []byte, prefix string, f Fill) []byte {
	if f >= numFills {
		f = FillNone
	}
	if palette[f].pattern == "" {
		return append(b, palette[f].colour...)
	}
	b = append(b, "url(#"...)
	b = appendEscaped(b, prefix)
	b = append(b, "-p"...)
	b = append(b, byte('0'+f))
	return append(b, ')')
}

// LegendItem is one line of the legend: a fill and what it means.
type LegendItem struct {
	Fill  Fill
	Label string // "Yes", "Not Yet Assessed"
}

// RenderLegend writes opts.Legend as an HTML list, <ul class="map-legend">,
// one <li> per item: a small self-contained SVG swatch of the item's fill
// (hidden from screen readers, which read the label) and the label. The
// legend is HTML rather than part of the map so that its text wraps and
// scales with the page's font on a narrow screen. Its pattern ids use
// opts.ID too ("wm-l2"), so they do not clash with the map's. The page's
// stylesheet lays the list out, e.g.
//
//	.map-legend { list-style: none; display: flex; flex-wrap: wrap; gap: .25rem 1rem; padding: 0 }
//	.map-legend .swatch { vertical-align: middle }
func RenderLegend(w io.Writer, opts Options) error {
	prefix := idPrefix(opts)
	b := make([]byte, 0, 256*len(opts.Legend)+64)
	b = append(b, `<ul class="map-legend">`...)
	for _, it := range opts.Legend {
		f := it.Fill
		if f >= numFills {
			f = FillNone
		}
		b = append(b, `<li><svg class="swatch" width="20" height="14" viewBox="0 0 20 14" aria-hidden="true" focusable="false">`...)
		fill := palette[f].colour
		if palette[f].pattern != "" {
			b = append(b, "<defs>"...)
			b = appendPattern(b, prefix+"-l", f, false)
			b = append(b, "</defs>"...)
			fill = "url(#" + prefix + "-l" + string(rune('0'+f)) + ")"
		}
		b = append(b, `<rect x=".5" y=".5" width="19" height="13" stroke="#555" fill="`...)
		b = appendEscaped(b, fill)
		b = append(b, `"/></svg> `...)
		b = appendEscaped(b, it.Label)
		b = append(b, "</li>"...)
	}
	b = append(b, "</ul>"...)
	_, err := w.Write(b)
	return err
}

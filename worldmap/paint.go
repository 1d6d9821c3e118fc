package worldmap

import "strings"

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

package web

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"net/http"
	"strconv"
	"strings"
	"sync"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/worldmap"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"
)

// Share images (issue #15): the picture a link to a page shows when it is
// shared, 1200 × 630 PNG, drawn on the server in Go with the Go fonts. A
// country's card holds its name and nine ratings; an indicator's, its
// world map. The page cache keeps each image for the data version it was
// drawn from, like a page.

const ogWidth, ogHeight = 1200, 630

func (s *Server) shareRoutes(mux *http.ServeMux) {
	// No extension: a file's address is the same in every language
	// (lang.go), and these images are drawn in the page's language.
	mux.HandleFunc("GET /og/site", s.handleSiteImage)
	mux.HandleFunc("GET /og/countries/{slug}", s.handleCountryImage)
	mux.HandleFunc("GET /og/indicators/{key}", s.handleIndicatorImage)
}

// faces are the fonts the images use, parsed once.
var faces = sync.OnceValue(func() map[string]*opentype.Font {
	out := map[string]*opentype.Font{}
	for name, ttf := range map[string][]byte{"regular": goregular.TTF, "bold": gobold.TTF} {
		f, err := opentype.Parse(ttf)
		if err != nil {
			panic("web: Go font: " + err.Error())
		}
		out[name] = f
	}
	return out
})

// face returns a font face. Faces keep a glyph cache and are not safe
// for concurrent use, so each image makes its own.
func face(name string, size float64) font.Face {
	f, err := opentype.NewFace(faces()[name], &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		panic("web: Go font: " + err.Error())
	}
	return f
}

// card is an image being drawn.
type card struct{ img *image.RGBA }

var (
	ink   = color.RGBA{0x1f, 0x23, 0x28, 0xff}
	muted = color.RGBA{0x4a, 0x4f, 0x55, 0xff}
	navy  = color.RGBA{0x12, 0x32, 0x4f, 0xff}
	white = color.RGBA{0xff, 0xff, 0xff, 0xff}
)

// newCard starts an image with the site's dark band and its name.
func newCard(lang string) *card {
	c := &card{img: image.NewRGBA(image.Rect(0, 0, ogWidth, ogHeight))}
	draw.Draw(c.img, c.img.Bounds(), image.NewUniform(white), image.Point{}, draw.Src)
	c.rect(0, 0, ogWidth, 70, navy)
	c.text(48, 48, "bold", 32, white, "Vigie")
	return c
}

func (c *card) rect(x0, y0, x1, y1 int, col color.Color) {
	draw.Draw(c.img, image.Rect(x0, y0, x1, y1), image.NewUniform(col), image.Point{}, draw.Src)
}

// text writes s from (x, baseline y), cut with an ellipsis to fit before
// the right margin.
func (c *card) text(x, y int, weight string, size float64, col color.Color, s string) int {
	return c.textWithin(x, y, ogWidth-48-x, weight, size, col, s)
}

// textWithin writes s cut to width pixels.
func (c *card) textWithin(x, y, width int, weight string, size float64, col color.Color, s string) int {
	f := face(weight, size)
	defer f.Close()
	limit := fixed.I(width)
	if font.MeasureString(f, s) > limit {
		r := []rune(s)
		for len(r) > 0 && font.MeasureString(f, string(r)+"…") > limit {
			r = r[:len(r)-1]
		}
		s = strings.TrimSpace(string(r)) + "…"
	}
	d := &font.Drawer{Dst: c.img, Src: image.NewUniform(col), Face: f, Dot: fixed.P(x, y)}
	d.DrawString(s)
	return d.Dot.X.Round()
}

func (c *card) png() ([]byte, error) {
	var b bytes.Buffer
	enc := png.Encoder{}
	err := enc.Encode(&b, c.img)
	return b.Bytes(), err
}

// hexColour reads "#rrggbb".
func hexColour(s string) color.RGBA {
	v, _ := strconv.ParseUint(strings.TrimPrefix(s, "#"), 16, 32)
	return color.RGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 0xff}
}

func ratingColour(key string) color.RGBA { return hexColour(worldmap.Colour(worldmap.RatingFill(key))) }

func (s *Server) sendPNG(w http.ResponseWriter, r *http.Request, c *card) {
	b, err := c.png()
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "image/png")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.Write(b)
}

func (s *Server) handleSiteImage(w http.ResponseWriter, r *http.Request) {
	lang := langOf(r.Context())
	c := newCard(lang)
	c.text(48, 250, "bold", 60, ink, tr(r, "home.title"))
	c.text(48, 330, "regular", 30, muted, tr(r, "layout.footer"))
	s.sendPNG(w, r, c)
}

// handleCountryImage draws a country's card: its name, then each
// indicator with a swatch of its rating's colour and the rating in words.
func (s *Server) handleCountryImage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	country, found := vigie.CountryBySlug(r.PathValue("slug"))
	if !found {
		s.notFoundMessage(w, r, tr(r, "error.no_country"))
		return
	}
	page, err := s.countryPage(ctx, country, asOf{})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	c := newCard(langOf(ctx))
	c.text(48, 140, "bold", 52, ink, page.Name)
	c.text(48, 180, "regular", 24, muted, page.Region)
	for i, g := range page.Glance {
		col, row := i/5, i%5
		x, y := 48+col*560, 230+row*76
		c.rect(x, y, x+36, y+36, color.RGBA{0x8c, 0x95, 0x9f, 0xff})
		c.rect(x+2, y+2, x+34, y+34, ratingColour(g.Rating.Key))
		c.textWithin(x+52, y+16, 560-52-24, "bold", 22, ink, g.Name) // a column, and a gap
		facts := g.Rating.Label
		if g.Value != "" {
			facts += " · " + g.Value
		}
		c.textWithin(x+52, y+44, 560-52-24, "regular", 20, muted, facts)
	}
	s.sendPNG(w, r, c)
}

// handleIndicatorImage draws an indicator's card: its name over the world
// map in the rating colours.
func (s *Server) handleIndicatorImage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	inds, err := s.store.Indicators(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	ind, found := indicatorsByKey(inds)[r.PathValue("key")]
	if !found {
		s.notFoundMessage(w, r, tr(r, "error.no_indicator"))
		return
	}
	written, err := s.assessmentsAt(ctx, asOf{}, vigie.AssessmentFilter{Indicator: ind.Key})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	rated := byCountry(written)
	c := newCard(langOf(ctx))
	c.text(48, 128, "bold", 44, ink, ind.Name)
	// The map, 1100 wide, under the title.
	const scale, left, top = 1100.0 / worldmap.Width, 50.0, 150.0
	shapes, land := worldmap.Shapes()
	z := vector.NewRasterizer(ogWidth, ogHeight) // one, reset for each shape
	fillPath(z, c.img, land, scale, left, top, hexColour(worldmap.Colour(worldmap.FillNone)))
	for _, sh := range shapes {
		rating := vigie.RatingNotYetAssessed
		if a, ok := rated[sh.ISO2]; ok {
			rating = a.Rating
		}
		col := ratingColour(rating)
		if sh.Path != "" {
			fillPath(z, c.img, sh.Path, scale, left, top, col)
		}
		if sh.Marker {
			fillCircle(z, c.img, left+sh.X*scale, top+sh.Y*scale, 4, col)
		}
	}
	s.sendPNG(w, r, c)
}

// fillPath paints SVG path data of the map's form (absolute first "m",
// then relative "m", implicit relative lines, "z") onto dst. It
// rasterizes within the shape's bounding box only: a country is small
// beside the image.
func fillPath(z *vector.Rasterizer, dst *image.RGBA, d string, scale, left, top float64, col color.Color) {
	rings := parseMapPath(d)
	minX, minY, maxX, maxY := float64(ogWidth), float64(ogHeight), 0.0, 0.0
	for _, ring := range rings {
		for _, p := range ring {
			x, y := left+p[0]*scale, top+p[1]*scale
			minX, minY, maxX, maxY = min(minX, x), min(minY, y), max(maxX, x), max(maxY, y)
		}
	}
	box := image.Rect(int(minX), int(minY), int(maxX)+2, int(maxY)+2).Intersect(dst.Bounds())
	if box.Empty() {
		return
	}
	z.Reset(box.Dx(), box.Dy())
	ox, oy := float64(box.Min.X), float64(box.Min.Y)
	for _, ring := range rings {
		for i, p := range ring {
			x, y := float32(left+p[0]*scale-ox), float32(top+p[1]*scale-oy)
			if i == 0 {
				z.MoveTo(x, y)
			} else {
				z.LineTo(x, y)
			}
		}
		z.ClosePath()
	}
	z.Draw(dst, box, image.NewUniform(col), image.Point{})
}

// parseMapPath reads the map's path data into rings of absolute points.
func parseMapPath(d string) [][][2]float64 {
	var rings [][][2]float64
	var x, y, startX, startY float64
	first, move := true, false
	nums := make([]float64, 0, 2)
	for i := 0; i < len(d); {
		ch := d[i]
		switch {
		case ch == 'm':
			move = true
			i++
		case ch == 'z':
			x, y = startX, startY
			i++
		case ch == '-' || ch == '.' || (ch >= '0' && ch <= '9'):
			j := i + 1
			for j < len(d) && (d[j] == '.' || (d[j] >= '0' && d[j] <= '9')) {
				j++
			}
			v, err := strconv.ParseFloat(d[i:j], 64)
			if err != nil {
				return rings
			}
			i = j
			if nums = append(nums, v); len(nums) < 2 {
				continue
			}
			dx, dy := nums[0], nums[1]
			nums = nums[:0]
			switch {
			case move && first:
				x, y, first = dx, dy, false
			case move:
				x, y = startX+dx, startY+dy
			default:
				x, y = x+dx, y+dy
			}
			if move {
				startX, startY = x, y
				rings = append(rings, nil)
				move = false
			}
			if len(rings) > 0 {
				rings[len(rings)-1] = append(rings[len(rings)-1], [2]float64{x, y})
			}
		default:
			i++
		}
	}
	return rings
}

func fillCircle(z *vector.Rasterizer, dst *image.RGBA, cx, cy, r float64, col color.Color) {
	box := image.Rect(int(cx-r)-1, int(cy-r)-1, int(cx+r)+2, int(cy+r)+2).Intersect(dst.Bounds())
	if box.Empty() {
		return
	}
	z.Reset(box.Dx(), box.Dy())
	cx, cy = cx-float64(box.Min.X), cy-float64(box.Min.Y)
	const k = 0.5523 // control points of a quarter circle
	z.MoveTo(float32(cx+r), float32(cy))
	z.CubeTo(float32(cx+r), float32(cy+k*r), float32(cx+k*r), float32(cy+r), float32(cx), float32(cy+r))
	z.CubeTo(float32(cx-k*r), float32(cy+r), float32(cx-r), float32(cy+k*r), float32(cx-r), float32(cy))
	z.CubeTo(float32(cx-r), float32(cy-k*r), float32(cx-k*r), float32(cy-r), float32(cx), float32(cy-r))
	z.CubeTo(float32(cx+k*r), float32(cy-r), float32(cx+r), float32(cy-k*r), float32(cx+r), float32(cy))
	z.ClosePath()
	z.Draw(dst, box, image.NewUniform(col), image.Point{})
}

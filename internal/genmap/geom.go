package main

import (
	"cmp"
	"container/heap"
	"fmt"
	"math"
	"slices"
)

// lonLat is a position in degrees.
type lonLat struct{ Lon, Lat float64 }

// pt is a projected position in map units (the SVG viewBox).
type pt struct{ X, Y float64 }

// Equal Earth (Šavrič, Patterson and Jenny, 2018): an equal-area
// pseudocylindrical projection whose meridians are straight-ish curves, so
// Africa is not shrunk against Europe as on Mercator and the map is still
// pleasant to read. The constants are the paper's.
const (
	eeA1 = 1.340264
	eeA2 = -0.081106
	eeA3 = 0.000893
	eeA4 = 0.003796
)

var eeM = math.Sqrt(3) / 2

// equalEarth projects lon/lat degrees to the projection's own plane: x in
// about ±2.7066, y in about ±1.3174, y up.
func equalEarth(p lonLat) (x, y float64) {
	lambda := p.Lon * math.Pi / 180
	phi := p.Lat * math.Pi / 180
	theta := math.Asin(eeM * math.Sin(phi))
	t2 := theta * theta
	t6 := t2 * t2 * t2
	x = lambda * math.Cos(theta) / (eeM * (eeA1 + 3*eeA2*t2 + t6*(7*eeA3+9*eeA4*t2)))
	y = theta * (eeA1 + eeA2*t2 + t6*(eeA3+eeA4*t2))
	return x, y
}

// frame maps the projection plane onto the viewBox: x from 0 to Width, y
// from 0 (north pole) to Height (south pole).
type frame struct {
	xMax, yMax, k float64
	Width, Height float64
}

func newFrame(width float64) frame {
	xMax, _ := equalEarth(lonLat{180, 0})
	_, yMax := equalEarth(lonLat{0, 90})
	k := width / (2 * xMax)
	return frame{xMax: xMax, yMax: yMax, k: k, Width: width, Height: 2 * yMax * k}
}

func (f frame) project(p lonLat) pt {
	x, y := equalEarth(p)
	return pt{(x + f.xMax) * f.k, (f.yMax - y) * f.k}
}

// A piece is a run of an arc that does not cross the antimeridian. An arc
// that crosses it is cut there into several pieces, each ending (or
// starting) exactly on ±180° at the crossing's interpolated latitude.
type piece struct {
	ll               []lonLat // full resolution
	full, simp       []pt     // projected; simp is simplified, same ends
	startCut, endCut bool     // begins or ends at a crossing
}

func (p piece) reversed() piece {
	q := piece{startCut: p.endCut, endCut: p.startCut}
	q.ll = reverse(p.ll)
	q.full = reverse(p.full)
	q.simp = reverse(p.simp)
	return q
}

func reverse[T any](s []T) []T {
	r := make([]T, len(s))
	for i, v := range s {
		r[len(s)-1-i] = v
	}
	return r
}

// cutArc splits a line at every step that jumps more than 180° of
// longitude: such a step is the short way across the antimeridian, not a
// line across the whole map. Both sides get a point on the meridian at the
// latitude where the step crosses it.
func cutArc(line []lonLat) []piece {
	var out []piece
	cur := piece{}
	add := func(p lonLat) {
		if n := len(cur.ll); n > 0 && cur.ll[n-1] == p {
			return
		}
		cur.ll = append(cur.ll, p)
	}
	for i, q := range line {
		if i > 0 {
			p := line[i-1]
			if math.Abs(q.Lon-p.Lon) > 180 {
				edge := 180.0 // the side p is on
				if p.Lon < 0 {
					edge = -180
				}
				qLon := q.Lon + 2*edge // q moved next to p
				t := 1.0
				if qLon != p.Lon {
					t = (edge - p.Lon) / (qLon - p.Lon)
				}
				lat := p.Lat + t*(q.Lat-p.Lat)
				add(lonLat{edge, lat})
				cur.endCut = true
				out = append(out, cur)
				cur = piece{startCut: true}
				add(lonLat{-edge, lat})
			}
		}
		add(q)
	}
	return append(out, cur)
}

// A chain is a run of pieces between two crossings of the antimeridian.
type chain struct {
	full, simp []pt
	first      lonLat // where it starts, on the meridian
	last       lonLat // where it ends
}

// ring is a closed ring of the output, in projected coordinates.
type ring struct{ full, simp []pt }

// appendPts appends q to p, leaving out q's first point when it repeats p's
// last.
func appendPts(p, q []pt) []pt {
	if len(p) > 0 && len(q) > 0 && p[len(p)-1] == q[0] {
		q = q[1:]
	}
	return append(p, q...)
}

// closeRings turns a ring given as pieces (in order) into closed rings that
// stay within ±180°. A ring that does not cross the antimeridian is
// returned as it is. A ring that crosses it is cut into chains, one per
// stretch between crossings; the chains on each side of the map are closed
// along the map's edge (the ±180° meridian). A ring that crosses once goes
// round a pole (Antarctica), and is closed along the pole line.
func closeRings(f frame, seq []piece) ([]ring, error) {
	cuts := 0
	for _, p := range seq {
		if p.endCut {
			cuts++
		}
	}
	if cuts == 0 {
		var r ring
		for _, p := range seq {
			r.full = appendPts(r.full, p.full)
			r.simp = appendPts(r.simp, p.simp)
		}
		return []ring{r}, nil
	}
	// Rotate so that the sequence begins just after a cut.
	start := 0
	for i, p := range seq {
		if p.endCut {
			start = (i + 1) % len(seq)
			break
		}
	}
	seq = append(append([]piece(nil), seq[start:]...), seq[:start]...)
	var chains []chain
	var c *chain
	for _, p := range seq {
		if c == nil {
			chains = append(chains, chain{first: p.ll[0]})
			c = &chains[len(chains)-1]
		}
		c.full = appendPts(c.full, p.full)
		c.simp = appendPts(c.simp, p.simp)
		if p.endCut {
			c.last = p.ll[len(p.ll)-1]
			c = nil
		}
	}
	if c != nil {
		return nil, fmt.Errorf("ring does not end at a crossing")
	}

	side := func(p lonLat) int {
		if p.Lon < 0 {
			return -1
		}
		return 1
	}
	if len(chains) == 1 && side(chains[0].first) != side(chains[0].last) {
		// Round a pole: down the meridian to the pole, along the pole
		// line to the other edge, and back up to the start.
		ch := chains[0]
		pole := 90.0
		if ch.first.Lat+ch.last.Lat < 0 {
			pole = -90
		}
		link := meridian(f, ch.last.Lon, ch.last.Lat, pole)
		link = append(link, f.project(lonLat{ch.last.Lon, pole}), f.project(lonLat{ch.first.Lon, pole}))
		link = append(link, meridian(f, ch.first.Lon, pole, ch.first.Lat)...)
		return []ring{{full: append(ch.full, link...), simp: append(ch.simp, link...)}}, nil
	}

	// Each chain starts and ends on the same edge. Along an edge, the
	// polygon's inside is the union of the intervals between the 1st and
	// 2nd, 3rd and 4th… crossings sorted by latitude; link them so.
	type end struct {
		chain int
		start bool
		lat   float64
	}
	bySide := map[int][]end{}
	for i, ch := range chains {
		if side(ch.first) != side(ch.last) {
			return nil, fmt.Errorf("chain crosses from one edge to the other")
		}
		s := side(ch.first)
		bySide[s] = append(bySide[s], end{i, true, ch.first.Lat}, end{i, false, ch.last.Lat})
	}
	next := make([]int, len(chains)) // chain that follows chain i
	for _, ends := range bySide {
		slices.SortStableFunc(ends, func(a, b end) int { return cmp.Compare(a.lat, b.lat) })
		for k := 0; k+1 < len(ends); k += 2 {
			a, b := ends[k], ends[k+1]
			if a.start == b.start {
				return nil, fmt.Errorf("crossings at %.3f° and %.3f° do not pair", a.lat, b.lat)
			}
			if a.start {
				a, b = b, a
			}
			next[a.chain] = b.chain
		}
	}
	var out []ring
	done := make([]bool, len(chains))
	for i := range chains {
		if done[i] {
			continue
		}
		var r ring
		for j := i; !done[j]; j = next[j] {
			done[j] = true
			ch, nx := chains[j], chains[next[j]]
			link := meridian(f, ch.last.Lon, ch.last.Lat, nx.first.Lat)
			r.full = append(appendPts(r.full, ch.full), link...)
			r.simp = append(appendPts(r.simp, ch.simp), link...)
		}
		out = append(out, r)
	}
	return out, nil
}

// meridian returns the points strictly between lat0 and lat1 on meridian
// lon, one a degree, so that the map's curved edge stays curved.
func meridian(f frame, lon, lat0, lat1 float64) []pt {
	var out []pt
	step := 1.0
	if lat1 < lat0 {
		step = -1
	}
	for lat := math.Trunc(lat0) + step; (lat1-lat)*step > 0; lat += step {
		if lat == lat0 {
			continue
		}
		out = append(out, f.project(lonLat{lon, lat}))
	}
	return out
}

// area returns the signed area of a closed ring (positive when clockwise
// on screen, where y grows downwards).
func area(r []pt) float64 {
	var s float64
	for i := range r {
		a, b := r[i], r[(i+1)%len(r)]
		s += a.X*b.Y - b.X*a.Y
	}
	return s / 2
}

// centroid returns the centroid of a closed ring's area, or the mean of
// its points when the area is nil.
func centroid(r []pt) pt {
	var cx, cy, a float64
	for i := range r {
		p, q := r[i], r[(i+1)%len(r)]
		w := p.X*q.Y - q.X*p.Y
		a += w
		cx += (p.X + q.X) * w
		cy += (p.Y + q.Y) * w
	}
	if math.Abs(a) < 1e-12 {
		var m pt
		for _, p := range r {
			m.X += p.X / float64(len(r))
			m.Y += p.Y / float64(len(r))
		}
		return m
	}
	return pt{cx / (3 * a), cy / (3 * a)}
}

type bbox struct{ minX, minY, maxX, maxY float64 }

func bounds(r []pt) bbox {
	b := bbox{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	for _, p := range r {
		b.minX, b.maxX = math.Min(b.minX, p.X), math.Max(b.maxX, p.X)
		b.minY, b.maxY = math.Min(b.minY, p.Y), math.Max(b.maxY, p.Y)
	}
	return b
}

func (b bbox) size() float64 { return math.Max(b.maxX-b.minX, b.maxY-b.minY) }

// simplify is Visvalingam–Whyatt: it drops, smallest first, every point
// whose triangle with its two neighbours has an area below minArea
// (map units²), recomputing the neighbours' triangles as it goes. The two
// ends stay, so arcs shared by two countries meet at the same junctions
// and, being simplified once, border each other without gaps.
func simplify(line []pt, minArea float64) []pt {
	n := len(line)
	if n <= 2 {
		return append([]pt(nil), line...)
	}
	prev := make([]int, n)
	next := make([]int, n)
	gen := make([]int, n)
	for i := range line {
		prev[i], next[i] = i-1, i+1
	}
	tri := func(i int) float64 {
		a, b, c := line[prev[i]], line[i], line[next[i]]
		return math.Abs((b.X-a.X)*(c.Y-a.Y)-(c.X-a.X)*(b.Y-a.Y)) / 2
	}
	h := &triHeap{}
	for i := 1; i < n-1; i++ {
		heap.Push(h, triItem{i, tri(i), 0})
	}
	removed := make([]bool, n)
	for h.Len() > 0 {
		it := heap.Pop(h).(triItem)
		if it.gen != gen[it.i] || removed[it.i] {
			continue // stale
		}
		if it.area >= minArea {
			break
		}
		removed[it.i] = true
		p, q := prev[it.i], next[it.i]
		next[p], prev[q] = q, p
		for _, j := range []int{p, q} {
			if j > 0 && j < n-1 {
				gen[j]++
				heap.Push(h, triItem{j, tri(j), gen[j]})
			}
		}
	}
	out := make([]pt, 0, n/4)
	for i := 0; i < n; i = next[i] {
		out = append(out, line[i])
	}
	return out
}

type triItem struct {
	i    int
	area float64
	gen  int
}

type triHeap []triItem

func (h triHeap) Len() int { return len(h) }
func (h triHeap) Less(i, j int) bool {
	if h[i].area != h[j].area {
		return h[i].area < h[j].area
	}
	return h[i].i < h[j].i // deterministic output
}
func (h triHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *triHeap) Push(x any)   { *h = append(*h, x.(triItem)) }
func (h *triHeap) Pop() any {
	old := *h
	it := old[len(old)-1]
	*h = old[:len(old)-1]
	return it
}

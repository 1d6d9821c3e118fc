package main

import (
	"math"
	"testing"
)

// piecesOf cuts, projects and (trivially) simplifies a ring given in
// lon/lat, as build does for each arc.
func piecesOf(f frame, ring []lonLat) []piece {
	ps := cutArc(ring)
	for i := range ps {
		for _, q := range ps[i].ll {
			ps[i].full = append(ps[i].full, f.project(q))
		}
		ps[i].simp = ps[i].full
	}
	return ps
}

func maxJump(r []pt) float64 {
	var m float64
	for i := range r {
		m = math.Max(m, math.Abs(r[(i+1)%len(r)].X-r[i].X))
	}
	return m
}

func TestFrame(t *testing.T) {
	f := newFrame(2000)
	if math.Abs(f.Height-973.4) > 0.1 {
		t.Errorf("height %.2f, want about 973.4", f.Height)
	}
	for _, c := range []struct {
		ll   lonLat
		want pt
	}{
		{lonLat{-180, 0}, pt{0, f.Height / 2}},
		{lonLat{180, 0}, pt{2000, f.Height / 2}},
		{lonLat{0, 90}, pt{1000, 0}},
		{lonLat{0, -90}, pt{1000, f.Height}},
	} {
		if got := f.project(c.ll); math.Abs(got.X-c.want.X) > 1e-9 || math.Abs(got.Y-c.want.Y) > 1e-9 {
			t.Errorf("project(%v) = %v, want %v", c.ll, got, c.want)
		}
	}
}

// An island astride the antimeridian, like Fiji's Taveuni: one ring that
// steps from 179° to -179° and back must become one ring on each edge.
func TestCloseRingsAntimeridian(t *testing.T) {
	f := newFrame(2000)
	ring := []lonLat{{178, -16}, {-178, -16}, {-178, -18}, {178, -18}, {178, -16}}
	rs, err := closeRings(f, piecesOf(f, ring))
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 2 {
		t.Fatalf("got %d rings, want 2", len(rs))
	}
	var total float64
	for _, r := range rs {
		if j := maxJump(r.full); j > 1000 {
			t.Errorf("ring %v jumps %.0f units across the map", r.full, j)
		}
		total += math.Abs(area(r.full))
	}
	// The two halves together have the area of the 4° × 2° box.
	whole := math.Abs(area([]pt{f.project(lonLat{178, -16}), f.project(lonLat{182, -16}), f.project(lonLat{182, -18}), f.project(lonLat{178, -18})}))
	if math.Abs(total-whole)/whole > 0.01 {
		t.Errorf("halves have area %.2f, want %.2f", total, whole)
	}
}

// A ring round the south pole, like Antarctica's coast, crosses once and
// is closed along the bottom of the map.
func TestCloseRingsPolar(t *testing.T) {
	f := newFrame(2000)
	var ring []lonLat
	for lon := -170.0; lon <= 170; lon += 20 {
		ring = append(ring, lonLat{lon, -70})
	}
	ring = append(ring, ring[0])
	rs, err := closeRings(f, piecesOf(f, ring))
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 1 {
		t.Fatalf("got %d rings, want 1", len(rs))
	}
	b := bounds(rs[0].full)
	west, east := f.project(lonLat{-180, -70}), f.project(lonLat{180, -70})
	if b.maxY < f.Height-1e-6 || b.minX > west.X+1e-6 || b.maxX < east.X-1e-6 {
		t.Errorf("polar ring spans %+v; want edge to edge and down to the pole line", b)
	}
}

func TestSimplifyKeepsEnds(t *testing.T) {
	line := []pt{{0, 0}, {1, 0.01}, {2, 0}, {3, 5}, {4, 0}, {5, 0.01}, {6, 0}}
	got := simplify(line, 0.5)
	if got[0] != line[0] || got[len(got)-1] != line[len(line)-1] {
		t.Errorf("ends moved: %v", got)
	}
	if len(got) != 5 { // the two near-collinear points go, the peak stays
		t.Errorf("got %v", got)
	}
}

func TestEncodePath(t *testing.T) {
	f := newFrame(2000)
	rings := [][]pt{
		{{10, 10}, {20, 10}, {20, 20}, {10, 20}},
		{{30, 5}, {40, 5}, {40, 15}},
		{{0, 0}, {0.2, 0}, {0.2, 0.2}}, // too small: dropped
	}
	if got, want := encodePath(f, rings, 1), "m10 10 10 0 0 10-10 0zm20-5 10 0 0 10z"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

package main

import (
	"encoding/json"
	"fmt"
)

// topology is the part of a TopoJSON file this command reads: quantized,
// delta-encoded arcs and one object of polygons that refer to them.
type topology struct {
	Type      string
	Transform *struct{ Scale, Translate [2]float64 }
	Arcs      [][][2]int64
	Objects   map[string]struct {
		Geometries []geometry
	}
}

type geometry struct {
	Type       string
	ID         *string `json:"id"`
	Properties struct{ Name string }
	Arcs       json.RawMessage
}

// polygons returns the geometry's polygons, each a list of rings, each a
// list of arc references: i is arc i, ^i (that is -i-1) is arc i reversed.
func (g geometry) polygons() ([][][]int, error) {
	switch g.Type {
	case "Polygon":
		var p [][]int
		if err := json.Unmarshal(g.Arcs, &p); err != nil {
			return nil, err
		}
		return [][][]int{p}, nil
	case "MultiPolygon":
		var mp [][][]int
		err := json.Unmarshal(g.Arcs, &mp)
		return mp, err
	case "", "null":
		return nil, nil
	}
	return nil, fmt.Errorf("unexpected geometry type %q", g.Type)
}

// decodeArcs undoes the delta encoding and the quantization: each arc's
// first position is absolute, the others are offsets from the previous
// one, and the transform maps the integer grid to longitude and latitude.
func (t *topology) decodeArcs() ([][]lonLat, error) {
	if t.Transform == nil {
		return nil, fmt.Errorf("topology is not quantized; this command expects world-atlas's quantized files")
	}
	s, tr := t.Transform.Scale, t.Transform.Translate
	arcs := make([][]lonLat, len(t.Arcs))
	for i, a := range t.Arcs {
		line := make([]lonLat, len(a))
		var x, y int64
		for j, d := range a {
			x += d[0]
			y += d[1]
			line[j] = lonLat{float64(x)*s[0] + tr[0], float64(y)*s[1] + tr[1]}
		}
		arcs[i] = line
	}
	return arcs, nil
}

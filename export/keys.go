package export

import (
	"hash/maphash"
)

// keyIndex remembers the keys met in a table and where each was first
// met (its location, see Dataset.locate), in 20 bytes per key (and the
// map's own overhead) however long the key: each key is kept as a
// 128-bit digest, two maphashes with seeds drawn for the process. Two different keys share a
// digest with odds of about one in 10^27 for a million keys, far below
// the odds of the machine's own faults; the seeds being secret, a file
// cannot be made to collide on purpose.
type keyIndex map[digest]int32

type digest [2]uint64

var digestSeeds = [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}

// digestOf digests the parts of a key, each with its length so that
// ("ab", "c") and ("a", "bc") differ.
func digestOf(parts ...string) digest {
	var d digest
	for i, seed := range digestSeeds {
		var h maphash.Hash
		h.SetSeed(seed)
		for _, p := range parts {
			var n [8]byte
			for j, l := 0, uint64(len(p)); j < 8; j, l = j+1, l>>8 {
				n[j] = byte(l)
			}
			h.Write(n[:])
			h.WriteString(p)
		}
		d[i] = h.Sum64()
	}
	return d
}

// put records key at loc unless it was met before; then it returns where.
func (x keyIndex) put(loc int, parts ...string) (first int, dup bool) {
	d := digestOf(parts...)
	if l, ok := x[d]; ok {
		return int(l), true
	}
	x[d] = int32(loc)
	return 0, false
}

// get says where key was first met.
func (x keyIndex) get(parts ...string) (loc int, ok bool) {
	l, ok := x[digestOf(parts...)]
	return int(l), ok
}

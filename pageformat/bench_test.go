package pageformat

import "testing"

func BenchmarkParse(b *testing.B) {
	v := vocabulary()
	for _, name := range []string{"mali.txt", "gambia.txt", "gambia.html"} {
		data := readFixture(b, name)
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := Parse(name, data, v); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

package citelist

import (
	"reflect"
	"testing"

	vigie "github.com/vigie-network/vigie"
)

func TestParse(t *testing.T) {
	got, err := Parse("12 9 Art. 1, 27 0 3 14 Art. 4 « 5 »")
	want := []vigie.Citation{
		{Source: vigie.Source{ID: 12}, Articles: "Art. 1, 2"},
		{Source: vigie.Source{ID: 7}},
		{Source: vigie.Source{ID: 3}, Articles: "Art. 4 « 5 »"},
	}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("Parse = %+v, %v; want %+v", got, err, want)
	}
	if got, err := Parse(""); err != nil || got != nil {
		t.Errorf("Parse of no citations = %+v, %v", got, err)
	}
	for _, bad := range []string{"12", "12 9", "12 9 Art.", "x 1 a", "1 -1 ", "1 x a"} {
		if got, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) = %+v, want an error", bad, got)
		}
	}
}

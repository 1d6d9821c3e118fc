package vigie

import (
	"slices"
	"testing"
)

func TestRegionCountries(t *testing.T) {
	africa, western := RegionCountries("002"), RegionCountries("011")
	if !slices.Contains(africa, "ML") || !slices.Contains(western, "ML") || slices.Contains(western, "KE") {
		t.Errorf("Africa %v, Western Africa %v", africa, western)
	}
	for _, c := range western {
		if !slices.Contains(africa, c) {
			t.Errorf("%s is in Western Africa but not in Africa", c)
		}
	}
	if RegionCountries("") != nil || RegionCountries("999") != nil {
		t.Error("an empty or unknown code lists countries")
	}
}

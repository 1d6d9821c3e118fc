package export

import (
	"slices"
)

// Published maps each assessment (country, indicator) to the number of
// its published revision and the row of the assessments table saying so.
func (ds *Dataset) Published() map[[2]string][2]int {
	out := make(map[[2]string][2]int, len(ds.Assessments))
	for i, a := range ds.Assessments {
		out[[2]string{a.Country, a.Indicator}] = [2]int{a.Revision, i}
	}
	return out
}

func sorted(l []string) []string {
	slices.Sort(l)
	return l
}

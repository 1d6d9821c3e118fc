package vigie

// RegionCountries lists the ISO alpha-2 codes of the countries in a UN M49
// region or sub-region, in the order of Countries; nil for an unknown or
// empty code. Stores use it for PublicationFilter.Region, since the
// regions live in the binary, not in the database.
func RegionCountries(code string) []string {
	if code == "" {
		return nil
	}
	var out []string
	for _, c := range countryTable().list {
		if c.Region.Code == code || c.SubRegion.Code == code {
			out = append(out, c.ISO2)
		}
	}
	return out
}

package vigie

import (
	_ "embed"
	"encoding/json"
	"slices"
	"strings"
	"sync"
)

// countries.json is generated from the npm package i18n-iso-countries
// (names, codes) and golang.org/x/text (UN M49 regions) by
// internal/gencountries. The generator needs npm and the network, so its
// output is committed rather than built in CI. `go generate` fetches the
// pinned package version with npm pack; `go run ./internal/gencountries
// -src DIR` reads an already unpacked copy instead.
//
//go:generate go run ./internal/gencountries
//go:embed countries.json
var countriesJSON []byte

// Names is a text in each of the site's languages.
type Names struct{ EN, FR, ES string }

// In returns the text in lang ("en", "fr" or "es"), falling back to English
// for other languages and for missing translations.
func (n Names) In(lang string) string {
	switch {
	case lang == "fr" && n.FR != "":
		return n.FR
	case lang == "es" && n.ES != "":
		return n.ES
	}
	return n.EN
}

// Region is a UN M49 area: one of the five regions or one of their
// sub-regions. The zero Region means "none".
type Region struct {
	Code  string // M49 code, "002" for Africa
	Names Names
}

// Country is one of the 249 ISO 3166-1 countries and territories.
type Country struct {
	ISO2, ISO3, Numeric string // "ML", "MLI", "466"
	Slug                string // from the English name: "mali", "cote-divoire"
	Names               Names
	// Region and SubRegion are zero for Antarctica and the few remote
	// islands that golang.org/x/text does not place in a UN M49 sub-region
	// (it files them under "Outlying Oceania"); see internal/gencountries.
	Region, SubRegion Region
}

// Name returns the country's short name in lang, falling back to English.
func (c Country) Name(lang string) string { return c.Names.In(lang) }

// Countries returns all countries sorted by English name. The slice is the
// caller's to modify.
func Countries() []Country { return slices.Clone(countryTable().list) }

// CountryByISO2 finds a country by its alpha-2 code, in any case.
func CountryByISO2(code string) (Country, bool) {
	t := countryTable()
	i, ok := t.byISO2[strings.ToUpper(code)]
	if !ok {
		return Country{}, false
	}
	return t.list[i], true
}

// CountryBySlug finds a country by its slug, exactly as Slug spells it.
func CountryBySlug(slug string) (Country, bool) {
	t := countryTable()
	i, ok := t.bySlug[slug]
	if !ok {
		return Country{}, false
	}
	return t.list[i], true
}

// LookupCountry finds a country by a name as documents write it: an English,
// French or Spanish name or a known alias ("Ivory Coast", "The Gambia",
// "Swaziland"), or an alpha-2, alpha-3 or numeric code; case, accents,
// apostrophes, punctuation and a leading "the" do not matter.
func LookupCountry(name string) (Country, bool) {
	t := countryTable()
	i, ok := t.byKey[lookupKey(name)]
	if !ok || i < 0 {
		return Country{}, false
	}
	return t.list[i], true
}

// Regions returns the five UN M49 regions: Africa, Americas, Asia, Europe,
// Oceania.
func Regions() []Region { return slices.Clone(countryTable().regions) }

// SubRegions returns the sub-regions of the region with the given M49 code,
// ordered by English name, or nil for an unknown code.
func SubRegions(region string) []Region {
	return slices.Clone(countryTable().subRegions[region])
}

// lookupKey reduces a name to the form LookupCountry indexes. Slugify folds
// case and accents with Fold and also drops the apostrophes and punctuation
// that Fold keeps, so "Côte d’Ivoire" and "Cote d'Ivoire" meet; removing the
// word breaks then joins "Cote D Ivoire" and "U.S." to them too.
func lookupKey(name string) string {
	return strings.ReplaceAll(strings.TrimPrefix(Slugify(name), "the-"), "-", "")
}

// countriesFile is the layout of countries.json.
type countriesFile struct {
	Source  string
	Regions []struct {
		Code, Parent string
		Names        Names
	}
	Countries []struct {
		ISO2, ISO3, Numeric string
		Names               Names
		Aliases             []string
		Region, SubRegion   string
	}
}

type countryIndex struct {
	list       []Country
	byISO2     map[string]int
	bySlug     map[string]int
	byKey      map[string]int // -1 marks a name that two countries share
	regions    []Region
	subRegions map[string][]Region
}

// countryTable parses the embedded data once, on first use.
var countryTable = sync.OnceValue(func() *countryIndex {
	var f countriesFile
	if err := json.Unmarshal(countriesJSON, &f); err != nil {
		panic("vigie: countries.json: " + err.Error())
	}
	t := &countryIndex{
		byISO2:     map[string]int{},
		bySlug:     map[string]int{},
		byKey:      map[string]int{},
		subRegions: map[string][]Region{},
	}
	areas := map[string]Region{}
	for _, r := range f.Regions { // regions in order, sub-regions by name
		reg := Region{Code: r.Code, Names: r.Names}
		areas[r.Code] = reg
		if r.Parent == "" {
			t.regions = append(t.regions, reg)
		} else {
			t.subRegions[r.Parent] = append(t.subRegions[r.Parent], reg)
		}
	}

	// A key can belong to several countries ("Congo" is an alias of both
	// Congos). Codes beat names, names beat aliases; a tie at the same rank
	// makes the key ambiguous, and LookupCountry then finds nothing rather
	// than guess.
	rank := map[string]int{}
	add := func(s string, i, r int) {
		k := lookupKey(s)
		if k == "" {
			return
		}
		j, seen := t.byKey[k]
		switch {
		case !seen || r < rank[k]:
			t.byKey[k], rank[k] = i, r
		case r == rank[k] && j != i:
			t.byKey[k] = -1
		}
	}
	for i, c := range f.Countries {
		country := Country{
			ISO2: c.ISO2, ISO3: c.ISO3, Numeric: c.Numeric,
			Slug:      Slugify(c.Names.EN),
			Names:     c.Names,
			Region:    areas[c.Region],
			SubRegion: areas[c.SubRegion],
		}
		t.list = append(t.list, country)
		t.byISO2[c.ISO2] = i
		t.bySlug[country.Slug] = i
		for _, code := range []string{c.ISO2, c.ISO3, c.Numeric} {
			add(code, i, 0)
		}
		for _, n := range []string{c.Names.EN, c.Names.FR, c.Names.ES} {
			add(n, i, 1)
		}
		for _, a := range c.Aliases {
			add(a, i, 2)
		}
	}
	return t
})

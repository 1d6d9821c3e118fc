package vigie

import (
	"bytes"
	"encoding/json"
	"slices"
	"testing"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// noRegion lists the codes UN M49 places in no region.
var noRegion = []string{"AQ"}

func TestCountriesJSON(t *testing.T) {
	dec := json.NewDecoder(bytes.NewReader(countriesJSON))
	dec.DisallowUnknownFields()
	var f countriesFile
	if err := dec.Decode(&f); err != nil {
		t.Fatalf("countries.json does not parse: %v", err)
	}
	if f.Source == "" {
		t.Error("countries.json does not say where its data comes from")
	}
	col := collate.New(language.English)
	for i := 1; i < len(f.Countries); i++ {
		a, b := f.Countries[i-1].Names.EN, f.Countries[i].Names.EN
		if col.CompareString(a, b) > 0 {
			t.Errorf("countries.json is not sorted: %q before %q", a, b)
		}
	}
}

func TestCountries(t *testing.T) {
	all := Countries()
	if len(all) != 249 {
		t.Fatalf("got %d countries, want 249", len(all))
	}
	if all[1].ISO2 != "AX" {
		t.Errorf("Åland Islands should sort under A, second is %s", all[1].Names.EN)
	}
	all[0].Names.EN = "changed"
	if Countries()[0].Names.EN == "changed" {
		t.Error("Countries returns the shared slice")
	}
	for _, c := range all[1:] {
		if c.Names.EN == "" || c.Names.FR == "" || c.Names.ES == "" {
			t.Errorf("%s lacks a name: %+v", c.ISO2, c.Names)
		}
		if len(c.ISO2) != 2 || len(c.ISO3) != 3 || len(c.Numeric) != 3 {
			t.Errorf("%s has bad codes: %q %q %q", c.ISO2, c.ISO2, c.ISO3, c.Numeric)
		}
	}
	if _, ok := CountryByISO2("XK"); ok {
		t.Error("XK (Kosovo) is not an ISO 3166-1 code")
	}
}

func TestCountryName(t *testing.T) {
	ml, _ := CountryByISO2("ML")
	for lang, want := range map[string]string{"en": "Mali", "fr": "Mali", "es": "Malí", "de": "Mali", "": "Mali"} {
		if got := ml.Name(lang); got != want {
			t.Errorf("Name(%q) = %q, want %q", lang, got, want)
		}
	}
	sz, _ := CountryByISO2("sz")
	if sz.Name("en") != "Eswatini" {
		t.Errorf("SZ is %q, want Eswatini", sz.Name("en"))
	}
	for _, c := range Countries() {
		if c.Names.EN == "Swaziland" {
			t.Error("a country is still named Swaziland")
		}
	}
}

func TestCountrySlugs(t *testing.T) {
	seen := map[string]string{}
	for _, c := range Countries() {
		if c.Slug == "" || c.Slug != Slugify(c.Names.EN) {
			t.Errorf("%s: slug %q is not Slugify(%q)", c.ISO2, c.Slug, c.Names.EN)
		}
		if other, dup := seen[c.Slug]; dup {
			t.Errorf("slug %q is both %s and %s", c.Slug, other, c.ISO2)
		}
		seen[c.Slug] = c.ISO2
	}
	// URLs are public: these must not change.
	for slug, iso2 := range map[string]string{
		"mali": "ML", "gambia": "GM", "cote-divoire": "CI",
		"eswatini": "SZ", "united-states-of-america": "US",
	} {
		if c, ok := CountryBySlug(slug); !ok || c.ISO2 != iso2 {
			t.Errorf("CountryBySlug(%q) = %s, %v; want %s", slug, c.ISO2, ok, iso2)
		}
	}
}

func TestCountryByISO2(t *testing.T) {
	for _, code := range []string{"ML", "ml", "Ml"} {
		if c, ok := CountryByISO2(code); !ok || c.Names.EN != "Mali" {
			t.Errorf("CountryByISO2(%q) = %v, %v", code, c.Names.EN, ok)
		}
	}
	for _, code := range []string{"", "MLI", "ZZ"} {
		if _, ok := CountryByISO2(code); ok {
			t.Errorf("CountryByISO2(%q) found a country", code)
		}
	}
}

func TestLookupCountry(t *testing.T) {
	for name, want := range map[string]string{
		"The Gambia":       "GM",
		"the gambia":       "GM",
		"Gambie":           "GM",
		"Ivory Coast":      "CI",
		"Cote d'Ivoire":    "CI",
		"Côte d’Ivoire":    "CI",
		"Côte-d'Ivoire":    "CI",
		"COTE D IVOIRE":    "CI",
		"Costa de Marfil":  "CI",
		"mali":             "ML",
		"Malí":             "ML",
		"MLI":              "ML",
		"ml":               "ML",
		"466":              "ML",
		"Sénégal":          "SN",
		"Swaziland":        "SZ",
		"Congo":            "CG", // the ISO short name of the Republic of the Congo
		"DR Congo":         "CD",
		"Turkey":           "TR",
		"United States":    "US",
		"USA":              "US",
		"The Netherlands":  "NL",
		"Pays-Bas":         "NL",
		"Estados Unidos":   "US",
		"  Åland Islands ": "AX",
	} {
		if c, ok := LookupCountry(name); !ok || c.ISO2 != want {
			t.Errorf("LookupCountry(%q) = %s, %v; want %s", name, c.ISO2, ok, want)
		}
	}
	for _, name := range []string{"", "the", "Atlantis", "Korea"} {
		if c, ok := LookupCountry(name); ok {
			t.Errorf("LookupCountry(%q) = %s, want none", name, c.ISO2)
		}
	}
}

// Every name and code in the data must find its own country; only the
// aliases listed here are shadowed by another country's name.
func TestLookupCountryFindsEveryName(t *testing.T) {
	shadowed := map[string]string{"Congo": "CD"}
	var f countriesFile
	if err := json.Unmarshal(countriesJSON, &f); err != nil {
		t.Fatal(err)
	}
	for _, c := range f.Countries {
		names := []string{c.ISO2, c.ISO3, c.Numeric, c.Names.EN, c.Names.FR, c.Names.ES}
		for _, a := range c.Aliases {
			if shadowed[a] != c.ISO2 {
				names = append(names, a)
			}
		}
		for _, n := range names {
			if got, ok := LookupCountry(n); !ok || got.ISO2 != c.ISO2 {
				t.Errorf("LookupCountry(%q) = %s, %v; want %s", n, got.ISO2, ok, c.ISO2)
			}
		}
	}
}

func TestCountryRegions(t *testing.T) {
	for iso2, want := range map[string][2]string{
		"ML": {"002", "011"}, "SN": {"002", "011"}, "FR": {"150", "155"},
		"BR": {"019", "005"}, "JP": {"142", "030"}, "AU": {"009", "053"},
	} {
		c, _ := CountryByISO2(iso2)
		if c.Region.Code != want[0] || c.SubRegion.Code != want[1] {
			t.Errorf("%s is in %s/%s, want %s/%s", iso2, c.Region.Code, c.SubRegion.Code, want[0], want[1])
		}
	}
	ml, _ := CountryByISO2("ML")
	if ml.Region.Names.EN != "Africa" || ml.SubRegion.Names.EN != "Western Africa" ||
		ml.SubRegion.Names.In("fr") != "Afrique occidentale" {
		t.Errorf("Mali is in %+v / %+v", ml.Region.Names, ml.SubRegion.Names)
	}

	var without []string
	for _, c := range Countries() {
		if c.Region == (Region{}) {
			if c.SubRegion != (Region{}) {
				t.Errorf("%s has a sub-region but no region", c.ISO2)
			}
			without = append(without, c.ISO2)
			continue
		}
		if !slices.Contains(SubRegions(c.Region.Code), c.SubRegion) {
			t.Errorf("%s: sub-region %s is not in region %s", c.ISO2, c.SubRegion.Code, c.Region.Code)
		}
	}
	slices.Sort(without)
	if !slices.Equal(without, noRegion) {
		t.Errorf("countries without a region: %v, want %v", without, noRegion)
	}
}

func TestRegions(t *testing.T) {
	var codes []string
	for _, r := range Regions() {
		codes = append(codes, r.Code)
		if r.Names.EN == "" || r.Names.FR == "" || r.Names.ES == "" {
			t.Errorf("region %s lacks a name: %+v", r.Code, r.Names)
		}
		subs := SubRegions(r.Code)
		if len(subs) == 0 {
			t.Errorf("region %s has no sub-regions", r.Code)
		}
		for i, s := range subs {
			if s.Names.EN == "" || s.Names.FR == "" || s.Names.ES == "" {
				t.Errorf("sub-region %s lacks a name: %+v", s.Code, s.Names)
			}
			if i > 0 && subs[i-1].Names.EN > s.Names.EN {
				t.Errorf("sub-regions of %s are not sorted: %q before %q", r.Code, subs[i-1].Names.EN, s.Names.EN)
			}
		}
	}
	if want := []string{"002", "019", "142", "150", "009"}; !slices.Equal(codes, want) {
		t.Errorf("Regions() = %v, want %v", codes, want)
	}
	if SubRegions("011") != nil || SubRegions("") != nil {
		t.Error("SubRegions of a sub-region or of nothing should be nil")
	}
}

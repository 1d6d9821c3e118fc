// Command gencountries writes countries.json, the country table that package
// vigie embeds: the 249 ISO 3166-1 countries with their codes, English,
// French and Spanish names and UN M49 region and sub-region.
//
// Names and codes come from the npm package i18n-iso-countries (MIT), which
// keeps current names ("Eswatini", "Türkiye"). Regions come from
// golang.org/x/text (CLDR's copy of UN M49), so no second download is needed.
// Slugs are not stored: package vigie derives them from the English name.
// This command does not import package vigie, so it still builds when
// countries.json is missing or the package is mid-edit.
//
//	go run ./internal/gencountries                 # fetches the package with npm pack
//	go run ./internal/gencountries -src DIR        # DIR holds codes.json and langs/
//
// The output is sorted by English name and is deterministic, so regenerating
// from the same package version gives the same file.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// npmPackage is fetched when -src is not given. Pinned so that a rerun only
// changes countries.json when someone bumps it on purpose.
const npmPackage = "i18n-iso-countries@7.14.0"

// excluded codes are in the npm data but are not ISO 3166-1 assignments.
var excluded = map[string]string{
	"XK": "Kosovo: user-assigned code, not part of ISO 3166-1",
}

// englishName replaces the package's first English name where it is a long
// official form or an inverted "X, Y of" form that reads badly as a page
// title. The package's own name is kept as an alias. Gambia and Côte d'Ivoire
// also fix the slugs (gambia, cote-divoire) that the site's URLs use.
var englishName = map[string]string{
	"CI": "Côte d'Ivoire",   // package: "Cote d'Ivoire" without the accent
	"CN": "China",           // "People's Republic of China"
	"FM": "Micronesia",      // "Micronesia, Federated States of"
	"GM": "Gambia",          // "Republic of The Gambia"
	"IR": "Iran",            // "Islamic Republic of Iran"
	"MD": "Moldova",         // "Moldova, Republic of"
	"MK": "North Macedonia", // "The Republic of North Macedonia"
	"PS": "Palestine",       // "State of Palestine"
	"TW": "Taiwan",          // "Taiwan, Province of China"
	"TZ": "Tanzania",        // "United Republic of Tanzania"
	"VG": "British Virgin Islands",
	"VI": "U.S. Virgin Islands",
}

// extraAliases are common English names that the package lacks and that
// reports and pages use; former names stay so older documents still match.
var extraAliases = map[string][]string{
	"BN": {"Brunei"},
	"CD": {"DR Congo", "DRC", "Democratic Republic of Congo"},
	"CG": {"Republic of Congo"},
	"CV": {"Cabo Verde"}, // English short name since 2013
	"LA": {"Laos"},
	"MM": {"Burma"},
	"SY": {"Syria"},
	"SZ": {"Swaziland"}, // renamed Eswatini in 2018
	"TL": {"East Timor"},
	"VA": {"Vatican", "Vatican City"},
	"VN": {"Viet Nam"},
}

// subRegions are the UN M49 groupings a country page shows, by region: for
// Africa the intermediate regions rather than "Sub-Saharan Africa", which is
// too broad to be useful. The order of the regions is the order Regions()
// returns.
var subRegions = []struct {
	region string
	subs   []string
}{
	{"002", []string{"011", "014", "015", "017", "018"}},
	{"019", []string{"029", "013", "005", "021"}},
	{"142", []string{"143", "030", "035", "034", "145"}},
	{"150", []string{"151", "154", "039", "155"}},
	{"009", []string{"053", "054", "057", "061"}},
}

type names struct {
	EN string `json:"en"`
	FR string `json:"fr"`
	ES string `json:"es"`
}

type region struct {
	Code   string `json:"code"`
	Parent string `json:"parent,omitempty"`
	Names  names  `json:"names"`
}

type country struct {
	ISO2      string   `json:"iso2"`
	ISO3      string   `json:"iso3"`
	Numeric   string   `json:"numeric"`
	Names     names    `json:"names"`
	Aliases   []string `json:"aliases,omitempty"`
	Region    string   `json:"region,omitempty"`
	SubRegion string   `json:"subRegion,omitempty"`
}

type file struct {
	Source    string    `json:"source"`
	Regions   []region  `json:"regions"`
	Countries []country `json:"countries"`
}

func main() {
	src := flag.String("src", "", "folder of the unpacked i18n-iso-countries package (default: fetch "+npmPackage+" with npm pack)")
	out := flag.String("out", "countries.json", "file to write")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("gencountries: ")
	if err := run(*src, *out); err != nil {
		log.Fatal(err)
	}
}

func run(src, out string) error {
	if src == "" {
		dir, err := os.MkdirTemp("", "gencountries")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		if err := fetch(dir); err != nil {
			return err
		}
		src = filepath.Join(dir, "package")
	}
	f, err := build(src)
	if err != nil {
		return err
	}
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(out, append(data, '\n'), 0o644); err != nil {
		return err
	}
	log.Printf("wrote %d countries to %s", len(f.Countries), out)
	return nil
}

// fetch unpacks the npm package into dir.
func fetch(dir string) error {
	pack := exec.Command("npm", "pack", "--silent", npmPackage)
	pack.Dir, pack.Stderr = dir, os.Stderr
	tgz, err := pack.Output()
	if err != nil {
		return fmt.Errorf("npm pack %s: %w", npmPackage, err)
	}
	untar := exec.Command("tar", "xzf", strings.TrimSpace(string(tgz)))
	untar.Dir, untar.Stderr = dir, os.Stderr
	if err := untar.Run(); err != nil {
		return fmt.Errorf("untar: %w", err)
	}
	return nil
}

func build(src string) (*file, error) {
	var pkg struct{ Name, Version string }
	if err := readJSON(filepath.Join(src, "package.json"), &pkg); err != nil {
		return nil, err
	}
	var codes [][]string // alpha-2, alpha-3, numeric, ISO 3166-2 reference
	if err := readJSON(filepath.Join(src, "codes.json"), &codes); err != nil {
		return nil, err
	}
	langs := map[string]map[string]nameList{} // lang -> alpha-2 -> names
	for _, lang := range []string{"en", "fr", "es"} {
		var l struct{ Countries map[string]nameList }
		if err := readJSON(filepath.Join(src, "langs", lang+".json"), &l); err != nil {
			return nil, err
		}
		langs[lang] = l.Countries
	}

	f := &file{Source: fmt.Sprintf("%s %s (MIT); regions: UN M49 from golang.org/x/text (CLDR)", pkg.Name, pkg.Version)}
	for _, r := range subRegions {
		f.Regions = append(f.Regions, regionOf(r.region, ""))
		var subs []region
		for _, s := range r.subs {
			subs = append(subs, regionOf(s, r.region))
		}
		slices.SortFunc(subs, func(a, b region) int { return strings.Compare(a.Names.EN, b.Names.EN) })
		f.Regions = append(f.Regions, subs...)
	}

	for _, row := range codes {
		iso2 := row[0]
		if _, ok := excluded[iso2]; ok {
			continue
		}
		c := country{ISO2: iso2, ISO3: row[1], Numeric: row[2]}
		var aliases []string
		for _, lang := range []string{"en", "fr", "es"} {
			list := langs[lang][iso2]
			if len(list) == 0 {
				return nil, fmt.Errorf("%s: no %s name", iso2, lang)
			}
			name := list[0]
			if lang == "en" && englishName[iso2] != "" {
				name = englishName[iso2]
				aliases = append(aliases, list[0])
			}
			aliases = append(aliases, list[1:]...)
			switch lang {
			case "en":
				c.Names.EN = name
			case "fr":
				c.Names.FR = name
			case "es":
				c.Names.ES = name
			}
		}
		aliases = append(aliases, extraAliases[iso2]...)
		c.Aliases = dedupe(aliases, c.Names)

		// A country gets a region only through one of the sub-regions above.
		// CLDR files Antarctica and the remote islands it calls "Outlying
		// Oceania" (QO) directly under Oceania, which UN M49 does not; the
		// islands take their UN M49 sub-region from unM49Islands, and
		// Antarctica, which M49 places in no region, stays without one.
		if sub, ok := unM49Islands[iso2]; ok {
			for _, r := range subRegions {
				if slices.Contains(r.subs, sub) {
					c.Region, c.SubRegion = r.region, sub
				}
			}
			f.Countries = append(f.Countries, c)
			continue
		}
		reg, err := language.ParseRegion(iso2)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", iso2, err)
		}
		for _, r := range subRegions {
			for _, s := range r.subs {
				if !language.MustParseRegion(s).Contains(reg) {
					continue
				}
				if c.SubRegion != "" {
					return nil, fmt.Errorf("%s: in both %s and %s", iso2, c.SubRegion, s)
				}
				c.Region, c.SubRegion = r.region, s
			}
		}
		f.Countries = append(f.Countries, c)
	}
	if len(f.Countries) != 249 {
		return nil, fmt.Errorf("got %d countries, want the 249 of ISO 3166-1", len(f.Countries))
	}

	// A collator, not byte order, so that "Åland Islands" sorts under A.
	col := collate.New(language.English)
	slices.SortFunc(f.Countries, func(a, b country) int { return col.CompareString(a.Names.EN, b.Names.EN) })
	return f, nil
}

// unM49Islands places the islands CLDR leaves in "Outlying Oceania" where
// the UN M49 standard puts them.
var unM49Islands = map[string]string{
	"BV": "005", "GS": "005", // South America
	"CC": "053", "CX": "053", "HM": "053", // Australia and New Zealand
	"IO": "014", "TF": "014", // Eastern Africa
	"UM": "057", // Micronesia
}

// regionOf names an M49 area in the three languages, as CLDR does.
func regionOf(code, parentCode string) region {
	r := language.MustParseRegion(code)
	name := func(t language.Tag) string {
		// CLDR writes some names in lower case ("région micronésienne"),
		// which looks wrong as a heading.
		n := display.Regions(t).Name(r)
		first, size := utf8.DecodeRuneInString(n)
		return string(unicode.ToUpper(first)) + n[size:]
	}
	return region{Code: code, Parent: parentCode, Names: names{
		EN: name(language.English),
		FR: name(language.French),
		ES: name(language.Spanish),
	}}
}

// dedupe drops aliases that repeat a name or another alias.
func dedupe(aliases []string, n names) []string {
	seen := map[string]bool{n.EN: true, n.FR: true, n.ES: true}
	var out []string
	for _, a := range aliases {
		if !seen[a] {
			seen[a] = true
			out = append(out, a)
		}
	}
	return out
}

// nameList reads a name that the package writes either as a string or as an
// array of which the first is the official short name.
type nameList []string

func (n *nameList) UnmarshalJSON(b []byte) error {
	if bytes.HasPrefix(bytes.TrimSpace(b), []byte("[")) {
		return json.Unmarshal(b, (*[]string)(n))
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	*n = nameList{s}
	return nil
}

func readJSON(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

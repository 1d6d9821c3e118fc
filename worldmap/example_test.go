package worldmap_test

import (
	"os"

	"github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/worldmap"
)

// A page shows one indicator: each country's rating picks its fill, its
// title says the rating, and it links to the country's page.
func ExampleRender() {
	ratings := map[string]string{"ML": vigie.RatingPartial, "FR": vigie.RatingYes}
	labels := map[string]string{}
	for _, r := range vigie.DefaultRatings() {
		labels[r.Key] = r.Label
	}
	opts := worldmap.Options{
		Title: "Age of Consent around the world",
		Countries: func(iso2 string) worldmap.Style {
			c, _ := vigie.CountryByISO2(iso2)
			rating, ok := ratings[iso2]
			if !ok {
				rating = vigie.RatingNotYetAssessed
			}
			return worldmap.Style{
				Fill:  worldmap.RatingFill(rating),
				Class: "r-" + rating,
				Title: c.Names.EN + ": " + labels[rating],
				Href:  "/countries/" + c.Slug + "#age-of-consent",
			}
		},
		Legend: []worldmap.LegendItem{
			{Fill: worldmap.FillSolid, Label: "Yes"},
			{Fill: worldmap.FillHatched, Label: "Partial"},
			{Fill: worldmap.FillNone, Label: "Not Yet Assessed"},
		},
	}
	worldmap.Render(os.Stdout, opts)       // <svg class="worldmap" …>…</svg>
	worldmap.RenderLegend(os.Stdout, opts) // <ul class="map-legend">…</ul>
	// Then, under the map: worldmap.Attribution.
}

package export

import (
	"cmp"
	"slices"

	vigie "github.com/vigie-network/vigie"
)

// These turn a checked dataset (Check found no problem) back into the
// domain's records, for imports. Each record keeps the index of its row,
// so that problems found later can still name their place in the file.

// Published maps each assessment (country, indicator) to the number of
// its published revision and the row of the assessments table saying so.
func (ds *Dataset) Published() map[[2]string][2]int {
	out := make(map[[2]string][2]int, len(ds.Assessments))
	for i, a := range ds.Assessments {
		out[[2]string{a.Country, a.Indicator}] = [2]int{a.Revision, i}
	}
	return out
}

// DomainSources returns the sources with their rows.
func (ds *Dataset) DomainSources() []vigie.Source {
	out := make([]vigie.Source, len(ds.Sources))
	for i, s := range ds.Sources {
		out[i] = s.domain()
	}
	return out
}

// DomainOrganisations returns the organisations with their contacts in
// order.
func (ds *Dataset) DomainOrganisations() []vigie.Organisation {
	contacts := map[string][]Contact{}
	for _, c := range ds.Contacts {
		contacts[c.Organisation] = append(contacts[c.Organisation], c)
	}
	out := make([]vigie.Organisation, len(ds.Organisations))
	for i, r := range ds.Organisations {
		o, _ := r.domain()
		list := contacts[r.Slug]
		slices.SortFunc(list, func(a, b Contact) int { return cmp.Compare(a.Position, b.Position) })
		for _, c := range list {
			o.Contacts = append(o.Contacts, vigie.Contact{Name: c.Name, Title: c.Title, Phone: c.Phone, Email: c.Email, Address: c.Address})
		}
		out[i] = o
	}
	return out
}

// DomainPublications returns the publications with their countries.
func (ds *Dataset) DomainPublications() []vigie.Publication {
	countries := map[string][]string{}
	for _, c := range ds.PublicationCountries {
		countries[c.Publication] = append(countries[c.Publication], c.Country)
	}
	out := make([]vigie.Publication, len(ds.Publications))
	for i, r := range ds.Publications {
		p := r.domain()
		p.Countries = sorted(countries[r.Slug])
		out[i] = p
	}
	return out
}

// DomainNews returns the news items with their countries, and the slug of
// the featured story ("" for none).
func (ds *Dataset) DomainNews() (items []vigie.NewsItem, featured string) {
	countries := map[string][]string{}
	for _, c := range ds.NewsCountries {
		countries[c.News] = append(countries[c.News], c.Country)
	}
	items = make([]vigie.NewsItem, len(ds.News))
	for i, r := range ds.News {
		n, _ := r.domain()
		n.Countries = sorted(countries[r.Slug])
		items[i] = n
		if r.Featured {
			featured = r.Slug
		}
	}
	return items, featured
}

func sorted(l []string) []string {
	slices.Sort(l)
	return l
}

// DomainTranslations returns the translations in the file's order.
func (ds *Dataset) DomainTranslations() []vigie.Translation {
	out := make([]vigie.Translation, len(ds.Translations))
	for i, r := range ds.Translations {
		out[i] = r.domain()
	}
	return out
}

// Package demo holds the sample content that "vigie serve --demo" loads into
// a new database: a Mali profile written in Vigie's own words, with facts
// taken from the network's public country page.
package demo

import (
	"context"
	"time"

	vigie "github.com/vigie-network/vigie"
)

// Author is recorded on every revision the demo writes.
const Author = "Vigie demo content"

// LoadIfEmpty loads the demo content when nothing has ever been written to
// the store, and reports whether it did. A database people have worked in
// is never touched.
func LoadIfEmpty(ctx context.Context, s vigie.Store) (bool, error) {
	v, err := s.DataVersion(ctx)
	if err != nil {
		return false, err
	}
	if v > 1 {
		return false, nil
	}
	return true, Load(ctx, s)
}

// Load writes the demo content in one transaction. Loading it twice
// changes nothing.
func Load(ctx context.Context, s vigie.Store) error {
	return s.Update(ctx, func(tx vigie.Tx) error {
		for i := range news {
			if _, err := vigie.MergeNewsItem(ctx, tx, &news[i]); err != nil {
				return err
			}
		}
		if _, err := vigie.FeatureStory(ctx, tx, news[0].Slug); err != nil {
			return err
		}
		org := acesem
		if _, err := vigie.MergeOrganisation(ctx, tx, &org); err != nil {
			return err
		}
		pub := maliReport
		if _, err := vigie.MergePublication(ctx, tx, &pub); err != nil {
			return err
		}
		for _, a := range assessments {
			if _, _, err := tx.SaveAssessment(ctx, a, vigie.Change{Author: Author, Reason: "demo content",
				At: time.Date(2024, 1, 15, 9, 0, 0, 0, time.UTC)}); err != nil {
				return err
			}
		}
		return nil
	})
}

var news = []vigie.NewsItem{
	{
		Slug:      "survey-calls-for-urgent-child-protection-laws",
		Title:     "Survey: the public wants urgent laws against the sexual exploitation of children",
		Date:      time.Date(2024, 1, 10, 0, 0, 0, 0, time.UTC),
		Summary:   "A large majority of people asked want their governments to act now.",
		Body:      "Across the countries surveyed, most respondents said that protecting children from sexual exploitation online and offline should be a legislative priority.\n\nThe network will follow up country by country, starting with the indicators where national law is silent.",
		Countries: []string{"ML"},
	},
	{
		Slug:      "mali-profile-published",
		Title:     "Mali's country profile is online",
		Date:      time.Date(2024, 1, 15, 0, 0, 0, 0, time.UTC),
		Summary:   "The first analysis of Mali's legal framework covers extraterritorial jurisdiction and extradition.",
		Body:      "The profile brings together the member organisation working in Mali, the 2017 monitoring report and the first indicator analysis. The other indicators will follow as researchers complete them.",
		Countries: []string{"ML"},
	},
}

var acesem = vigie.Organisation{
	Country: "ML",
	Name:    "Association Contre l’Exploitation Sexuelle des Enfants au Mali",
	Acronym: "ACESEM",
	Description: "ACESEM was set up in December 2018 by people who had worked for ECPAT Luxembourg, and is the first non-profit in Mali devoted to ending every form of sexual exploitation of children. " +
		"From its office in Bamako it also works in the Segou and Sikasso regions, and it plans to reach further parts of the country. " +
		"Its work has three strands: preventing exploitation, protecting children at risk, and helping child victims recover.",
	Founded:     vigie.AsOf{Year: 2018, Month: 12},
	OfficeCity:  "Bamako",
	Regions:     []string{"Segou", "Sikasso"},
	AreasOfWork: []string{"prevention", "protection", "rehabilitation"},
	Contacts: []vigie.Contact{
		{Name: "Boubacar Hassane", Title: "Executive Director", Phone: "+22377084023"},
	},
}

var maliReport = vigie.Publication{
	Title:      "Mali – Country Monitoring Report",
	Type:       vigie.PubCountryReport,
	Year:       2017,
	Publishers: []string{"ECPAT International"},
	Countries:  []string{"ML"},
	Language:   "en",
}

var (
	criminalProcedure = vigie.Source{Kind: vigie.SourceLaw, Title: "Code of Criminal Procedure of Mali", Year: 2001, StatusAsOf: 2021}
	penalCode         = vigie.Source{Kind: vigie.SourceLaw, Title: "Penal Code of Mali", Year: 2001, StatusAsOf: 2016}
	traffickingLaw    = vigie.Source{Kind: vigie.SourceLaw, Title: "Law nº 2012-023 on Trafficking in Persons", Identifier: "Law nº 2012-023", Year: 2012}
)

var assessments = []vigie.Assessment{
	{
		Country:   "ML",
		Indicator: "extraterritoriality-extradition",
		// The reference page explains this indicator without rating it;
		// the demo keeps that honest state rather than invent a rating.
		Rating: vigie.RatingNotRated,
		AsOf:   vigie.AsOf{Year: 2021},
		Explanation: "**Jurisdiction abroad.** Malian courts can try Malian citizens for any offence of sexual exploitation of children committed abroad (Code of Criminal Procedure, art. 22). " +
			"Where the offence is a crime — punishable by five years of imprisonment or more — it need not also be an offence in the country where it took place.\n\n" +
			"For trafficking, the 2012 law reaches both offenders and accomplices who are Malian, and offenders found in Mali or extradited to it, again without a double criminality requirement (arts. 16 and 17).\n\n" +
			"**Extradition.** The law sets no minimum gravity, so it is unclear whether every such offence allows extradition. " +
			"Article 244 of the Code of Criminal Procedure has the Indictment Chamber check that the offence is punishable in Mali, which suggests double criminality applies.",
		Citations: []vigie.Citation{
			{Source: criminalProcedure, Articles: "Art. 22, 244"},
			{Source: penalCode},
			{Source: traffickingLaw, Articles: "Art. 16, 17"},
		},
	},
}

package storetest

import (
	"fmt"
	"testing"

	vigie "github.com/vigie-network/vigie"
)

func testFrameworkEdits(t *testing.T, s vigie.Store) {
	added := vigie.Indicator{Key: "online-grooming", Name: "Online Grooming Offence", Rationale: "Why it matters.", Position: 10}
	update(t, s, func(tx vigie.Tx) error {
		changed, err := tx.SaveIndicator(ctx, added)
		if err == nil && !changed {
			err = fmt.Errorf("adding an indicator changed nothing")
		}
		return err
	})
	inds, _ := s.Indicators(ctx)
	if len(inds) != 10 || inds[9] != added {
		t.Fatalf("indicators after adding one: %+v", inds)
	}
	// Assessments of the new indicator work like any other.
	update(t, s, func(tx vigie.Tx) error {
		_, _, err := tx.SaveAssessment(ctx, vigie.Assessment{Country: "ML", Indicator: added.Key, Rating: vigie.RatingNo}, vigie.Change{Author: "t"})
		return err
	})
	renamed := inds[0]
	renamed.Name = "Age of Sexual Consent"
	v0, _ := s.DataVersion(ctx)
	update(t, s, func(tx vigie.Tx) error {
		if _, err := tx.SaveIndicator(ctx, renamed); err != nil {
			return err
		}
		changed, err := tx.SaveIndicator(ctx, renamed)
		if err == nil && changed {
			err = fmt.Errorf("saving the same indicator twice changed it twice")
		}
		return err
	})
	if inds, _ = s.Indicators(ctx); inds[0].Name != "Age of Sexual Consent" || len(inds) != 10 {
		t.Errorf("rename: %+v", inds[0])
	}
	if v1, _ := s.DataVersion(ctx); v1 <= v0 {
		t.Error("editing the framework did not move the data version")
	}
	rating := vigie.Rating{Key: "in-progress", Label: "Reform in Progress", Meaning: "A bill is before parliament.", Assessed: true, Position: 7}
	update(t, s, func(tx vigie.Tx) error { _, err := tx.SaveRating(ctx, rating); return err })
	if ratings, _ := s.Ratings(ctx); len(ratings) != len(vigie.DefaultRatings())+1 || ratings[len(ratings)-1] != rating {
		t.Errorf("ratings after adding one: %+v", ratings)
	}
	bad := vigie.Indicator{Key: "Not A Key", Name: "x"}
	if err := s.Update(ctx, func(tx vigie.Tx) error { _, err := tx.SaveIndicator(ctx, bad); return err }); vigie.ErrorCode(err) != vigie.EINVALID {
		t.Errorf("bad key: %v", err)
	}
}

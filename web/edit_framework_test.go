package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	vigie "github.com/vigie-network/vigie"
)

func TestAdminsEditTheFramework(t *testing.T) {
	e := newEditorsSite(t)
	e.addUser("boss@example.org", vigie.RoleAdmin)
	e.addUser("ana@example.org", vigie.RoleResearcher)
	if res, _ := e.login("ana@example.org").get("/edit/framework"); res.StatusCode != http.StatusForbidden {
		t.Errorf("a researcher opened the framework page: %d", res.StatusCode)
	}
	boss := e.login("boss@example.org")
	doc := boss.page("/edit/framework", http.StatusOK)
	if n := doc.Find(`form[action="/edit/framework/indicators"]`).Length(); n != 10 {
		t.Errorf("%d indicator forms, want 9 and one to add", n)
	}
	add := url.Values{"key": {"online-grooming"}, "name": {"Online Grooming Offence"},
		"rationale": {"Adults who contact children online to abuse them."}, "value_kind": {""}, "position": {"10"}}
	if res, _ := boss.post("/edit/framework/indicators", add); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("adding an indicator: %d", res.StatusCode)
	}
	rating := url.Values{"key": {"in-progress"}, "label": {"Reform in Progress"}, "meaning": {"A bill is before parliament."},
		"assessed": {"on"}, "position": {"7"}}
	if res, _ := boss.post("/edit/framework/ratings", rating); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("adding a rating: %d", res.StatusCode)
	}
	// The public pages follow at once: every country now has ten indicators.
	country := e.visitor("192.0.2.5").page("/countries/mali", http.StatusOK)
	if !strings.Contains(textOf(country.Find("main")), "Online Grooming Offence") {
		t.Error("the new indicator is not on the country page")
	}
	indicators := e.visitor("192.0.2.5").page("/indicators", http.StatusOK)
	if !strings.Contains(textOf(indicators.Find("main")), "Reform in Progress") {
		t.Error("the new rating is not on the indicators page")
	}
	bad := url.Values{"key": {"Bad Key"}, "name": {"x"}, "position": {"11"}}
	if res, _ := boss.post("/edit/framework/indicators", bad); res.StatusCode != http.StatusBadRequest {
		t.Errorf("a bad key: %d, want 400", res.StatusCode)
	}
	if log, _ := e.st.AuditLog(t.Context(), vigie.AuditFilter{}); len(log) == 0 || log[0].Action != "rating.save" && log[1].Action != "rating.save" {
		t.Errorf("framework edits are not audited: %+v", log[:min(2, len(log))])
	}
}

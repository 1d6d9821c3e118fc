package web

import (
	"net/http"
	"strconv"
	"time"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/web/i18n"
)

// The audit log, for admins: every write, newest first, a page at a time.

const auditPageSize = 50

type auditPage struct {
	editorChrome
	Entries []auditRow
	Older   string // the next page's address, "" on the last page
	Paged   bool   // not the newest page
}

type auditRow struct {
	ID                                  int64
	At                                  dateTimeView
	Actor, Action, Target, Detail, Addr string
}

func (s *Server) handleAudit(w http.ResponseWriter, r *http.Request) {
	u, ok := s.allowed(w, r, vigie.ActViewAudit, "")
	if !ok {
		return
	}
	before, _ := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64)
	entries, err := s.store.AuditLog(r.Context(), vigie.AuditFilter{BeforeID: max(before, 0), Limit: auditPageSize + 1})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	page := auditPage{editorChrome: chrome(u), Paged: before > 0}
	lang := langOf(r.Context())
	if len(entries) > auditPageSize {
		entries = entries[:auditPageSize]
		page.Older = "/edit/audit?before=" + strconv.FormatInt(entries[len(entries)-1].ID, 10)
	}
	for _, e := range entries {
		page.Entries = append(page.Entries, auditRow{ID: e.ID, At: adminMoment(lang, e.At), Actor: e.Actor,
			Action: e.Action, Target: e.Target, Detail: e.Detail, Addr: e.Addr})
	}
	s.render(w, r, http.StatusOK, "edit_audit", layout{Title: tr(r, "auditlog.title"), Page: page})
}

// adminMoment is newDateTime written in lang: "2 January 2006, 15:04 UTC",
// "2 janvier 2006 à 15:04 UTC".
func adminMoment(lang string, t time.Time) dateTimeView {
	v := newDateTime(t)
	if v.ISO != "" && lang != "en" {
		t = t.UTC()
		v.Display = i18n.Default().T(lang, "auditlog.moment", "Date", i18n.Default().Date(lang, t), "Time", t.Format("15:04"))
	}
	return v
}

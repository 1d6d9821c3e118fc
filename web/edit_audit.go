package web

import (
	"net/http"
	"strconv"

	vigie "github.com/vigie-network/vigie"
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
	if len(entries) > auditPageSize {
		entries = entries[:auditPageSize]
		page.Older = "/edit/audit?before=" + strconv.FormatInt(entries[len(entries)-1].ID, 10)
	}
	for _, e := range entries {
		page.Entries = append(page.Entries, auditRow{ID: e.ID, At: newDateTime(e.At), Actor: e.Actor,
			Action: e.Action, Target: e.Target, Detail: e.Detail, Addr: e.Addr})
	}
	s.render(w, r, http.StatusOK, "edit_audit", layout{Title: "Audit log", Page: page})
}

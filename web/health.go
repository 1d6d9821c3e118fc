package web

import (
	"context"
	"encoding/json"
	"net/http"
	"time"
)

// handleHealth tells load balancers whether the store answers, and which
// data version this process sees.
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	v, err := s.store.DataVersion(ctx)
	if err != nil {
		s.logError(r, err)
		w.WriteHeader(http.StatusServiceUnavailable)
		json.NewEncoder(w).Encode(map[string]string{"status": "unavailable"})
		return
	}
	json.NewEncoder(w).Encode(struct {
		Status      string `json:"status"`
		DataVersion int64  `json:"data_version"`
	}{"ok", v})
}

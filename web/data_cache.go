package web

import (
	"context"
	"sync"

	"github.com/vigie-network/vigie/export"
)

// datasetCache keeps the published dataset of one data version: the
// downloads in three formats, and the offline copy, build it once rather
// than once per file.
type datasetCache struct {
	mu      sync.Mutex // one build at a time; the others wait for it
	version int64
	ds      *export.Dataset
}

// currentDataset returns the published dataset and the data version it
// belongs to. The version is read before the build, so a write during the
// build makes the next request build again rather than keep stale data.
func (s *Server) currentDataset(ctx context.Context) (*export.Dataset, int64, error) {
	version, err := s.store.DataVersion(ctx)
	if err != nil {
		return nil, 0, err
	}
	c := &s.datasets
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ds != nil && c.version == version {
		return c.ds, version, nil
	}
	ds, err := export.Build(ctx, s.store, export.Options{Scope: export.ScopePublished})
	if err != nil {
		return nil, 0, err
	}
	c.ds, c.version = ds, version
	return ds, version, nil
}

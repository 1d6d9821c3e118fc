package web

import (
	"context"
	"sync"

	"github.com/vigie-network/vigie/export"
)

// datasetCache keeps the published dataset of one data version, so that
// the offline copy builds it once for its three downloads rather than once
// per file. Only the copy's server keeps it (keep): a running site keeps
// the downloads' bytes in its page cache already, and the dataset itself
// is many times their size.
type datasetCache struct {
	keep    bool
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
	if c.keep {
		c.ds, c.version = ds, version
	}
	return ds, version, nil
}

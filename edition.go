package vigie

import (
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// Edition is a citable, frozen snapshot of the published data, such as
// the "2026" edition. Its Snapshot is the JSON export of the published
// data exactly as readers download it, so that anyone can check a copy
// against SHA256. Editions are never changed once stored.
type Edition struct {
	Name        string // URL-safe: lower-case words or digits joined by hyphens, "2026", "2026-mid-year"
	PublishedAt time.Time
	// DataVersion is the store's data version the snapshot was taken at.
	DataVersion int64
	SHA256      string // hex digest of Snapshot
	Size        int64  // bytes in Snapshot
	// Snapshot is empty in lists (Reader.Editions); Reader.Edition fills it.
	Snapshot []byte
}

// Validate checks an edition before it is stored.
func (e Edition) Validate() error {
	if len(e.Name) > 64 || !keyPattern.MatchString(e.Name) {
		return FieldError("name", "%q must be lower-case words or digits joined by hyphens, e.g. \"2026\"", e.Name)
	}
	if e.PublishedAt.IsZero() {
		return FieldError("published_at", "is required")
	}
	if len(e.Snapshot) == 0 {
		return FieldError("snapshot", "is empty")
	}
	if e.SHA256 != SnapshotDigest(e.Snapshot) {
		return FieldError("sha256", "does not match the snapshot")
	}
	if e.Size != int64(len(e.Snapshot)) {
		return FieldError("size", "%d is not the snapshot's %d bytes", e.Size, len(e.Snapshot))
	}
	return nil
}

// SnapshotDigest is the hex SHA-256 of an edition's snapshot, as people
// check a download with sha256sum.
func SnapshotDigest(snapshot []byte) string {
	sum := sha256.Sum256(snapshot)
	return hex.EncodeToString(sum[:])
}

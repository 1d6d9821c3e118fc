package export

// SetHistoryChunk makes Open and History hold n rows of the history at a
// time, so that tests cross chunk boundaries with small files; it
// returns what puts it back.
func SetHistoryChunk(n int) func() {
	old := historyChunk
	historyChunk = n
	return func() { historyChunk = old }
}

// HoldsCitations reports whether o holds the citations in memory, as it
// does only for a file that does not list them in their revisions' order.
func HoldsCitations(o *Opened) bool { return o.cites != nil }

// SourcesInKeyOrder reports whether o reads its sources beside the
// stored ones (EachStoredSource), as it does for a file that lists them
// in the order of their keys.
func SourcesInKeyOrder(o *Opened) bool { return o.sourcesInOrder }

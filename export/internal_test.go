package export

// SetHistoryChunk makes Open and History hold n rows of the history at a
// time, so that tests cross chunk boundaries with small files; it
// returns what puts it back.
func SetHistoryChunk(n int) func() {
	old := historyChunk
	historyChunk = n
	return func() { historyChunk = old }
}

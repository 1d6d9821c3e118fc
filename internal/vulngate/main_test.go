package main

import (
	"strings"
	"testing"
)

func TestGateFailsOnlyOnACalledDependency(t *testing.T) {
	stream := `{"config":{"protocol_version":"v1.0.0"}}
{"finding":{"osv":"GO-1","fixed_version":"v1.26.9","trace":[{"module":"stdlib","version":"v1.26.8","package":"net/http","function":"Serve"}]}}
{"finding":{"osv":"GO-2","fixed_version":"v0.9.0","trace":[{"module":"example.com/dep","version":"v0.8.0","package":"example.com/dep"}]}}
{"finding":{"osv":"GO-3","fixed_version":"v1.2.0","trace":[{"module":"example.com/lib","version":"v1.1.0","package":"example.com/lib","function":"Parse"},{"module":"github.com/vigie-network/vigie","function":"main"}]}}
`
	fatal, reported, err := gate(strings.NewReader(stream))
	if err != nil {
		t.Fatal(err)
	}
	if len(fatal) != 1 || !strings.HasPrefix(fatal[0], "GO-3 ") {
		t.Errorf("fatal = %q, want only GO-3 (called in a dependency)", fatal)
	}
	if len(reported) != 1 || !strings.HasPrefix(reported[0], "GO-1 ") {
		t.Errorf("reported = %q, want only GO-1 (standard library)", reported)
	}
	for _, broken := range []string{"{not json", ""} {
		if _, _, err := gate(strings.NewReader(broken)); err == nil {
			t.Errorf("stream %q passed the gate", broken)
		}
	}
}

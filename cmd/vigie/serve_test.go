package main

import (
	"strings"
	"testing"
)

func TestServeRefusesABadBaseURLOrProxyList(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--trusted-proxy", "proxy.example"}, "--trusted-proxy"},
		{[]string{"--trusted-proxy", "10.0.0.0/40"}, "--trusted-proxy"},
		{[]string{"--base-url", "vigie.example.org"}, "--base-url"},
		{[]string{"--base-url", "https://"}, "--base-url"},
		{[]string{"--base-url", "https://vigie.example.org/?x=1"}, "--base-url"},
		{[]string{"--base-url", "https://vigie.example.org\"><script>"}, "--base-url"},
		{[]string{"--base-url", "javascript://vigie.example.org"}, "--base-url"},
	} {
		args := append([]string{"serve", "--addr", "127.0.0.1:0", "--db", t.TempDir() + "/vigie.db"}, tt.args...)
		code, _, stderr := runCLI(t, args...)
		if code == 0 || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, %q", tt.args, code, stderr)
		}
	}
}

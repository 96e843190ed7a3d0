package webroot

import (
	"slices"
	"testing"
)

func TestServedNever(t *testing.T) {
	for spec, want := range map[string][]string{
		"Dockerfile":         {"_headers", "_redirects", "layercake.lock", "Dockerfile"},
		"deploy/site.yaml":   {"_headers", "_redirects", "layercake.lock", "site.yaml"},
		"":                   {"_headers", "_redirects", "layercake.lock"},
		"sub/layercake.lock": {"_headers", "_redirects", "layercake.lock"},
	} {
		if got := ServedNever(spec); !slices.Equal(got, want) {
			t.Errorf("ServedNever(%q) = %q, want %q", spec, got, want)
		}
	}
}

package debian

import (
	"errors"
	"slices"
	"testing"
)

func TestSimilar(t *testing.T) {
	var pkgs []Package
	for _, n := range []string{"hugo", "hugo-doc", "pandoc", "pandoc-data", "ghc", "libghc-hakyll-dev", "nodejs", "npm", "mkdocs", "mkdocs-material"} {
		pkgs = append(pkgs, Package{Name: n, Version: "1", Architecture: "amd64"})
	}
	x := NewIndex(pkgs)
	for _, tc := range []struct {
		name string
		want []string
	}{
		{"hgo", []string{"hugo"}},      // one letter missing
		{"hugp", []string{"hugo"}},     // one letter wrong
		{"pandco", []string{"pandoc"}}, // two letters swapped: distance 2
		{"mkdoc", []string{"mkdocs"}},  // one letter short
		{"node", nil},                  // short names allow one edit only: "npm" is two away, "nodejs" too
		{"libghc-hakyl-dev", []string{"libghc-hakyll-dev"}},
		{"zzzzzz", nil},
	} {
		if got := x.Similar(tc.name); !slices.Equal(got, tc.want) {
			t.Errorf("Similar(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}

// A misspelt root says which names it may have meant; a missing dependency of
// a package that exists under another name is left alone.
func TestResolveSuggestsNames(t *testing.T) {
	x := NewIndex([]Package{{Name: "hugo", Version: "1", Architecture: "amd64"}})
	_, err := Resolve(x, []string{"hgo"}, nil)
	var nc *NoCandidateError
	if !errors.As(err, &nc) {
		t.Fatalf("Resolve(hgo) error = %v, want a NoCandidateError", err)
	}
	if want := "no package satisfies hgo (required by the roots); did you mean hugo?"; err.Error() != want {
		t.Errorf("Resolve(hgo) error = %q, want %q", err, want)
	}
	_, err = Resolve(x, []string{"hugo (>= 9)"}, nil)
	if !errors.As(err, &nc) || len(nc.Similar) != 0 {
		t.Errorf("Resolve(hugo (>= 9)) = %v, want no suggestion: hugo exists, only its version is missing", err)
	}
}

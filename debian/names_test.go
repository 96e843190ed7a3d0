package debian

import (
	"slices"
	"testing"
)

func TestClosest(t *testing.T) {
	names := []string{"hugo", "hugo-extended", "mkdocs", "mkdocs-material", "ghc", "ghc-doc", "nodejs", "npm", "jekyll", "ruby-jekyll-feed"}
	for _, tc := range []struct {
		name string
		want []string
	}{
		{"hugi", []string{"hugo"}},                       // a typo
		{"mkdoc", []string{"mkdocs"}},                    // a letter short
		{"nodejs", nil},                                  // exact names are not suggested
		{"jeckyll", []string{"jekyll"}},                  // a letter too many
		{"mkdocs-materail", []string{"mkdocs-material"}}, // transposed letters
		{"ghc", []string{"ghc-doc"}},                     // only a longer name starts with it
		{"python3-markdown-extensions", nil},             // nothing near
		{"gh", []string{"ghc"}},                          // one letter short
	} {
		if got := Closest(tc.name, names, 3); !slices.Equal(got, tc.want) {
			t.Errorf("Closest(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestSuggestSkipsKnownNames(t *testing.T) {
	idx := NewIndex([]Package{{Name: "hugo", Version: "1", Architecture: "amd64"}, {Name: "hugo-doc", Version: "1", Architecture: "all"}})
	if got := idx.Suggest("hugo"); got != nil {
		t.Errorf("Suggest(hugo) = %q, want nothing for a known name", got)
	}
	if got := idx.Suggest("hug"); !slices.Equal(got, []string{"hugo"}) {
		t.Errorf("Suggest(hug) = %q", got)
	}
}

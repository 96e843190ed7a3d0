package gitignore

import (
	"slices"
	"strings"
	"testing"

	"github.com/moby/patternmatcher"
)

// fuzzPaths are matched against every emitted pattern, so that
// patternmatcher compiles each one (it does so lazily).
var fuzzPaths = []string{"a", "a/b", "docs/x.html", " a/[b]/c ", "é/^/\\"}

func FuzzPatterns(f *testing.F) {
	for _, seed := range []string{
		"*.log\n!keep.log\n/build/\n", "# c\n\\#x\n\\!y\nz\\ \n", "a/**/b\n**\n/\n!\n",
		"[!a-c]\n[]a]\n[a-]\n[[:alpha:]]\n[[:x]\n[z-a]\n[+-1]\n", "\uFEFF a \r\n\\\n", "^$.+()|{}\n",
	} {
		f.Add([]byte(seed), "")
		f.Add([]byte(seed), "d[1]/ e")
	}
	f.Fuzz(func(t *testing.T, data []byte, dir string) {
		files := []File{{Dir: dir, Data: data}, {Dir: "", Data: data}}
		got := Patterns(files)
		if again := Patterns(files); !slices.Equal(got, again) {
			t.Fatalf("Patterns is not deterministic: %q then %q", got, again)
		}
		for _, p := range got {
			checkPattern(t, p)
		}
	})
}

// checkPattern fails unless patternmatcher accepts p and can match with it.
func checkPattern(t *testing.T, p string) {
	t.Helper()
	if _, err := patternmatcher.New([]string{p}); err != nil {
		t.Fatalf("patternmatcher.New(%q): %v", p, err)
	}
	pm, err := patternmatcher.New([]string{strings.TrimPrefix(p, "!")})
	if err != nil {
		t.Fatalf("patternmatcher.New(%q): %v", p, err)
	}
	for _, path := range fuzzPaths {
		if _, err := pm.MatchesOrParentMatches(path); err != nil {
			t.Fatalf("MatchesOrParentMatches(%q) with %q: %v", path, p, err)
		}
	}
}

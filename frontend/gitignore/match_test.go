package gitignore

import (
	"slices"
	"testing"

	"github.com/moby/patternmatcher"
)

// excluded returns the paths that BuildKit would leave out of the context
// given the converted files, in the order given.
func excluded(t *testing.T, files []File, paths []string) []string {
	t.Helper()
	patterns := Patterns(files)
	pm, err := patternmatcher.New(patterns)
	if err != nil {
		t.Fatalf("patternmatcher.New(%q): %v", patterns, err)
	}
	var out []string
	for _, p := range paths {
		ok, err := pm.MatchesOrParentMatches(p)
		if err != nil {
			t.Fatalf("MatchesOrParentMatches(%q) with %q: %v", p, patterns, err)
		}
		if ok {
			out = append(out, p)
		}
	}
	return out
}

func TestPatternsExclude(t *testing.T) {
	tests := []struct {
		name  string
		files []File
		paths []string
		want  []string // what git ignores
	}{
		{
			"any depth",
			root("*.log"),
			[]string{"x.log", "a/b/x.log", "a/b/x.txt", "log"},
			[]string{"x.log", "a/b/x.log"},
		},
		{
			"anchored to a nested folder",
			in("docs", "/build"),
			[]string{"docs/build/x", "build/x", "docs/a/build/x", "docs/buildx"},
			[]string{"docs/build/x"},
		},
		{
			"folder only",
			root("public/"),
			[]string{"public/index.html", "a/public/css/x.css", "publicity.txt"},
			[]string{"public/index.html", "a/public/css/x.css"},
		},
		{
			"negation",
			root("*.html\n!keep.html"),
			[]string{"a.html", "keep.html", "d/keep.html", "d/b.html", "x.md"},
			[]string{"a.html", "d/b.html"},
		},
		{
			"nested file overrides a parent rule",
			append(root("*.html"), in("docs", "!index.html")...),
			[]string{"index.html", "docs/index.html", "docs/a/index.html", "docs/page.html"},
			[]string{"index.html", "docs/page.html"},
		},
		{
			"nested file adds to a parent rule",
			append(in("docs", "*.tmp"), root("!*.tmp")...),
			[]string{"a.tmp", "docs/a.tmp"},
			[]string{"docs/a.tmp"},
		},
		{
			"comments and blank lines",
			root("# *.md\n\n  \n*.bak\n"),
			[]string{"README.md", "# *.md", "x.bak"},
			[]string{"x.bak"},
		},
		{
			"escaped hash",
			root("\\#draft#\n"),
			[]string{"#draft#", "a/#draft#", "draft#"},
			[]string{"#draft#", "a/#draft#"},
		},
		{
			"escaped trailing space",
			root("a\\ \n"),
			[]string{"a ", "a"},
			[]string{"a "},
		},
		{
			"middle doublestar",
			root("a/**/b"),
			[]string{"a/b", "a/x/y/b", "x/a/b", "a/bb"},
			[]string{"a/b", "a/x/y/b"},
		},
		{
			"trailing doublestar",
			root("a/**"),
			[]string{"a", "a/x", "a/x/y"},
			[]string{"a/x", "a/x/y"},
		},
		{
			"negated class never matches a slash",
			root("a[!x]b"),
			[]string{"ayb", "axb", "a/b"},
			[]string{"ayb"},
		},
		{
			"caret is literal",
			root("^*"),
			[]string{"^a", "a"},
			[]string{"^a"},
		},
		{
			"braces are literal, not a repeat",
			root("*a{2}"),
			[]string{"xa{2}", "xaa"},
			[]string{"xa{2}"},
		},
		{
			"a bar is literal, not an alternative",
			root("*a|b"),
			[]string{"xa|b", "xa", "b"},
			[]string{"xa|b"},
		},
		{
			"braces after a star",
			root("*{1000}"),
			[]string{"x{1000}", "x"},
			[]string{"x{1000}"},
		},
		{
			"doublestar inside a name is a star",
			root("a**z"),
			[]string{"abz", "a/z", "a/b/z"},
			[]string{"abz"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := excluded(t, tt.files, tt.paths); !slices.Equal(got, tt.want) {
				t.Errorf("excluded(%q) = %q, want %q (patterns %q)", tt.paths, got, tt.want, Patterns(tt.files))
			}
		})
	}
}

package gitignore

import (
	"slices"
	"testing"
)

// root is a .gitignore at the context root.
func root(data string) []File { return []File{{Dir: "", Data: []byte(data)}} }

// in is a .gitignore in dir.
func in(dir, data string) []File { return []File{{Dir: dir, Data: []byte(data)}} }

func TestPatterns(t *testing.T) {
	tests := []struct {
		name  string
		files []File
		want  []string
	}{
		{"no files", nil, nil},
		{"blank lines and comments", root("# editor\n\n   \nfoo\n#bar\n"), []string{"**/foo"}},
		{"no final newline", root("a\nb"), []string{"**/a", "**/b"}},
		{"CRLF", root("a\r\nb\r\n"), []string{"**/a", "**/b"}},
		{"BOM", root("\uFEFFa\n"), []string{"**/a"}},
		{"NUL ends the line", root("a\x00b\n"), []string{"**/a"}},
		{"escaped hash", root(`\#notes`), []string{"**/#notes"}},
		{"hash after start is literal", root("a#b"), []string{"**/a#b"}},
		{"escaped bang", root(`\!keep`), []string{"**/!keep"}},
		{"escaped bang anchored at the root", root(`/\!keep`), []string{`\!keep`}},
		{"trailing spaces trimmed", root("foo   \n"), []string{"**/foo"}},
		{"escaped trailing space kept", root(`foo\ ` + "  \n"), []string{"**/foo[ ]"}},
		{"leading space kept", root(" foo"), []string{"**/ foo"}},
		{"leading space anchored at the root", root("/ foo"), []string{"[ ]foo"}},
		{"negation", root("*.html\n!keep.html"), []string{"**/*.html", "!**/keep.html"}},
		{"lone slash", root("/\n!\n!/\n//\n"), nil},
		{"leading slash anchors at the root", root("/build"), []string{"build"}},
		{"leading slash anchors at the folder", in("docs", "/build"), []string{"docs/build"}},
		{"middle slash anchors", in("docs", "a/b"), []string{"docs/a/b"}},
		{"no slash matches at any depth", root("*.swp"), []string{"**/*.swp"}},
		{"no slash matches at any depth below the folder", in("docs", "*.swp"), []string{"docs/**/*.swp"}},
		{"trailing slash: folder only", root("node_modules/"), []string{"**/node_modules"}},
		{"trailing slash with leading slash", root("/public/"), []string{"public"}},
		{"trailing slash with middle slash", in("docs", "a/b/"), []string{"docs/a/b"}},
		{"negated folder", root("!keep/"), []string{"!**/keep"}},
		{"leading doublestar", root("**/foo"), []string{"**/foo"}},
		{"leading doublestar in a folder", in("docs", "**/foo"), []string{"docs/**/foo"}},
		{"trailing doublestar", root("foo/**"), []string{"foo/**"}},
		{"middle doublestar", root("a/**/b"), []string{"a/**/b"}},
		{"lone doublestar", root("**"), []string{"**"}},
		{"lone doublestar in a folder", in("docs", "**"), []string{"docs/**"}},
		{"anchored doublestar", in("docs", "/**"), []string{"docs/**"}},
		{"triple star is a doublestar", root("a/***/b"), []string{"a/**/b"}},
		{"doublestar inside a name is a star", root("a**b\n**.c"), []string{"**/a*b", "**/*.c"}},
		{"question mark", root("?.o"), []string{"**/?.o"}},
		{"escaped glob characters", root(`\*\?\[x\]`), []string{`**/\*\?\[x\]`}},
		{"escaped letter is the letter", root(`a\d`), []string{"**/ad"}},
		{"caret is escaped", root("^x"), []string{`**/\^x`}},
		{"trailing backslash matches nothing", root(`a\`), nil},
		{"class", root("[abc].txt"), []string{"**/[abc].txt"}},
		{"class range", root("[a-c]"), []string{"**/[a-c]"}},
		{"class negated with bang", root("[!a-c]"), []string{"**/[^a-c/]"}},
		{"class negated with caret", root("[^a]"), []string{"**/[^a/]"}},
		{"class with leading bracket", root("[]a]"), []string{`**/[\]a]`}},
		{"class with trailing dash", root("[a-]"), []string{`**/[a\-]`}},
		{"class with leading dash", root("[-a]"), []string{`**/[\-a]`}},
		{"class inverted range keeps its start", root("[z-a]"), []string{"**/[z]"}},
		{"class posix", root("[[:digit:]]"), []string{"**/[0-9]"}},
		{"class posix negated", root("[![:lower:]]"), []string{"**/[^a-z/]"}},
		{"class posix without colon", root("[[:a]"), []string{`**/[\[\:a]`}},
		{"class unknown posix", root("[[:nope:]]"), nil},
		{"class unterminated", root("[abc"), nil},
		{"class of slash matches nothing", root("a[/]b"), nil},
		{"class range across slash", root("[+-1]"), []string{`**/[\+-\.0-1]`}},
		{"class negated slash is any, anchored by its slash", root("[!/]"), []string{"?"}},
		{"dot segments match nothing", root("a/../b\n./c\na//b"), nil},
		{"dots in names", root("..foo\n/.x"), []string{"**/..foo", ".x"}},
		{"folder with glob characters", in("a[1]", "x"), []string{`a\[1\]/**/x`}},
		{"folder cleaned", in("./docs/", "/x"), []string{"docs/x"}},
		{"folder outside the context", in("../up", "x"), nil},
		{"invalid UTF-8", root("\xff\nok"), []string{"**/ok"}},
		{
			"shallowest first",
			[]File{
				{Dir: "b/c", Data: []byte("x")},
				{Dir: "b", Data: []byte("x")},
				{Dir: "a", Data: []byte("x")},
				{Dir: "", Data: []byte("x")},
			},
			[]string{"**/x", "a/**/x", "b/**/x", "b/c/**/x"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Patterns(tt.files); !slices.Equal(got, tt.want) {
				t.Errorf("Patterns(%q) = %q, want %q", tt.files, got, tt.want)
			}
		})
	}
}

func TestPatternsKeepsInput(t *testing.T) {
	files := []File{{Dir: "b", Data: []byte("x")}, {Dir: "", Data: []byte("y")}}
	Patterns(files)
	if files[0].Dir != "b" {
		t.Errorf("Patterns reordered its input: %q", files)
	}
}

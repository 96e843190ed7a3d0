package clip

import (
	"testing"
	"unicode/utf8"
)

func TestString(t *testing.T) {
	for _, tc := range []struct {
		s    string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"exactly", 7, "exactly"},
		{"abcdef", 3, "abc…"},
		{"ééééé", 2, "éé…"},    // two-byte runes are kept whole
		{"日本語テキスト", 3, "日本語…"}, // three-byte runes too
		{"", 0, ""},
	} {
		got := String(tc.s, tc.n)
		if got != tc.want || !utf8.ValidString(got) {
			t.Errorf("String(%q, %d) = %q, want %q", tc.s, tc.n, got, tc.want)
		}
	}
}

func TestValid(t *testing.T) {
	for _, tc := range []struct{ s, want string }{
		{"café.html", "café.html"},
		{"caf\xe9.html", `caf\xe9.html`},
		{"a\xff\xfeb é", `a\xff\xfeb é`},
		{"", ""},
	} {
		if got := Valid(tc.s); got != tc.want || !utf8.ValidString(got) {
			t.Errorf("Valid(%q) = %q, want %q", tc.s, got, tc.want)
		}
	}
}

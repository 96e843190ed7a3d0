package debian

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// A long value in an error is cut at a character, never inside one.
func TestTruncateKeepsUTF8(t *testing.T) {
	s := strings.Repeat("é", 100)
	got := truncate(s)
	if !utf8.ValidString(got) || utf8.RuneCountInString(got) != 41 {
		t.Errorf("truncate(100 × é) = %q, want 40 characters and …", got)
	}
}

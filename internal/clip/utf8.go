package clip

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Valid returns s with every byte that is not part of a UTF-8 sequence
// written as \xNN, and s itself when it is valid. A file name may hold any
// bytes but a message crossing BuildKit's gRPC may not: an invalid one is
// replaced by a marshaling error that names nothing.
func Valid(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			fmt.Fprintf(&b, `\x%02x`, s[i])
		} else {
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

package initspec

import (
	"regexp"
	"strings"
)

// specMarkers match what a layercake spec has and a Dockerfile does not: a
// top-level "version:" key, or a `# syntax=` line naming layercake.
var specMarkers = []*regexp.Regexp{
	regexp.MustCompile(`(?m)^version[ \t]*:`),
	regexp.MustCompile(`(?i)\A#[ \t]*syntax[ \t]*=[^\n]*layercake`),
}

// LooksLikeSpec reports whether data, the text of an existing file, reads
// as a layercake spec rather than a Dockerfile, so that replacing it loses
// no build instructions of another kind.
func LooksLikeSpec(data []byte) bool {
	text := strings.TrimPrefix(strings.ReplaceAll(string(data), "\r\n", "\n"), "\ufeff")
	for _, re := range specMarkers {
		if re.MatchString(text) {
			return true
		}
	}
	return false
}

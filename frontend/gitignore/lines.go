package gitignore

import (
	"bytes"
	"strings"
)

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// lines splits a .gitignore the way git reads it: a leading UTF-8 BOM is
// skipped, lines end at "\n", one "\r" before it is dropped, and a NUL ends
// the line (git keeps patterns as C strings).
func lines(data []byte) []string {
	data = bytes.TrimPrefix(data, utf8BOM)
	raw := bytes.Split(data, []byte("\n"))
	out := make([]string, 0, len(raw))
	for _, l := range raw {
		l = bytes.TrimSuffix(l, []byte("\r"))
		if i := bytes.IndexByte(l, 0); i >= 0 {
			l = l[:i]
		}
		out = append(out, string(l))
	}
	return out
}

// rule is one pattern line after git's line rules.
type rule struct {
	negate   bool   // the line started with "!"
	anchored bool   // a "/" at the start or in the middle
	body     string // the glob, without "!", the leading "/" or the trailing "/"
}

// parseLine applies git's line rules. ok is false for blank lines, comments
// and lines left empty ("/", "!"). A trailing "/" (folders only) is dropped:
// see Patterns for why.
func parseLine(line string) (rule, bool) {
	if line == "" || line[0] == '#' {
		return rule{}, false
	}
	line = trimTrailingSpaces(line)
	var r rule
	if strings.HasPrefix(line, "!") {
		r.negate, line = true, line[1:]
	}
	line = strings.TrimSuffix(line, "/")
	r.anchored = strings.Contains(line, "/")
	if r.anchored {
		line = strings.TrimPrefix(line, "/")
	}
	r.body = line
	return r, line != ""
}

// trimTrailingSpaces drops trailing spaces that are not escaped with "\".
func trimTrailingSpaces(s string) string {
	end := len(s)
	lastSpace := -1
	for i := 0; i < end; i++ {
		switch s[i] {
		case ' ':
			if lastSpace < 0 {
				lastSpace = i
			}
		case '\\':
			i++
			lastSpace = -1
		default:
			lastSpace = -1
		}
	}
	if lastSpace >= 0 {
		return s[:lastSpace]
	}
	return s
}

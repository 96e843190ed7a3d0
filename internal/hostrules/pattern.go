package hostrules

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
)

// MaxPlaceholders bounds the placeholders and splat of one pattern: nginx
// numbers regex captures $1 to $9.
const MaxPlaceholders = 9

// Pattern is a request path pattern: literal segments, ":name" segments
// matching one segment, and at most one "*" matching the rest.
type Pattern struct {
	// Text is the pattern as written.
	Text string
	// Names are the placeholders in capture order; "splat" is the "*".
	Names []string
}

// Dynamic reports whether the pattern has a placeholder or a splat
// (Cloudflare counts these against a lower limit).
func (p Pattern) Dynamic() bool { return len(p.Names) > 0 }

var placeholderRE = regexp.MustCompile(`^:[A-Za-z][A-Za-z0-9_]*$`)

// pathProblem says what is wrong with one character of a path, or "".
func pathProblem(r rune) string {
	switch {
	case r == '%':
		return `percent-encoded paths are not supported; write the character itself`
	case r == '"' || r == '\'' || r == '\\' || r == '$' || r == '{' || r == '}' || r == ';' || r == '`':
		return fmt.Sprintf("%q is not allowed in a path", r)
	case unicode.IsControl(r) || unicode.IsSpace(r):
		return "control and space characters are not allowed in a path"
	}
	return ""
}

// parsePattern reads a path pattern; col is its column, for errors.
func parsePattern(c *collector, line, col int, text string) (Pattern, bool) {
	p := Pattern{Text: text}
	switch {
	case strings.HasPrefix(text, "http://") || strings.HasPrefix(text, "https://") || strings.HasPrefix(text, "//"):
		c.fail(line, col, "%q names a host; layercake serves one site, so write the path alone, such as /blog/*", clip(text))
		return p, false
	case !strings.HasPrefix(text, "/"):
		c.fail(line, col, "%q is not a path; write one starting with \"/\", such as /blog/*", clip(text))
		return p, false
	}
	ok := true
	for i, r := range text {
		if msg := pathProblem(r); msg != "" {
			c.fail(line, col+runeCol(text, i), "%s", msg)
			return p, false
		}
	}
	off := 0
	for _, seg := range strings.Split(text, "/") {
		switch {
		case strings.HasPrefix(seg, ":"):
			if !placeholderRE.MatchString(seg) {
				c.fail(line, col+runeCol(text, off), "%q is not a placeholder; use \":\" and a name of letters, digits and \"_\", such as :slug, as a whole segment", seg)
				ok = false
				break
			}
			p.Names = append(p.Names, seg[1:])
		case strings.Contains(seg, "*"):
			if strings.Count(text, "*") > 1 {
				c.fail(line, col+runeCol(text, off+strings.Index(seg, "*")), "only one \"*\" per pattern; it matches the rest of the path, such as /blog/*")
				return p, false
			}
			if !strings.HasSuffix(text, "*") {
				c.fail(line, col+runeCol(text, off+strings.Index(seg, "*")), "\"*\" must end the pattern (it matches the rest of the path), such as /blog/*")
				return p, false
			}
			p.Names = append(p.Names, "splat")
		}
		off += len(seg) + 1
	}
	if len(p.Names) > MaxPlaceholders {
		c.fail(line, col, "%d placeholders; use at most %d in one pattern", len(p.Names), MaxPlaceholders)
		ok = false
	}
	return p, ok
}

// Regex is the pattern as an anchored PCRE for nginx: placeholders capture
// one segment, the splat the rest. A pattern without a splat or trailing
// slash also matches with a trailing slash, as static hosts do.
func (p Pattern) Regex() string {
	var b strings.Builder
	b.WriteString("^")
	segs := strings.Split(p.Text, "/")
	for i, seg := range segs {
		if i > 0 {
			b.WriteString("/")
		}
		switch {
		case strings.HasPrefix(seg, ":"):
			b.WriteString("([^/]+)")
		case strings.HasSuffix(seg, "*"):
			b.WriteString(regexp.QuoteMeta(strings.TrimSuffix(seg, "*")))
			b.WriteString("(.*)")
		default:
			b.WriteString(regexp.QuoteMeta(seg))
		}
	}
	if !strings.HasSuffix(p.Text, "*") && !strings.HasSuffix(p.Text, "/") {
		b.WriteString("/?")
	}
	b.WriteString("$")
	return b.String()
}

// runeCol is the 0-based column of byte offset off in s, counted in runes.
func runeCol(s string, off int) int {
	off = min(max(off, 0), len(s))
	return len([]rune(s[:off]))
}

// clip shortens s for a message.
func clip(s string) string {
	if r := []rune(s); len(r) > 60 {
		return string(r[:60]) + "…"
	}
	return s
}

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
				c.fail(line, col+runeCol(text, off+strings.Index(seg, "*")), "only one \"*\" per pattern; it matches any run of characters, \"/\" included, such as /blog/* or /*.txt")
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
// one segment, the splat any run of characters (so /*.txt matches every
// .txt file). A pattern without a splat or trailing
// slash also matches with a trailing slash, as static hosts do.
func (p Pattern) Regex() string {
	return p.regex(`([^/]+)`, `(.*)`, func(b *strings.Builder, s string) { b.WriteString(regexp.QuoteMeta(s)) })
}

// RawRegex is the pattern as an anchored PCRE for the path as the client
// sent it, still percent-encoded: a literal character other than a letter,
// a digit or "/" also matches its %XX form, and a non-ASCII one only that
// (browsers encode it as UTF-8, in either case of hex). A placeholder
// captures one encoded segment, the splat the rest; neither captures a raw
// backslash, and the splat never starts with "/", so a target such as
// /:splat can never become "//host" or "/\host".
func (p Pattern) RawRegex() string {
	return p.regex(`([^/\\]+)`, `((?!/)[^\\]*)`, writeRawLiteral)
}

// regex writes the pattern segment by segment: placeholder and splat are
// the groups a placeholder and the splat become, literal writes the text
// around them.
func (p Pattern) regex(placeholder, splat string, literal func(*strings.Builder, string)) string {
	var b strings.Builder
	b.WriteString("^")
	for i, seg := range strings.Split(p.Text, "/") {
		if i > 0 {
			b.WriteString("/")
		}
		switch {
		case strings.HasPrefix(seg, ":"):
			b.WriteString(placeholder)
		case strings.Contains(seg, "*"):
			prefix, suffix, _ := strings.Cut(seg, "*")
			literal(&b, prefix)
			b.WriteString(splat)
			literal(&b, suffix)
		default:
			literal(&b, seg)
		}
	}
	if !strings.Contains(p.Text, "*") && !strings.HasSuffix(p.Text, "/") {
		b.WriteString("/?")
	}
	b.WriteString("$")
	return b.String()
}

func writeRawLiteral(b *strings.Builder, s string) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		hex := "%" + hexCase(c>>4) + hexCase(c&15)
		switch {
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9':
			b.WriteByte(c)
		case c < 0x80:
			b.WriteString("(?:" + regexp.QuoteMeta(string(c)) + "|" + hex + ")")
		default:
			b.WriteString(hex)
		}
	}
}

// hexCase is a regex for one hex digit in either case.
func hexCase(d byte) string {
	if d < 10 {
		return string("0123456789"[d])
	}
	return "[" + string("ABCDEF"[d-10]) + string("abcdef"[d-10]) + "]"
}

// MaxToken bounds one word of the generated nginx config, quoted: nginx
// reads a config in 4096-byte buffers and refuses a longer word ("too long
// parameter").
const MaxToken = 4000

// tokenLen is the length of s as a quoted nginx word: two quotes, and an
// escape for each backslash, quote, tab, CR and LF.
func tokenLen(s string) int {
	return len(s) + 2 + strings.Count(s, `\`) + strings.Count(s, `"`) + strings.Count(s, "\t") + strings.Count(s, "\r") + strings.Count(s, "\n")
}

// tooLong says why a pattern is too long once nginx matches it, or "".
func (p Pattern) tooLong(raw bool) string {
	re := "~" + p.Regex()
	if raw {
		re = p.RawRegex()
	}
	if n := tokenLen(re); n > MaxToken {
		return fmt.Sprintf("the pattern becomes a %d-byte regular expression in nginx.conf, over nginx's limit of %d; shorten it, or match a shorter prefix with \"*\"", n, MaxToken)
	}
	return ""
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

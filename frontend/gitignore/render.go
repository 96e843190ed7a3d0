package gitignore

import (
	"strings"
	"unicode"
)

// bom is the byte order mark, which patternmatcher's scanner drops at the
// start of a pattern.
const bom = '\uFEFF'

// render writes tokens in the patternmatcher language.
func render(toks []token) string {
	var b strings.Builder
	for i, t := range toks {
		switch t.kind {
		case tokLiteral:
			writeLiteral(&b, t.r, i == 0, i == len(toks)-1)
		case tokSlash:
			b.WriteByte('/')
		case tokStar:
			b.WriteByte('*')
		case tokDoubleStar:
			b.WriteString("**")
		case tokAny:
			b.WriteByte('?')
		case tokClass:
			writeClass(&b, t.class)
		}
	}
	return b.String()
}

// writeLiteral writes a character that must match itself. Glob characters
// are escaped, and so is "^", which patternmatcher would pass to its regular
// expression as an anchor, and "{", "|" and "}", which it means to escape
// but does not (its table of bytes to escape only holds those below 64): in
// a pattern it matches by regular expression, "*a{2}" would match "xaa",
// "*a|b" any name, and "*{1000}" would fail to compile. A leading "!" would read as a negation, and
// patternmatcher trims white space (and a leading BOM) off a pattern, so
// those are escaped at the edges, the latter as a one-character set.
func writeLiteral(b *strings.Builder, r rune, first, last bool) {
	switch {
	case strings.ContainsRune(`\*?[]^{|}`, r) || (first && r == '!'):
		b.WriteByte('\\')
		b.WriteRune(r)
	case (first || last) && (unicode.IsSpace(r) || r == bom):
		b.WriteByte('[')
		b.WriteRune(r)
		b.WriteByte(']')
	default:
		b.WriteRune(r)
	}
}

// writeClass writes a bracket expression. ASCII punctuation is escaped so
// that neither filepath.Match nor Go's regexp reads it as syntax ("]", "-",
// "^", "\", "["). A negated set also leaves out "/", as git's does; an empty
// negated set is every character but "/", that is "?".
func writeClass(b *strings.Builder, c class) {
	if c.negated && len(c.ranges) == 0 {
		b.WriteByte('?')
		return
	}
	b.WriteByte('[')
	if c.negated {
		b.WriteByte('^')
	}
	for _, r := range c.ranges {
		writeClassRune(b, r.lo)
		if r.hi != r.lo {
			b.WriteByte('-')
			writeClassRune(b, r.hi)
		}
	}
	if c.negated {
		b.WriteByte('/')
	}
	b.WriteByte(']')
}

// writeClassRune writes one member of a bracket expression.
func writeClassRune(b *strings.Builder, r rune) {
	if isASCIIPunct(r) {
		b.WriteByte('\\')
	}
	b.WriteRune(r)
}

// isASCIIPunct reports whether r is ASCII punctuation, which both
// filepath.Match and Go's regexp accept escaped with "\".
func isASCIIPunct(r rune) bool {
	return '!' <= r && r <= '/' || ':' <= r && r <= '@' || '[' <= r && r <= '`' || '{' <= r && r <= '~'
}

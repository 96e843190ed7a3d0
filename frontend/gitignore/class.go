package gitignore

// runeRange is the characters lo to hi, both included.
type runeRange struct{ lo, hi rune }

// class is a bracket expression: the characters in ranges, or with negated,
// every character but those. It never holds "/" (git's bracket expressions
// never match it) nor NUL (never in a path).
type class struct {
	negated bool
	ranges  []runeRange
}

// posixClasses are the [:name:] sets git knows, in ASCII as git defines them.
var posixClasses = map[string][]runeRange{
	"alnum":  {{'0', '9'}, {'A', 'Z'}, {'a', 'z'}},
	"alpha":  {{'A', 'Z'}, {'a', 'z'}},
	"blank":  {{'\t', '\t'}, {' ', ' '}},
	"cntrl":  {{0x01, 0x1f}, {0x7f, 0x7f}},
	"digit":  {{'0', '9'}},
	"graph":  {{'!', '~'}},
	"lower":  {{'a', 'z'}},
	"print":  {{' ', '~'}},
	"punct":  {{'!', '/'}, {':', '@'}, {'[', '`'}, {'{', '~'}},
	"space":  {{'\t', '\n'}, {'\r', '\r'}, {' ', ' '}},
	"upper":  {{'A', 'Z'}},
	"xdigit": {{'0', '9'}, {'A', 'F'}, {'a', 'f'}},
}

// parseClass reads the bracket expression starting at p[i] == '[' the way
// git's wildmatch does: "!" or "^" negates, a "]" right after the opening
// (and negation) is a member, "\" escapes, "a-z" is a range, [:name:] a
// POSIX class. It returns the index after the closing "]". ok is false when
// git would never match: no closing "]", an unknown [:name:], or a set that
// is empty once "/" is removed.
func parseClass(p []rune, i int) (class, int, bool) {
	var c class
	i++
	if i < len(p) && (p[i] == '!' || p[i] == '^') {
		c.negated = true
		i++
	}
	prev, first := rune(-1), true
	for ; i < len(p) && (first || p[i] != ']'); i++ {
		var ok bool
		if prev, i, ok = c.member(p, i, prev); !ok {
			return class{}, 0, false
		}
		first = false
	}
	if i == len(p) {
		return class{}, 0, false
	}
	c.ranges = withoutSlashAndNUL(c.ranges)
	return c, i + 1, c.negated || len(c.ranges) > 0
}

// member adds the member starting at p[i] to c. prev is the previous single
// character, or -1 when there is none (start, after a range or [:name:]).
// It returns the new prev and the index of the member's last rune.
func (c *class) member(p []rune, i int, prev rune) (rune, int, bool) {
	switch {
	case p[i] == '\\':
		return c.single(p, i+1)
	case p[i] == '-' && prev >= 0 && i+1 < len(p) && p[i+1] != ']':
		return c.rangeTo(p, i+1, prev)
	case p[i] == '[' && i+1 < len(p) && p[i+1] == ':':
		return c.posix(p, i)
	}
	return c.single(p, i)
}

// single adds the character p[i].
func (c *class) single(p []rune, i int) (rune, int, bool) {
	if i >= len(p) {
		return 0, 0, false
	}
	c.ranges = append(c.ranges, runeRange{p[i], p[i]})
	return p[i], i, true
}

// rangeTo widens the single character lo, the last member added, to a range
// ending at the character at p[i] (escaped or not). An inverted range leaves
// lo alone, as in git.
func (c *class) rangeTo(p []rune, i int, lo rune) (rune, int, bool) {
	if p[i] == '\\' {
		i++
	}
	if i >= len(p) {
		return 0, 0, false
	}
	if lo <= p[i] {
		// lo was just added on its own: widen it.
		c.ranges[len(c.ranges)-1].hi = p[i]
	}
	return -1, i, true
}

// posix adds the [:name:] starting at p[i]. Without a ":]" before the next
// "]", the "[" is a plain member, as in git.
func (c *class) posix(p []rune, i int) (rune, int, bool) {
	end := i + 2
	for end < len(p) && p[end] != ']' {
		end++
	}
	if end == len(p) {
		return 0, 0, false
	}
	if end-(i+2) < 1 || p[end-1] != ':' {
		return c.single(p, i)
	}
	ranges, ok := posixClasses[string(p[i+2:end-1])]
	c.ranges = append(c.ranges, ranges...)
	return -1, end, ok
}

// withoutSlashAndNUL removes "/" and NUL from ranges, splitting a range that
// spans "/".
func withoutSlashAndNUL(ranges []runeRange) []runeRange {
	var out []runeRange
	for _, r := range ranges {
		r.lo = max(r.lo, 1)
		for _, part := range []runeRange{{r.lo, min(r.hi, '/'-1)}, {max(r.lo, '/'+1), r.hi}} {
			if part.lo <= part.hi {
				out = append(out, part)
			}
		}
	}
	return out
}

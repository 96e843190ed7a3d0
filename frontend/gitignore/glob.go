package gitignore

// tokenKind is the kind of one element of a glob.
type tokenKind int

const (
	tokLiteral    tokenKind = iota // one character, matched as is
	tokSlash                       // the separator "/"
	tokStar                        // "*": any run of characters but "/"
	tokDoubleStar                  // "**" as a whole segment: any folders
	tokAny                         // "?": one character but "/"
	tokClass                       // a bracket expression
)

// token is one element of a glob.
type token struct {
	kind  tokenKind
	r     rune  // the character of a tokLiteral
	class class // the set of a tokClass
}

// parseGlob splits a git wildmatch pattern into tokens. ok is false when git
// would never match the pattern: a trailing "\", a bad bracket expression, a
// segment that is empty, "." or "..".
func parseGlob(s string) ([]token, bool) {
	p := []rune(s)
	var toks []token
	for i := 0; i < len(p); {
		tok, next, ok := nextToken(p, i, toks)
		if !ok {
			return nil, false
		}
		toks, i = append(toks, tok), next
	}
	return toks, validSegments(toks)
}

// nextToken reads the token starting at p[i]; before holds the tokens read
// so far. It returns the token and the index after it.
func nextToken(p []rune, i int, before []token) (token, int, bool) {
	switch p[i] {
	case '\\':
		if i+1 == len(p) {
			return token{}, 0, false
		}
		return charToken(p[i+1]), i + 2, true
	case '*':
		return starToken(p, i, before)
	case '?':
		return token{kind: tokAny}, i + 1, true
	case '[':
		c, next, ok := parseClass(p, i)
		return token{kind: tokClass, class: c}, next, ok
	}
	return charToken(p[i]), i + 1, true
}

// charToken is a literal character, or the separator for "/".
func charToken(r rune) token {
	if r == '/' {
		return token{kind: tokSlash}
	}
	return token{kind: tokLiteral, r: r}
}

// starToken reads a run of "*". As in git, two or more stars forming a whole
// segment are "**"; any other run is a single "*".
func starToken(p []rune, i int, before []token) (token, int, bool) {
	j := i
	for j < len(p) && p[j] == '*' {
		j++
	}
	startsSegment := len(before) == 0 || before[len(before)-1].kind == tokSlash
	endsSegment := j == len(p) || p[j] == '/' || (p[j] == '\\' && j+1 < len(p) && p[j+1] == '/')
	if j-i >= 2 && startsSegment && endsSegment {
		return token{kind: tokDoubleStar}, j, true
	}
	return token{kind: tokStar}, j, true
}

// validSegments reports whether every segment could match a path segment:
// paths have no empty, "." or ".." segments.
func validSegments(toks []token) bool {
	start := 0
	for i, t := range toks {
		if t.kind == tokSlash {
			if !validSegment(toks[start:i]) {
				return false
			}
			start = i + 1
		}
	}
	return validSegment(toks[start:])
}

// validSegment reports whether a segment's tokens could match a path segment.
func validSegment(seg []token) bool {
	lit := ""
	for _, t := range seg {
		if t.kind != tokLiteral {
			return true
		}
		lit += string(t.r)
	}
	return lit != "" && lit != "." && lit != ".."
}

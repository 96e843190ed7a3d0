package gitignore

import (
	"slices"
	"unicode/utf8"
)

// convert turns one line of the .gitignore in the folder matched by prefix
// (see literalTokens) into a patternmatcher pattern. ok is false for lines
// that are not patterns or that git would never match.
func convert(line string, prefix []token) (string, bool) {
	r, ok := parseLine(line)
	if !ok || !utf8.ValidString(r.body) {
		return "", false
	}
	body, ok := parseGlob(r.body)
	if !ok {
		return "", false
	}
	p := render(slices.Concat(prefix, depthTokens(r, body), body))
	if r.negate {
		p = "!" + p
	}
	return p, true
}

// depthTokens are the tokens placed between the folder and the body: none
// for an anchored pattern, "**/" for one matching at any depth, and nothing
// for a lone "**", which already matches every path below the folder.
func depthTokens(r rule, body []token) []token {
	if r.anchored || (len(body) == 1 && body[0].kind == tokDoubleStar) {
		return nil
	}
	return []token{{kind: tokDoubleStar}, {kind: tokSlash}}
}

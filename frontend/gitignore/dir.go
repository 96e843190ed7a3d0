package gitignore

import (
	"path"
	"strings"
	"unicode/utf8"
)

// cleanDir normalises a File's Dir ("./docs/" and "/docs" become "docs", "."
// becomes ""). ok is false when the folder is outside the context or the
// name cannot be a path (invalid UTF-8, NUL).
func cleanDir(dir string) (string, bool) {
	if !utf8.ValidString(dir) || strings.ContainsRune(dir, 0) {
		return "", false
	}
	c := path.Clean(strings.TrimLeft(dir, "/"))
	switch {
	case c == ".":
		return "", true
	case c == ".." || strings.HasPrefix(c, "../"):
		return "", false
	}
	return c, true
}

// literalTokens turns a cleaned folder into tokens matching it literally,
// followed by a separator; "" gives no tokens.
func literalTokens(dir string) []token {
	if dir == "" {
		return nil
	}
	var toks []token
	for _, r := range dir {
		if r == '/' {
			toks = append(toks, token{kind: tokSlash})
		} else {
			toks = append(toks, token{kind: tokLiteral, r: r})
		}
	}
	return append(toks, token{kind: tokSlash})
}

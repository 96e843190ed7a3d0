// Package sitecheck decides what must not be served from a site: symbolic
// links that lead out of the web root (nginx would follow them into the rest
// of the image, also through a chain of links: see Tree) and entries other
// than regular files, folders and links. The frontend applies it to every
// entry of the staged site before it builds the image.
package sitecheck

import (
	"fmt"
	"io/fs"
	"path"
	"strings"
)

// Problem is one entry that must not be served.
type Problem struct {
	// Path is relative to the web root, with "/" separators.
	Path string
	// Msg says what is wrong and what to do.
	Msg string
}

func (p Problem) String() string { return p.Path + ": " + p.Msg }

// MaxProblems bounds a report: a site with very many bad entries lists the
// first ones.
const MaxProblems = 50

// Inspect returns what is wrong with the entry at rel (relative to the web
// root) of the given mode and, for a link, target; "" when it may be served.
func Inspect(rel string, mode fs.FileMode, target string) string {
	switch t := mode.Type(); {
	case t.IsDir(), t.IsRegular():
		return ""
	case t&fs.ModeSymlink != 0:
		if escapes(rel, target) {
			return fmt.Sprintf("is a symbolic link to %s, outside the site; copy the file into the site instead", target)
		}
		return ""
	default:
		return fmt.Sprintf("is a %s, not a file or folder; remove it from the site", t.Type())
	}
}

// escapes reports whether a link at rel pointing to target resolves outside
// the web root.
func escapes(rel, target string) bool {
	if path.IsAbs(target) {
		return true
	}
	resolved := path.Join(path.Dir(rel), target)
	return resolved == ".." || strings.HasPrefix(resolved, "../")
}

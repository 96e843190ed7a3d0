// Package sitecheck finds what must not be served from a site: symbolic
// links that lead out of the web root (nginx would follow them into the rest
// of the image) and files other than regular files, folders and links. The
// frontend image runs it as the helper step `layercake check-site`.
package sitecheck

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
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

// maxProblems bounds the report of a site with very many bad entries.
const maxProblems = 50

// Check walks root and returns its problems in path order.
func Check(root string) ([]Problem, error) {
	var out []Problem
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if msg := problem(p, rel, d); msg != "" && len(out) < maxProblems {
			out = append(out, Problem{Path: rel, Msg: msg})
		}
		return nil
	})
	return out, err
}

func problem(p, rel string, d fs.DirEntry) string {
	switch t := d.Type(); {
	case t.IsDir(), t.IsRegular():
		return ""
	case t&fs.ModeSymlink != 0:
		target, err := os.Readlink(p)
		if err != nil {
			return err.Error()
		}
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

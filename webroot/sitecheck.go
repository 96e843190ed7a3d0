package webroot

import (
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/layercake-build/layercake/internal/clip"
)

// Problem is one entry that must not be served.
type Problem struct {
	// Path is relative to the web root, with "/" separators.
	Path string
	// Msg says what is wrong and what to do.
	Msg string
}

// String is the problem as a message line; bytes of the path (or of a
// link's target) that are not UTF-8 are written as \xNN (see clip.Valid).
func (p Problem) String() string { return clip.Valid(p.Path + ": " + p.Msg) }

// MaxProblems bounds a report: a site with very many bad entries lists the
// first ones and counts the rest.
const MaxProblems = 50

// Report collects the problems of a site: the first MaxProblems, and how
// many there are in all.
type Report struct {
	// Problems are the first MaxProblems problems, in the order added.
	Problems []Problem
	// Total counts every problem added.
	Total int
}

// Add records p.
func (r *Report) Add(p Problem) {
	r.Total++
	if len(r.Problems) < MaxProblems {
		r.Problems = append(r.Problems, p)
	}
}

// Error describes every listed problem, one per line; "" when there is none.
func (r *Report) Error() string {
	if r.Total == 0 {
		return ""
	}
	var b strings.Builder
	if r.Total == 1 {
		b.WriteString("the site holds 1 entry that must not be served:")
	} else {
		fmt.Fprintf(&b, "the site holds %d entries that must not be served", r.Total)
		if r.Total > len(r.Problems) {
			fmt.Fprintf(&b, " (the first %d are listed)", len(r.Problems))
		}
		b.WriteString(":")
	}
	for _, p := range r.Problems {
		b.WriteString("\n  " + p.String())
	}
	return b.String()
}

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
		return fmt.Sprintf("is %s, not a file or folder; remove it from the site", typeName(t))
	}
}

// typeName names a special file's type in words.
func typeName(t fs.FileMode) string {
	switch {
	case t&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case t&fs.ModeSocket != 0:
		return "a socket"
	case t&fs.ModeCharDevice != 0:
		return "a character device"
	case t&fs.ModeDevice != 0:
		return "a block device"
	}
	return "an irregular file"
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

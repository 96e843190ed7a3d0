package webroot

import (
	"fmt"
	"io/fs"
	"path"
	"strings"
)

// maxHops bounds how many links one path may pass through (as Linux's
// ELOOP limit does).
const maxHops = 40

// Tree is a site's entries, collected before links are judged: a link is
// only safe when every link it passes through stays inside the site, so
// `sub/up -> ..` and `sub/esc -> up/../../etc/passwd` are judged together.
type Tree struct {
	modes map[string]fs.FileMode
	links map[string]string
	sizes map[string]int64
}

// NewTree returns an empty tree.
func NewTree() *Tree {
	return &Tree{modes: map[string]fs.FileMode{".": fs.ModeDir}, links: map[string]string{}, sizes: map[string]int64{}}
}

// Add records the entry at rel (relative to the web root): its mode, a
// link's target and a file's size.
func (t *Tree) Add(rel string, mode fs.FileMode, target string, size int64) {
	rel = path.Clean(rel)
	t.modes[rel] = mode
	if mode.Type()&fs.ModeSymlink != 0 {
		t.links[rel] = target
	}
	if mode.IsRegular() {
		t.sizes[rel] = size
	}
}

// LinkProblem says what is wrong with the link at rel, or "" when it leads,
// through any other links, to a file or folder inside the site.
func (t *Tree) LinkProblem(rel string) string {
	rel = path.Clean(rel)
	target := t.links[rel]
	// Not path.Join: cleaning "sub/up/../x" lexically would skip the link "up".
	resolved, err := t.resolve(path.Dir(rel)+"/"+target, path.IsAbs(target))
	switch {
	case err == errEscapes:
		return fmt.Sprintf("is a symbolic link to %s, outside the site; copy the file into the site instead", target)
	case err == errLoop:
		return fmt.Sprintf("is a symbolic link to %s, which passes through more than %d links; point it at the file itself", target, maxHops)
	case err != nil:
		return fmt.Sprintf("is a symbolic link to %s, which is not in the site; remove it or point it at a file of the site", target)
	}
	if resolved == "." || resolved == rel || strings.HasPrefix(rel+"/", resolved+"/") {
		return fmt.Sprintf("is a symbolic link to %s, a folder that contains it; remove it", target)
	}
	return ""
}

type resolveError string

func (e resolveError) Error() string { return string(e) }

const (
	errEscapes = resolveError("escapes")
	errLoop    = resolveError("too many links")
	errMissing = resolveError("missing")
)

// resolve follows p (relative to the web root, possibly holding "..") one
// element at a time through the tree's links, the way the kernel would, and
// returns the real path of what it names.
func (t *Tree) resolve(p string, abs bool) (string, error) {
	if abs {
		return "", errEscapes
	}
	hops := 0
	var done []string // resolved elements so far
	todo := strings.Split(p, "/")
	for len(todo) > 0 {
		elem := todo[0]
		todo = todo[1:]
		switch elem {
		case "", ".":
			continue
		case "..":
			if len(done) == 0 {
				return "", errEscapes
			}
			done = done[:len(done)-1]
			continue
		}
		cur := path.Join(append(done, elem)...)
		target, isLink := t.links[cur]
		if !isLink {
			if _, ok := t.modes[cur]; !ok {
				return "", errMissing
			}
			done = append(done, elem)
			continue
		}
		if hops++; hops > maxHops {
			return "", errLoop
		}
		if path.IsAbs(target) {
			return "", errEscapes
		}
		todo = append(strings.Split(target, "/"), todo...)
	}
	return path.Join(append([]string{"."}, done...)...), nil
}

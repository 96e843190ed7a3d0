package webroot

import (
	"path"
	"slices"
	"strings"
)

// maxDepth bounds how deep Served follows folders, so a tree with a link to
// its own ancestor (which the site check refuses) cannot recurse forever.
const maxDepth = 256

// Served is one entry of the site as it is served: a file (reached perhaps
// through links, under the path the visitor asks for) or a folder with
// nothing served in it.
type Served struct {
	// Path is relative to the web root, with "/" separators.
	Path string
	// Size is a file's size in bytes, 0 for a folder.
	Size int64
	// Dir is set for an empty folder.
	Dir bool
}

// Served lists what the site serves, in name order: links are followed (a
// link to a folder serves the folder's entries under the link's path), and
// entries for which leftOut(folder, name) holds are skipped with everything
// below them (folder is the served path of their folder, "." at the top,
// and also its real path, where links lead); so are links to a Hidden
// path.
// It is what sitefiles.Prepare writes, computed from the listing alone; call
// it only on a tree without LinkProblem.
func (t *Tree) Served(leftOut func(dir, name string) bool) []Served {
	children := map[string][]string{}
	for p := range t.modes {
		if p != "." {
			children[path.Dir(p)] = append(children[path.Dir(p)], path.Base(p))
		}
	}
	for _, names := range children {
		slices.Sort(names)
	}
	var out []Served
	var walk func(real, served string, depth int) int
	walk = func(real, served string, depth int) int {
		n := 0
		for _, name := range children[real] {
			if leftOut(served, name) || leftOut(real, name) {
				continue
			}
			r, s := path.Join(real, name), path.Join(served, name)
			if target, ok := t.links[r]; ok {
				resolved, err := t.resolve(path.Dir(r)+"/"+target, path.IsAbs(target))
				if err != nil || depth > maxDepth {
					continue // the site check reports it
				}
				if Hidden(leftOut, resolved) {
					continue
				}
				r = resolved
			}
			switch mode := t.modes[r]; {
			case mode.IsDir():
				if k := walk(r, s, depth+1); k > 0 {
					n += k
					continue
				}
				out = append(out, Served{Path: s, Dir: true})
			case mode.IsRegular():
				out = append(out, Served{Path: s, Size: t.sizes[r]})
			default:
				continue // the site check reports it
			}
			n++
		}
		return n
	}
	walk(".", ".", 0)
	return out
}

// Hidden reports whether the real path p (relative to the web root, no
// links in it) is left out or lies in a left-out folder. A link whose
// target is hidden is left out too, so `envlink -> .env`, `hlink ->
// _headers` or `cfg -> .git/config` never publish under another name what
// the site keeps back (and a file reached through a link to its folder is
// judged by its real path too: `s -> specs` does not serve specs/site.yaml
// when that path is left out).
func Hidden(leftOut func(dir, name string) bool, p string) bool {
	if p == "." {
		return false
	}
	dir := "."
	for _, name := range strings.Split(p, "/") {
		if leftOut(dir, name) {
			return true
		}
		dir = path.Join(dir, name)
	}
	return false
}

package webroot

import (
	"path"
	"slices"
	"strings"
)

// WellKnown is the one dot-folder a site serves (RFC 8615).
const WellKnown = ".well-known"

// LeftOut reports whether the entry name in the folder dir ("." at the
// top) is never served: dotfiles except /.well-known, and the paths in
// exclude (the build's own files). Both the served path of an entry and its
// real path (where links lead) are judged: see Hidden.
func LeftOut(exclude []string) func(dir, name string) bool {
	return func(dir, name string) bool {
		if dir == "." && name == WellKnown {
			return false
		}
		return strings.HasPrefix(name, ".") || slices.Contains(exclude, path.Join(dir, name))
	}
}

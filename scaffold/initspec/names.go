package initspec

import (
	_ "embed"
	"strings"
	"sync"
)

// trixieNames is a recorded excerpt of Debian trixie's package index: the
// names init may write (see the file's header).
//
//go:embed trixie-amd64.names
var trixieNames string

var debianNames = sync.OnceValue(func() map[string]bool {
	out := map[string]bool{}
	for _, l := range strings.Split(trixieNames, "\n") {
		if l != "" && !strings.HasPrefix(l, "#") {
			out[l] = true
		}
	}
	return out
})

// inDebian reports whether Debian trixie has a package (or a name ghc
// provides) called name.
func inDebian(name string) bool { return debianNames()[name] }

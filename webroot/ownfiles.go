package webroot

import (
	"path"
	"slices"
)

// LockFile is the lock's name beside the spec.
const LockFile = "layercake.lock"

// RuleFiles are the site's own nginx rules (Netlify / Cloudflare Pages
// syntax), read from the top of the web root and never served.
var RuleFiles = []string{"_headers", "_redirects"}

// ServedNever are the names at the top of the web root that are left out of
// the image: the rule files, the lock, and the spec (with site.dir "." or a
// generator that copies its sources, they would be there).
func ServedNever(specFile string) []string {
	names := append(slices.Clone(RuleFiles), LockFile)
	if b := path.Base(specFile); specFile != "" && b != "." && b != "/" && !slices.Contains(names, b) {
		names = append(names, b)
	}
	return names
}

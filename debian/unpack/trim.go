package unpack

import "strings"

// trimmedTrees are folders a static server never reads: manual pages, info
// pages, translations, editor syntax files, and Debian's packaging metadata
// for other tools.
var trimmedTrees = []string{
	"usr/share/bug",
	"usr/share/doc-base",
	"usr/share/info",
	"usr/share/lintian",
	"usr/share/locale",
	"usr/share/man",
	"usr/share/vim",
}

// trimmed reports whether an archive path (cleaned, relative) is left out of
// the layer. Under usr/share/doc only each package's copyright file stays, so
// the image still carries the licences of what it ships.
func trimmed(p string) bool {
	for _, t := range trimmedTrees {
		if p == t || strings.HasPrefix(p, t+"/") {
			return true
		}
	}
	if gconv(p) {
		return true
	}
	rest, ok := strings.CutPrefix(p, "usr/share/doc/")
	if !ok {
		return false
	}
	parts := strings.Split(rest, "/")
	return len(parts) > 2 || (len(parts) == 2 && parts[1] != "copyright")
}

// gconv reports whether p is under glibc's iconv modules
// (usr/lib/<multiarch triplet>/gconv): a third of the image, and nginx never
// calls iconv.
func gconv(p string) bool {
	parts := strings.SplitN(p, "/", 5)
	return len(parts) >= 4 && parts[0] == "usr" && parts[1] == "lib" && parts[3] == "gconv"
}

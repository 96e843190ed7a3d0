package hostrules

import "strings"

// Cache policies.
const (
	// Revalidate is for HTML and every other unversioned file: caches keep
	// it but ask the server (a cheap 304) before each use.
	Revalidate = "no-cache"
	// Immutable is for fingerprinted files: their name changes with their
	// bytes, so a cached copy is good for a year.
	Immutable = "public, max-age=31536000, immutable"
)

// FingerprintRegex is the PCRE nginx matches request paths with; it says
// what Fingerprinted says (TestFingerprintRegexAgrees checks the two on the
// same table with PCRE2, through grep -P).
//
// A part of the file name, between "/", "." or "-" and followed by "." or
// "-" (so never the extension), of 8 or more characters that is either
// lowercase hex with a digit and a letter (webpack, Hugo, MkDocs Material:
// main.6543a935.min.css), or exactly 8 letters, digits and "_" with a digit
// and both cases (Vite: index-B1aQx7_k.js). Names it misses are revalidated,
// which is slower but never stale.
const FingerprintRegex = `[/.-](?:(?=[0-9a-f]*[0-9])(?=[0-9a-f]*[a-f])[0-9a-f]{8,}|(?=[A-Za-z0-9_]*[0-9])(?=[A-Za-z0-9_]*[a-z])(?=[A-Za-z0-9_]*[A-Z])[A-Za-z0-9_]{8})[.-][^/]*$`

// Fingerprinted reports whether the last element of the path p carries a
// content hash in its name.
func Fingerprinted(p string) bool {
	name := p[strings.LastIndex(p, "/")+1:]
	parts := splitName(name)
	for _, part := range parts[:max(len(parts)-1, 0)] {
		if hexHash(part) || mixedHash(part) {
			return true
		}
	}
	return false
}

// splitName cuts a file name at "." and "-".
func splitName(name string) []string {
	return strings.FieldsFunc(name, func(r rune) bool { return r == '.' || r == '-' })
}

func hexHash(s string) bool {
	if len(s) < 8 {
		return false
	}
	var digit, letter bool
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digit = true
		case r >= 'a' && r <= 'f':
			letter = true
		default:
			return false
		}
	}
	return digit && letter
}

func mixedHash(s string) bool {
	if len(s) != 8 {
		return false
	}
	var digit, lower, upper bool
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digit = true
		case r >= 'a' && r <= 'z':
			lower = true
		case r >= 'A' && r <= 'Z':
			upper = true
		case r == '_':
		default:
			return false
		}
	}
	return digit && lower && upper
}

// CachePolicy is the Cache-Control a path gets unless _headers sets one.
func CachePolicy(p string) string {
	if Fingerprinted(p) {
		return Immutable
	}
	return Revalidate
}

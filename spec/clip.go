package spec

import "unicode/utf8"

// maxShown is how many characters of a value an error message repeats.
const maxShown = 80

// clip shortens s for an error message, so a hostile megabyte-long value
// does not become a megabyte-long error.
func clip(s string) string {
	if utf8.RuneCountInString(s) <= maxShown {
		return s
	}
	r := []rune(s)
	return string(r[:maxShown]) + "…"
}

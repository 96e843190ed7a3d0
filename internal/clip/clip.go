// Package clip shortens text that error messages repeat from their input,
// so a hostile megabyte-long value does not become a megabyte-long message.
package clip

import "unicode/utf8"

// String returns s if it has at most n characters, else its first n
// characters and "…". It never cuts a UTF-8 sequence in half.
func String(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i, count := 0, 0
	for i = range s {
		if count == n {
			break
		}
		count++
	}
	return s[:i] + "…"
}

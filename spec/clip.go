package spec

import "github.com/layercake-build/layercake/internal/clip"

// maxShown is how many characters of a value an error message repeats.
const maxShown = 80

// clipped shortens s for an error message (see internal/clip).
func clipped(s string) string { return clip.String(s, maxShown) }

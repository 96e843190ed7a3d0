package debian

import (
	"cmp"
	"slices"
)

// maxSuggestions bounds a "did you mean" list.
const maxSuggestions = 3

// Similar returns up to three package names of the index that are close to
// name (a typo of one or two letters, or name as a prefix: "pandoc-" for
// "pandoc"), closest first, then by name. It is for "did you mean" hints.
func (x *Index) Similar(name string) []string {
	limit := 1
	if len(name) > 4 {
		limit = 2
	}
	type scored struct {
		name string
		d    int
	}
	var found []scored
	for cand := range x.byName {
		if cand == name {
			continue
		}
		if d := editDistance(name, cand, limit); d <= limit {
			found = append(found, scored{cand, d})
		}
	}
	slices.SortFunc(found, func(a, b scored) int {
		if c := cmp.Compare(a.d, b.d); c != 0 {
			return c
		}
		return cmp.Compare(a.name, b.name)
	})
	out := make([]string, 0, maxSuggestions)
	for _, f := range found[:min(len(found), maxSuggestions)] {
		out = append(out, f.name)
	}
	return out
}

// editDistance is the Levenshtein distance of a and b, or limit+1 once it is
// known to exceed limit.
func editDistance(a, b string, limit int) int {
	if d := len(a) - len(b); d > limit || -d > limit {
		return limit + 1
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			best = min(best, cur[j])
		}
		if best > limit {
			return limit + 1
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Known reports whether a package of that name, or a package providing it,
// is in the index.
func (x *Index) Known(name string) bool {
	return len(x.byName[name]) > 0 || len(x.provides[name]) > 0
}

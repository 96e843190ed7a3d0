package debian

import (
	"cmp"
	"slices"
	"strings"
)

// Names returns every real package name in the index, sorted.
func (x *Index) Names() []string {
	out := make([]string, 0, len(x.byName))
	for name := range x.byName {
		out = append(out, name)
	}
	slices.Sort(out)
	return out
}

// Suggest returns up to three names of the index close to name (by edit
// distance, then by name), for "did you mean" messages: names within a
// third of name's length of it, or that start with it. It returns nothing
// for a name the index has.
func (x *Index) Suggest(name string) []string {
	if _, ok := x.byName[name]; ok {
		return nil
	}
	return Closest(name, x.Names(), 3)
}

// Closest returns up to n of candidates close to name: within an edit
// distance of a third of name's length (at least 1), or having name as a
// prefix followed by "-" (hugo -> hugo-extended); nearest first.
func Closest(name string, candidates []string, n int) []string {
	type scored struct {
		name string
		dist int
	}
	limit := max(1, len(name)/3)
	var hits []scored
	for _, c := range candidates {
		if c == name {
			continue
		}
		d := distance(name, c, limit)
		if d > limit && strings.HasPrefix(c, name+"-") {
			d = limit + 1 // after the near misses
		} else if d > limit {
			continue
		}
		hits = append(hits, scored{c, d})
	}
	slices.SortFunc(hits, func(a, b scored) int {
		return cmp.Or(cmp.Compare(a.dist, b.dist), cmp.Compare(len(a.name), len(b.name)), cmp.Compare(a.name, b.name))
	})
	out := make([]string, 0, n)
	for _, h := range hits[:min(n, len(hits))] {
		out = append(out, h.name)
	}
	return out
}

// distance is the Levenshtein distance of a and b, or limit+1 once it is
// certain to exceed limit.
func distance(a, b string, limit int) int {
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

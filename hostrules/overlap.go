package hostrules

import (
	"slices"
	"strings"
)

// elem is one piece of a path language, as Pattern.Regex reads a pattern: a
// literal byte, one or more bytes other than "/" (a placeholder), any bytes
// (a splat), or an optional "/".
type elem struct {
	kind elemKind
	c    byte
}

type elemKind uint8

const (
	litElem elemKind = iota
	segElem
	restElem
	optSlashElem
)

// elems is the pattern as Regex matches it.
func (p Pattern) elems() []elem {
	var out []elem
	for i, seg := range strings.Split(p.Text, "/") {
		if i > 0 {
			out = append(out, elem{kind: litElem, c: '/'})
		}
		switch {
		case strings.HasPrefix(seg, ":"):
			out = append(out, elem{kind: segElem})
		case strings.Contains(seg, "*"):
			prefix, suffix, _ := strings.Cut(seg, "*")
			out = appendLiteral(out, prefix)
			out = append(out, elem{kind: restElem})
			out = appendLiteral(out, suffix)
		default:
			out = appendLiteral(out, seg)
		}
	}
	if !strings.Contains(p.Text, "*") && !strings.HasSuffix(p.Text, "/") {
		out = append(out, elem{kind: optSlashElem})
	}
	return out
}

func appendLiteral(out []elem, s string) []elem {
	for i := 0; i < len(s); i++ {
		out = append(out, elem{kind: litElem, c: s[i]})
	}
	return out
}

// targetElems is the path of a rule's target (before "?" or "#") with each
// placeholder standing for what it can capture; ok is false for a target on
// another host.
func (r Redirect) targetElems() (out []elem, ok bool) {
	if !strings.HasPrefix(r.To, "/") {
		return nil, false
	}
	for _, part := range r.TargetParts() {
		if part.Capture == 0 {
			text := part.Text
			if i := strings.IndexAny(text, "?#"); i >= 0 {
				return appendLiteral(out, text[:i]), true
			}
			out = appendLiteral(out, text)
			continue
		}
		if r.From.Names[part.Capture-1] == "splat" {
			out = append(out, elem{kind: restElem})
		} else {
			out = append(out, elem{kind: segElem})
		}
	}
	return out, true
}

// Overlaps reports whether some request path matches both patterns.
func Overlaps(a, b Pattern) bool {
	_, ok := intersect(a.elems(), b.elems())
	return ok
}

// intersect reports whether some string is in both languages, and returns
// the shortest such string: a breadth-first search of the product of the
// two automata. A state is an element index times two, plus one inside a
// placeholder that has matched a byte already.
func intersect(a, b []elem) (string, bool) {
	alphabet := []byte{'/', 0x01} // 0x01 stands for any byte no literal names
	seen := map[byte]bool{'/': true, 0x01: true}
	for _, e := range append(append([]elem(nil), a...), b...) {
		if e.kind == litElem && !seen[e.c] {
			seen[e.c] = true
			alphabet = append(alphabet, e.c)
		}
	}
	type pair struct{ s, t int }
	type visit struct {
		from pair
		c    int // the byte read to get here, -1 for none
	}
	visited := map[pair]visit{{0, 0}: {c: -1}}
	queue := []pair{{0, 0}}
	// Epsilon moves go to the front of the queue so the search stays
	// shortest-first in bytes read.
	push := func(from, to pair, c int) {
		if _, ok := visited[to]; ok {
			return
		}
		visited[to] = visit{from, c}
		if c < 0 {
			queue = append([]pair{to}, queue...)
		} else {
			queue = append(queue, to)
		}
	}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		if p.s == 2*len(a) && p.t == 2*len(b) {
			var out []byte
			for q := p; q != (pair{0, 0}); q = visited[q].from {
				if c := visited[q].c; c >= 0 {
					out = append(out, byte(c))
				}
			}
			slices.Reverse(out)
			return strings.ReplaceAll(string(out), "\x01", "x"), true
		}
		for _, s := range epsilon(a, p.s) {
			push(p, pair{s, p.t}, -1)
		}
		for _, t := range epsilon(b, p.t) {
			push(p, pair{p.s, t}, -1)
		}
		for _, c := range alphabet {
			for _, s := range step(a, p.s, c) {
				for _, t := range step(b, p.t, c) {
					push(p, pair{s, t}, int(c))
				}
			}
		}
	}
	return "", false
}

// epsilon lists the states state reaches without reading a byte.
func epsilon(es []elem, state int) []int {
	i, inside := state/2, state%2 == 1
	if i >= len(es) {
		return nil
	}
	switch es[i].kind {
	case restElem, optSlashElem:
		return []int{2 * (i + 1)}
	case segElem:
		if inside {
			return []int{2 * (i + 1)}
		}
	}
	return nil
}

// step lists the states state reaches by reading c.
func step(es []elem, state int, c byte) []int {
	i := state / 2
	if i >= len(es) {
		return nil
	}
	switch e := es[i]; e.kind {
	case litElem:
		if c == e.c {
			return []int{2 * (i + 1)}
		}
	case segElem:
		if c != '/' {
			return []int{2*i + 1}
		}
	case restElem:
		return []int{2 * i}
	case optSlashElem:
		if c == '/' {
			return []int{2 * (i + 1)}
		}
	}
	return nil
}

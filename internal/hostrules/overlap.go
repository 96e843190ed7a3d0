package hostrules

import "strings"

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
		case strings.HasSuffix(seg, "*"):
			out = appendLiteral(out, strings.TrimSuffix(seg, "*"))
			out = append(out, elem{kind: restElem})
		default:
			out = appendLiteral(out, seg)
		}
	}
	if !strings.HasSuffix(p.Text, "*") && !strings.HasSuffix(p.Text, "/") {
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
func Overlaps(a, b Pattern) bool { return intersect(a.elems(), b.elems()) }

// intersect reports whether some string is in both languages: a search of
// the product of the two automata. A state is an element index times two,
// plus one inside a placeholder that has matched a byte already.
func intersect(a, b []elem) bool {
	alphabet := []byte{'/', 0x01} // 0x01 stands for any byte no literal names
	seen := map[byte]bool{'/': true, 0x01: true}
	for _, e := range append(append([]elem(nil), a...), b...) {
		if e.kind == litElem && !seen[e.c] {
			seen[e.c] = true
			alphabet = append(alphabet, e.c)
		}
	}
	type pair struct{ s, t int }
	visited := map[pair]bool{}
	queue := []pair{{0, 0}}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		if visited[p] {
			continue
		}
		visited[p] = true
		if p.s == 2*len(a) && p.t == 2*len(b) {
			return true
		}
		for _, s := range epsilon(a, p.s) {
			queue = append(queue, pair{s, p.t})
		}
		for _, t := range epsilon(b, p.t) {
			queue = append(queue, pair{p.s, t})
		}
		for _, c := range alphabet {
			for _, s := range step(a, p.s, c) {
				for _, t := range step(b, p.t, c) {
					queue = append(queue, pair{s, t})
				}
			}
		}
	}
	return false
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

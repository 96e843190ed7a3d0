package spec

import "strings"

// positions records, per field path, where its key and its value are.
type positions struct {
	keys       map[string]Pos // path -> position of the mapping key
	vals       map[string]Pos // path -> position of the value
	extensions []Extension    // x- keys, in file order
}

// Extension is a key starting with "x-": allowed anywhere and ignored.
type Extension struct {
	// Path names the key, e.g. "server.x-notes".
	Path string
	// Pos is where the key is.
	Pos Pos
}

// Extensions lists the ignored x- keys of the file, in file order.
func (s *Spec) Extensions() []Extension {
	if s == nil || s.pos == nil {
		return nil
	}
	return append([]Extension(nil), s.pos.extensions...)
}

func newPositions() *positions {
	return &positions{keys: map[string]Pos{}, vals: map[string]Pos{}}
}

// has reports whether path was present in the file.
func (p *positions) has(path string) bool {
	if p == nil {
		return false
	}
	_, ok := p.vals[path]
	return ok
}

// Pos returns where the value of a field path is, e.g. "server.port",
// "debian.exclude[1]" or "site". For an absent path it returns the position
// of the nearest present parent's key, and Pos{1, 1} when there is none.
// A message about a whole section ("site", "debian") uses KeyPos: the
// first line of a section's value is one of its own keys.
func (s *Spec) Pos(path string) Pos {
	if s == nil || s.pos == nil {
		return Pos{1, 1}
	}
	if p, ok := s.pos.vals[path]; ok {
		return p
	}
	for path != "" {
		path = parent(path)
		if p, ok := s.pos.keys[path]; ok {
			return p
		}
		if p, ok := s.pos.vals[path]; ok {
			return p
		}
	}
	return Pos{1, 1}
}

// KeyPos returns where the key of a field path is written, e.g. the
// "build:" of "site.build"; for an absent path it is Pos(path).
func (s *Spec) KeyPos(path string) Pos {
	if s != nil && s.pos != nil {
		if p, ok := s.pos.keys[path]; ok {
			return p
		}
	}
	return s.Pos(path)
}

// parent strips the last element of path: "a.b[2]" -> "a.b" -> "a" -> "".
func parent(path string) string {
	i := strings.LastIndexAny(path, ".[")
	if i < 0 {
		return ""
	}
	return path[:i]
}

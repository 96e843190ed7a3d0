package spec

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Error is one problem in a spec file.
type Error struct {
	// File is the spec file's name.
	File string
	// Pos is where the problem is; a zero Pos means the position is unknown.
	Pos Pos
	// Path names the field, such as "server.port"; empty for file-level problems.
	Path string
	// Msg says what is wrong and what to do.
	Msg string
	// Err is the cause, when another error is (Msg already says it); nil
	// for a problem found in the spec itself.
	Err error
}

// Unwrap returns the cause, if any.
func (e *Error) Unwrap() error { return e.Err }

// Error formats e as "file:line:col: path: msg"; the path is omitted when
// empty, line:col when the position is unknown and file when unnamed.
func (e *Error) Error() string {
	s := e.File
	if e.Pos.Line > 0 {
		s += fmt.Sprintf(":%d:%d", e.Pos.Line, e.Pos.Col)
	}
	s = strings.TrimPrefix(s, ":")
	if e.Path != "" {
		s += ": " + e.Path
	}
	return strings.TrimPrefix(s+": "+e.Msg, ": ")
}

// Errors returns every *Error in err, which may be a single *Error, a
// wrapped one, or a tree of errors.Join results. It returns nil when err
// holds none.
func Errors(err error) []*Error {
	switch e := err.(type) {
	case nil:
		return nil
	case *Error:
		return []*Error{e}
	case interface{ Unwrap() []error }:
		var out []*Error
		for _, sub := range e.Unwrap() {
			out = append(out, Errors(sub)...)
		}
		return out
	case interface{ Unwrap() error }:
		return Errors(e.Unwrap())
	}
	return nil
}

// join sorts errs by position, then path, and joins them; nil if none.
func join(errs []*Error) error {
	if len(errs) == 0 {
		return nil
	}
	sort.SliceStable(errs, func(i, j int) bool { return less(errs[i], errs[j]) })
	all := make([]error, len(errs))
	for i, e := range errs {
		all[i] = e
	}
	return errors.Join(all...)
}

func less(a, b *Error) bool {
	if a.Pos.Line != b.Pos.Line {
		return a.Pos.Line < b.Pos.Line
	}
	if a.Pos.Col != b.Pos.Col {
		return a.Pos.Col < b.Pos.Col
	}
	return a.Path < b.Path
}

package hostrules

import (
	"errors"
	"fmt"
)

// Error is one problem in a rules file, at a 1-based line and column.
type Error struct {
	File      string
	Line, Col int
	Msg       string
}

func (e *Error) Error() string { return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg) }

// Errors returns every *Error joined in err, in order.
func Errors(err error) []*Error {
	var out []*Error
	var one *Error
	switch {
	case err == nil:
	case errors.As(err, &one) && !isJoined(err):
		out = append(out, one)
	default:
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				out = append(out, Errors(e)...)
			}
		}
	}
	return out
}

func isJoined(err error) bool {
	_, ok := err.(interface{ Unwrap() []error })
	return ok
}

// collector gathers the problems of one file.
type collector struct {
	file string
	errs []error
}

func (c *collector) fail(line, col int, format string, args ...any) {
	c.errs = append(c.errs, &Error{File: c.file, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)})
}

func (c *collector) err() error { return errors.Join(c.errs...) }

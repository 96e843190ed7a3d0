package nginxconf

import (
	"slices"
	"strings"
)

// HeaderBlock is a level of a server.include snippet that sets its own
// add_header, and so, in nginx, drops every add_header it would inherit.
type HeaderBlock struct {
	// Directive is the block's directive with its arguments, such as
	// "location = /feed.xml" or "if ($arg_x)"; "" for the snippet's own
	// level (the block it is included in).
	Directive string
	// Line is where the block's directive starts; 0 for the snippet's level.
	Line int
	// Headers are the lines where its own add_header directives start.
	Headers []int
}

// HeaderBlocks lists the levels of a snippet that hold add_header
// directives of their own: the snippet's level first, then nested blocks
// in file order. It reads the snippet with Tokenize, so it fails where
// nginx would (nginx -t reports those).
func HeaderBlocks(snippet []byte) ([]HeaderBlock, error) {
	ds, err := Tokenize(snippet)
	if err != nil {
		return nil, err
	}
	var out []HeaderBlock
	if top := addHeaderLines(ds); len(top) > 0 {
		out = append(out, HeaderBlock{Headers: top})
	}
	first := len(out)
	var walk func([]Directive)
	walk = func(ds []Directive) {
		for _, d := range ds {
			if !d.IsBlock {
				continue
			}
			if lines := addHeaderLines(d.Block); len(lines) > 0 {
				out = append(out, HeaderBlock{Directive: strings.Join(append([]string{d.Name}, d.Args...), " "), Line: d.Start, Headers: lines})
			}
			walk(d.Block)
		}
	}
	walk(ds)
	slices.SortStableFunc(out[first:], func(a, b HeaderBlock) int { return a.Line - b.Line })
	return out, nil
}

// addHeaderLines are the start lines of the add_header directives of one
// level.
func addHeaderLines(ds []Directive) []int {
	var lines []int
	for _, d := range ds {
		if d.Name == "add_header" && !d.IsBlock {
			lines = append(lines, d.Start)
		}
	}
	return lines
}

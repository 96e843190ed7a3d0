package snippetheaders

import (
	"fmt"
	"slices"
)

// Block is a level of a snippet that sets its own add_header.
type Block struct {
	// Directive is the block's directive with its arguments, such as
	// "location = /feed.xml" or "if ($arg_x)"; "" for the snippet's own
	// level (the block it is included in).
	Directive string
	// Line is where the block's directive starts; 0 for the snippet's level.
	Line int
	// Headers are the lines of the block's own add_header directives, in order.
	Headers []int
}

// Blocks lists the levels of a snippet that hold add_header directives of
// their own, the snippet's level first, then nested blocks in file order.
// Each drops, in nginx, every add_header it would inherit. It fails when
// the snippet cannot be tokenized or its braces do not balance; nginx -t
// reports those.
func Blocks(data []byte) ([]Block, error) {
	toks, err := Tokenize(data)
	if err != nil {
		return nil, err
	}
	stack := []*Block{{}}
	var done []*Block
	var words []Token
	for _, tok := range toks {
		switch tok.Kind {
		case Word:
			words = append(words, tok)
			continue
		case Semicolon:
			if len(words) > 0 && words[0].Text == "add_header" {
				top := stack[len(stack)-1]
				top.Headers = append(top.Headers, words[0].Line)
			}
		case BlockStart:
			b := &Block{Directive: "{", Line: tok.Line}
			if len(words) > 0 {
				b.Directive, b.Line = join(words), words[0].Line
			}
			stack = append(stack, b)
		case BlockEnd:
			if len(stack) == 1 {
				return nil, fmt.Errorf("line %d: unexpected \"}\"", tok.Line)
			}
			done = append(done, stack[len(stack)-1])
			stack = stack[:len(stack)-1]
		}
		words = nil
	}
	if len(stack) > 1 {
		return nil, fmt.Errorf("line %d: the block opened here is never closed", stack[len(stack)-1].Line)
	}
	return withHeaders(stack[0], done), nil
}

// withHeaders returns the snippet's level and the closed blocks that hold
// add_header, sorted by line.
func withHeaders(top *Block, closed []*Block) []Block {
	var out []Block
	if len(top.Headers) > 0 {
		out = append(out, *top)
	}
	first := len(out)
	for _, b := range closed {
		if len(b.Headers) > 0 {
			out = append(out, *b)
		}
	}
	// Blocks close inner first; report them in file order.
	slices.SortStableFunc(out[first:], func(a, b Block) int { return a.Line - b.Line })
	return out
}

// join writes a directive's words back with single spaces.
func join(words []Token) string {
	s := words[0].Text
	for _, w := range words[1:] {
		s += " " + w.Text
	}
	return s
}

package snippetheaders

import (
	"fmt"
	"strings"
)

// Kind is what a token is.
type Kind int

// Token kinds.
const (
	Word       Kind = iota // a bare or quoted word; Text is unquoted
	Semicolon              // ";" ends a directive
	BlockStart             // "{" ends a block directive's arguments
	BlockEnd               // "}"
)

// Token is one token of an nginx config file.
type Token struct {
	Kind Kind
	Text string
	Line int // 1-based
}

// Tokenize splits data into nginx's tokens the way nginx reads its config
// (ngx_conf_read_token): "#" at the start of a token comments out the rest
// of the line; a token starting with a double or single quote runs to the
// matching unescaped quote, with "\" escaping the next character; a bare
// word ends at whitespace, ";" or "{" (not at "}", and "${" is a variable's
// brace), with "\" escaping the next character. It fails on an unclosed
// quote, as nginx does.
func Tokenize(data []byte) ([]Token, error) {
	t := tokenizer{src: string(data), line: 1}
	for t.i < len(t.src) {
		if err := t.next(); err != nil {
			return nil, err
		}
	}
	return t.out, nil
}

type tokenizer struct {
	src  string
	i    int
	line int
	out  []Token
}

// next reads one token, or skips space or a comment.
func (t *tokenizer) next() error {
	switch c := t.src[t.i]; c {
	case '\n':
		t.line++
		t.i++
	case ' ', '\t', '\r':
		t.i++
	case '#':
		for t.i < len(t.src) && t.src[t.i] != '\n' {
			t.i++
		}
	case ';':
		t.emit(Semicolon, ";")
	case '{':
		t.emit(BlockStart, "{")
	case '}':
		t.emit(BlockEnd, "}")
	case '"', '\'':
		return t.quoted(c)
	default:
		t.word()
	}
	return nil
}

func (t *tokenizer) emit(k Kind, text string) {
	t.out = append(t.out, Token{Kind: k, Text: text, Line: t.line})
	t.i++
}

// quoted reads a token in quotes q; its text is what lies between them,
// with "\q" and "\\" unescaped.
func (t *tokenizer) quoted(q byte) error {
	start := t.line
	var b strings.Builder
	for t.i++; t.i < len(t.src); t.i++ {
		c := t.src[t.i]
		switch {
		case c == '\\' && t.i+1 < len(t.src):
			t.i++
			if n := t.src[t.i]; n != q && n != '\\' {
				b.WriteByte('\\')
			}
			c = t.src[t.i]
		case c == q:
			t.i++
			t.out = append(t.out, Token{Kind: Word, Text: b.String(), Line: start})
			return nil
		}
		if c == '\n' {
			t.line++
		}
		b.WriteByte(c)
	}
	return fmt.Errorf("line %d: the quote %c opened here is never closed", start, q)
}

// word reads a bare word.
func (t *tokenizer) word() {
	start, line := t.i, t.line
	for ; t.i < len(t.src); t.i++ {
		switch c := t.src[t.i]; c {
		case '\\':
			t.i++ // the next character is part of the word
			if t.i < len(t.src) && t.src[t.i] == '\n' {
				t.line++
			}
			continue
		case '$':
			if t.i+1 < len(t.src) && t.src[t.i+1] == '{' {
				t.i++ // "${name}": the brace opens a variable name
			}
			continue
		case ' ', '\t', '\r', '\n', ';', '{':
		default:
			continue
		}
		break
	}
	end := min(t.i, len(t.src))
	t.out = append(t.out, Token{Kind: Word, Text: t.src[start:end], Line: line})
}

package nginxconf

import "fmt"

// Directive is one nginx directive as nginx's configuration parser sees it:
// its words after unescaping, and the directives of its block.
type Directive struct {
	// Name is the first word.
	Name string
	// Args are the other words, unescaped as nginx does.
	Args []string
	// Line is the line (from 1) where the directive ends, at its ";" or
	// "{", the line nginx names in its errors.
	Line int
	// IsBlock says the directive has a block ("{ … }"), possibly empty.
	IsBlock bool
	// Block holds the directives inside the block.
	Block []Directive
}

// TokenError is a configuration nginx refuses while reading its words,
// with nginx's own message.
type TokenError struct {
	Line int
	Msg  string
}

func (e *TokenError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

// confBuffer is NGX_CONF_BUFFER: nginx reads a file through a buffer of
// this size, and a word (with what follows it up to the next character
// read) that fills the whole buffer is "too long".
const confBuffer = 4096

// What readToken found, as ngx_conf_read_token returns it.
type tokenResult int

const (
	tokenEnd        tokenResult = iota // NGX_OK: words ended by ";"
	tokenBlockStart                    // NGX_CONF_BLOCK_START: words ended by "{"
	tokenBlockDone                     // NGX_CONF_BLOCK_DONE: "}"
	tokenFileDone                      // NGX_CONF_FILE_DONE
)

// Tokenize reads a configuration file the way nginx does
// (ngx_conf_parse and ngx_conf_read_token in src/core/ngx_conf_file.c,
// unchanged in this respect from 1.26.3 to 1.29): it returns the
// directives of the file, or the error nginx reports. It checks only what
// the parser checks, not whether a directive exists or takes its words.
func Tokenize(data []byte) ([]Directive, error) {
	t := &tokenizer{data: data, line: 1}
	ds, err := t.parse(false)
	if err != nil {
		return nil, err
	}
	return ds, nil
}

// tokenizer holds ngx_conf_read_token's state between calls: the file, the
// read position, the end of the simulated buffer and the current line.
type tokenizer struct {
	data []byte
	pos  int // b->pos as an offset in data
	last int // b->last as an offset in data
	line int
	args []string
}

// parse is ngx_conf_parse for a file (block false) or a block.
func (t *tokenizer) parse(block bool) ([]Directive, error) {
	var out []Directive
	for {
		rc, err := t.readToken()
		if err != nil {
			return nil, err
		}
		switch rc {
		case tokenBlockDone:
			if !block {
				return nil, t.fail(`unexpected "}"`)
			}
			return out, nil
		case tokenFileDone:
			if block {
				return nil, t.fail(`unexpected end of file, expecting "}"`)
			}
			return out, nil
		}
		d := Directive{Name: t.args[0], Args: t.args[1:], Line: t.line}
		if rc == tokenBlockStart {
			d.IsBlock = true
			if d.Block, err = t.parse(true); err != nil {
				return nil, err
			}
			if d.Block == nil {
				d.Block = []Directive{}
			}
		}
		out = append(out, d)
	}
}

func (t *tokenizer) fail(format string, args ...any) error {
	return &TokenError{Line: t.line, Msg: fmt.Sprintf(format, args...)}
}

func isSpace(ch byte) bool { return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n' }

// readToken is ngx_conf_read_token: it reads the words of one directive
// into t.args and says what ended them. The flags and their order follow
// nginx's loop, so every odd case behaves the same:
//   - a "\" makes the next byte part of the word, in any word;
//   - "#" starts a comment only where a word could start;
//   - a closing quote must be followed by a space, ";", "{" or ")"
//     (which then starts a word of its own, for "if (… "x")");
//   - "{" right after "$" stays in the word ("${name}");
//   - "}" ends a directive only where a word could start, so it is part
//     of an unquoted word such as "a}".
func (t *tokenizer) readToken() (tokenResult, error) {
	var found, needSpace, sharpComment, variable, quoted, sQuoted, dQuoted bool
	lastSpace := true
	t.args = nil
	start, startLine := t.pos, t.line
	for {
		if t.pos >= t.last {
			if t.last >= len(t.data) {
				if len(t.args) > 0 || !lastSpace {
					return 0, t.fail(`unexpected end of file, expecting ";" or "}"`)
				}
				return tokenFileDone, nil
			}
			// Refill: nginx moves the bytes from start to the front of
			// its buffer and fills the rest, so start..pos must leave room.
			n := t.pos - start
			if n == confBuffer {
				t.line = startLine
				if dQuoted || sQuoted {
					q := `"`
					if sQuoted {
						q = `'`
					}
					return 0, t.fail(`too long parameter, probably missing terminating "%s" character`, q)
				}
				return 0, t.fail(`too long parameter "%s..." started`, t.data[start:start+10])
			}
			t.last = t.pos + min(len(t.data)-t.pos, confBuffer-n)
		}
		ch := t.data[t.pos]
		t.pos++
		if ch == '\n' {
			t.line++
			sharpComment = false
		}
		if sharpComment {
			continue
		}
		if quoted {
			quoted = false
			continue
		}
		if needSpace {
			switch {
			case isSpace(ch):
				lastSpace, needSpace = true, false
				continue
			case ch == ';':
				return tokenEnd, nil
			case ch == '{':
				return tokenBlockStart, nil
			case ch == ')':
				lastSpace, needSpace = true, false // and ")" starts a word below
			default:
				return 0, t.fail("unexpected %q", string(ch))
			}
		}
		if lastSpace {
			start, startLine = t.pos-1, t.line
			if isSpace(ch) {
				continue
			}
			switch ch {
			case ';', '{':
				if len(t.args) == 0 {
					return 0, t.fail("unexpected %q", string(ch))
				}
				if ch == '{' {
					return tokenBlockStart, nil
				}
				return tokenEnd, nil
			case '}':
				if len(t.args) != 0 {
					return 0, t.fail(`unexpected "}"`)
				}
				return tokenBlockDone, nil
			case '#':
				sharpComment = true
				continue
			case '\\':
				quoted, lastSpace = true, false
				continue
			case '"':
				start++
				dQuoted, lastSpace = true, false
				continue
			case '\'':
				start++
				sQuoted, lastSpace = true, false
				continue
			case '$':
				variable, lastSpace = true, false
				continue
			default:
				lastSpace = false
			}
			continue
		}
		if ch == '{' && variable {
			continue
		}
		variable = false
		switch {
		case ch == '\\':
			quoted = true
			continue
		case ch == '$':
			variable = true
			continue
		case dQuoted:
			if ch == '"' {
				dQuoted, needSpace, found = false, true, true
			}
		case sQuoted:
			if ch == '\'' {
				sQuoted, needSpace, found = false, true, true
			}
		case isSpace(ch) || ch == ';' || ch == '{':
			lastSpace, found = true, true
		}
		if !found {
			continue
		}
		t.args = append(t.args, unescape(t.data[start:t.pos-1]))
		switch ch {
		case ';':
			return tokenEnd, nil
		case '{':
			return tokenBlockStart, nil
		}
		found = false
	}
}

// unescape is the copy loop at the end of ngx_conf_read_token: "\" before
// a quote or "\" is dropped, "\t", "\r" and "\n" become the control
// character, and any other "\" stays as it is.
func unescape(w []byte) string {
	out := make([]byte, 0, len(w))
	for i := 0; i < len(w); i++ {
		if w[i] == '\\' && i+1 < len(w) {
			switch w[i+1] {
			case '"', '\'', '\\':
				i++
			case 't':
				out = append(out, '\t')
				i++
				continue
			case 'r':
				out = append(out, '\r')
				i++
				continue
			case 'n':
				out = append(out, '\n')
				i++
				continue
			}
		}
		out = append(out, w[i])
	}
	return string(out)
}

package debian

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/layercake-build/layercake/internal/clip"
)

// maxLine bounds one line of a control file; the longest lines in real
// Packages indexes are a few kilobytes.
const maxLine = 1 << 20

// field is one "Name: value" field of a deb822 stanza. Continuation lines are
// joined to the value with "\n", their leading space removed.
type field struct {
	name  string
	value string
	line  int
}

// stanza is one paragraph of a deb822 file.
type stanza struct {
	line   int // line of the first field
	fields []field
}

// get returns the value of the named field (case-insensitive).
func (s *stanza) get(name string) (field, bool) {
	for _, f := range s.fields {
		if strings.EqualFold(f.name, name) {
			return f, true
		}
	}
	return field{}, false
}

// stanzaReader reads stanzas one at a time, counting lines from offset+1.
type stanzaReader struct {
	sc   *bufio.Scanner
	line int
}

func newStanzaReader(r io.Reader, offset int) *stanzaReader {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), maxLine)
	return &stanzaReader{sc: sc, line: offset}
}

// next returns the next stanza, or nil at the end of the input. A last stanza
// without a trailing blank line is returned like any other.
func (r *stanzaReader) next() (*stanza, error) {
	var st *stanza
	for r.sc.Scan() {
		r.line++
		text := strings.TrimRight(r.sc.Text(), "\r")
		if strings.TrimSpace(text) == "" {
			if st != nil {
				return st, nil
			}
			continue
		}
		if st == nil {
			st = &stanza{line: r.line}
		}
		if err := r.addLine(st, text); err != nil {
			return nil, err
		}
	}
	if err := r.sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, atLine(r.line+1, "%v", err)
		}
		return nil, fmt.Errorf("reading after line %d (a truncated or corrupt download?): %w", r.line, err)
	}
	return st, nil
}

func (r *stanzaReader) addLine(st *stanza, text string) error {
	if text[0] == ' ' || text[0] == '\t' {
		if len(st.fields) == 0 {
			return atLine(r.line, "continuation line before any field")
		}
		f := &st.fields[len(st.fields)-1]
		f.value += "\n" + text[1:]
		return nil
	}
	name, value, ok := strings.Cut(text, ":")
	if !ok || !validFieldName(name) {
		return atLine(r.line, "malformed field %q", truncate(text))
	}
	if _, dup := st.get(name); dup {
		return atLine(r.line, "duplicate field %q", name)
	}
	st.fields = append(st.fields, field{name: name, value: strings.TrimSpace(value), line: r.line})
	return nil
}

func validFieldName(s string) bool {
	return s != "" && s[0] != '-' && s[0] != '#' && !strings.ContainsAny(s, " \t")
}

// truncate shortens a value an error message repeats (see internal/clip).
func truncate(s string) string { return clip.String(s, 40) }

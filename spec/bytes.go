package spec

import (
	"bytes"
	"fmt"
	"unicode/utf8"
)

// badByte finds the first byte YAML rejects, invalid UTF-8 or a control
// character other than tab, line feed, carriage return and U+0085, and
// returns an error at its line and column (counted in characters). A leading
// UTF-8 byte order mark is allowed; UTF-16 input is left to the YAML parser.
func badByte(file string, data []byte) error {
	if bytes.HasPrefix(data, []byte{0xfe, 0xff}) || bytes.HasPrefix(data, []byte{0xff, 0xfe}) {
		return nil
	}
	rest := bytes.TrimPrefix(data, []byte("\ufeff"))
	line, col := 1, 1
	for len(rest) > 0 {
		r, size := utf8.DecodeRune(rest)
		switch {
		case r == utf8.RuneError && size == 1:
			return &Error{File: file, Pos: Pos{line, col}, Msg: fmt.Sprintf("invalid YAML: byte 0x%02x is not UTF-8; save the file as UTF-8", rest[0])}
		case r == '\n':
			line, col = line+1, 0
		case r < 0x20 && r != '\t' && r != '\r', r == 0x7f:
			return &Error{File: file, Pos: Pos{line, col}, Msg: fmt.Sprintf("invalid YAML: control character %U is not allowed; remove it", r)}
		}
		rest = rest[size:]
		col++
	}
	return nil
}

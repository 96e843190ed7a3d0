package unpack

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

const (
	arMagic      = "!<arch>\n"
	arHeaderSize = 60
)

// arReader walks the members of a Unix ar archive, the container format of a .deb.
type arReader struct {
	r       *bufio.Reader
	pending int64 // bytes of the current member (plus padding) not yet read
}

func newArReader(r io.Reader) (*arReader, error) {
	br := bufio.NewReader(r)
	magic := make([]byte, len(arMagic))
	if _, err := io.ReadFull(br, magic); err != nil {
		return nil, fmt.Errorf("reading ar magic: %w", err)
	}
	if string(magic) != arMagic {
		return nil, errors.New("not a Debian package: missing ar magic")
	}
	return &arReader{r: br}, nil
}

// next skips what is left of the current member and returns the name and a
// reader of the next one; io.EOF ends the archive.
func (a *arReader) next() (string, io.Reader, error) {
	if _, err := io.CopyN(io.Discard, a.r, a.pending); err != nil {
		return "", nil, fmt.Errorf("skipping ar member: %w", err)
	}
	hdr := make([]byte, arHeaderSize)
	if _, err := io.ReadFull(a.r, hdr); err != nil {
		if errors.Is(err, io.EOF) {
			return "", nil, io.EOF
		}
		return "", nil, fmt.Errorf("reading ar header: %w", err)
	}
	if string(hdr[58:60]) != "`\n" {
		return "", nil, errors.New("corrupt ar header")
	}
	size, err := strconv.ParseInt(strings.TrimSpace(string(hdr[48:58])), 10, 64)
	if err != nil || size < 0 {
		return "", nil, fmt.Errorf("corrupt ar member size %q", hdr[48:58])
	}
	name := strings.TrimRight(strings.TrimSpace(string(hdr[0:16])), "/")
	a.pending = size + size%2
	return name, &countingReader{r: io.LimitReader(a.r, size), left: &a.pending}, nil
}

// countingReader keeps arReader.pending in step with what the caller consumed.
type countingReader struct {
	r    io.Reader
	left *int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	*c.left -= int64(n)
	return n, err
}

package integration

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"
)

// rawResponse is an HTTP/1.1 response as its bytes came off the wire: the
// status line and each header line exactly as sent, so an injected header
// or a bare LF inside a value shows.
type rawResponse struct {
	status  int
	reason  string
	headers []rawHeader
	body    []byte // after chunked decoding, if the response was chunked
	// malformed lists what is wrong with the header block itself: a line
	// that ends in a bare LF or holds a bare CR, a line without a colon, a
	// control character in a value.
	malformed []string
}

// rawHeader is one header line, the name and value around its first colon,
// with the optional whitespace around the value removed.
type rawHeader struct {
	name, value string
}

// values returns every value of the named header, in order.
func (r *rawResponse) values(name string) []string {
	var out []string
	for _, h := range r.headers {
		if strings.EqualFold(h.name, name) {
			out = append(out, h.value)
		}
	}
	return out
}

// get returns the first value of the named header, or "".
func (r *rawResponse) get(name string) string {
	if v := r.values(name); len(v) > 0 {
		return v[0]
	}
	return ""
}

// String shows the status line and headers, for failure messages.
func (r *rawResponse) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d %s", r.status, r.reason)
	for _, h := range r.headers {
		fmt.Fprintf(&b, "\n  %s: %q", h.name, h.value)
	}
	for _, m := range r.malformed {
		fmt.Fprintf(&b, "\n  MALFORMED: %s", m)
	}
	return b.String()
}

// rawGet sends "GET target HTTP/1.1" with the given extra header lines to
// addr (host:port) over a plain TCP connection, byte for byte, and parses
// what comes back. target goes on the wire as written: no encoding, no
// cleaning.
func rawGet(addr, target string, extra ...string) (*rawResponse, error) {
	var req bytes.Buffer
	fmt.Fprintf(&req, "GET %s HTTP/1.1\r\nHost: %s\r\n", target, addr)
	for _, h := range extra {
		req.WriteString(h + "\r\n")
	}
	req.WriteString("Connection: close\r\n\r\n")
	data, err := rawExchange(addr, req.Bytes())
	if err != nil {
		return nil, fmt.Errorf("GET %q: %w", target, err)
	}
	resp, err := parseRawResponse(data)
	if err != nil {
		return nil, fmt.Errorf("GET %q: %w\n%q", target, err, clipBytes(data, 2000))
	}
	return resp, nil
}

// rawExchange writes req and reads until the server closes the connection.
func rawExchange(addr string, req []byte) ([]byte, error) {
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := conn.Write(req); err != nil {
		return nil, err
	}
	return io.ReadAll(io.LimitReader(conn, 16<<20))
}

// parseRawResponse reads one response: the header block ends at the first
// empty line ending in CRLF; a body is delimited by chunked encoding or by
// Content-Length, else by the end of data (Connection: close).
func parseRawResponse(data []byte) (*rawResponse, error) {
	end := bytes.Index(data, []byte("\r\n\r\n"))
	if end < 0 {
		return nil, errors.New("no end of the header block (CRLF CRLF)")
	}
	block, rest := data[:end+2], data[end+4:]
	r := &rawResponse{}
	lines := bytes.SplitAfter(block, []byte("\n"))
	if len(lines) > 0 && len(lines[len(lines)-1]) == 0 {
		lines = lines[:len(lines)-1]
	}
	for i, l := range lines {
		text, ok := bytes.CutSuffix(l, []byte("\r\n"))
		if !ok {
			r.malformed = append(r.malformed, fmt.Sprintf("line %d ends in a bare LF: %q", i+1, l))
			text = bytes.TrimSuffix(l, []byte("\n"))
		}
		if bytes.IndexByte(text, '\r') >= 0 {
			r.malformed = append(r.malformed, fmt.Sprintf("line %d holds a bare CR: %q", i+1, l))
		}
		if i == 0 {
			if err := r.parseStatusLine(string(text)); err != nil {
				return nil, err
			}
			continue
		}
		r.addHeaderLine(i+1, string(text))
	}
	body, err := r.readBody(rest)
	if err != nil {
		return nil, err
	}
	r.body = body
	return r, nil
}

func (r *rawResponse) parseStatusLine(line string) error {
	proto, rest, _ := strings.Cut(line, " ")
	code, reason, _ := strings.Cut(rest, " ")
	n, err := strconv.Atoi(code)
	if !strings.HasPrefix(proto, "HTTP/1.") || err != nil || len(code) != 3 {
		return fmt.Errorf("bad status line %q", line)
	}
	r.status, r.reason = n, reason
	return nil
}

func (r *rawResponse) addHeaderLine(n int, line string) {
	name, value, ok := strings.Cut(line, ":")
	if !ok || name == "" || strings.ContainsAny(name, " \t") {
		r.malformed = append(r.malformed, fmt.Sprintf("line %d is not a header: %q", n, line))
		return
	}
	value = strings.Trim(value, " \t")
	for _, c := range []byte(value) {
		if c < 0x20 && c != '\t' || c == 0x7f {
			r.malformed = append(r.malformed, fmt.Sprintf("line %d: %s holds control character %#x: %q", n, name, c, value))
			break
		}
	}
	r.headers = append(r.headers, rawHeader{name, value})
}

// readBody takes the body from what follows the header block.
func (r *rawResponse) readBody(rest []byte) ([]byte, error) {
	if te := r.get("Transfer-Encoding"); strings.EqualFold(te, "chunked") {
		return dechunk(rest)
	}
	if cl := r.get("Content-Length"); cl != "" {
		n, err := strconv.Atoi(cl)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("bad Content-Length %q", cl)
		}
		if n > len(rest) {
			return nil, fmt.Errorf("Content-Length %d, but only %d bytes follow", n, len(rest))
		}
		return rest[:n], nil
	}
	return rest, nil
}

// dechunk decodes a chunked body (RFC 9112, section 7.1); trailers are
// dropped.
func dechunk(data []byte) ([]byte, error) {
	var out []byte
	br := bufio.NewReader(bytes.NewReader(data))
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			return nil, fmt.Errorf("chunk size line: %w", err)
		}
		size, _, _ := strings.Cut(strings.TrimRight(line, "\r\n"), ";")
		n, err := strconv.ParseInt(strings.TrimSpace(size), 16, 32)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("bad chunk size %q", line)
		}
		if n == 0 {
			return out, nil
		}
		chunk := make([]byte, n+2)
		if _, err := io.ReadFull(br, chunk); err != nil || !bytes.HasSuffix(chunk, []byte("\r\n")) {
			return nil, fmt.Errorf("chunk of %d bytes: short or not ended by CRLF", n)
		}
		out = append(out, chunk[:n]...)
	}
}

func clipBytes(b []byte, n int) []byte {
	if len(b) > n {
		return b[:n]
	}
	return b
}

// TestParseRawResponse checks the parser on responses no well-behaved
// server sends: an injected header, a bare LF inside a value, a chunked body.
func TestParseRawResponse(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name      string
		data      string
		status    int
		headers   []rawHeader
		body      string
		malformed int
	}{
		{
			name:    "plain",
			data:    "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5\r\n\r\nhelloEXTRA",
			status:  200,
			headers: []rawHeader{{"Content-Type", "text/html"}, {"Content-Length", "5"}},
			body:    "hello",
		},
		{
			name:    "an injected header is a header of its own",
			data:    "HTTP/1.1 301 Moved Permanently\r\nLocation: /users/x\r\nSet-Cookie: pwned=1\r\nContent-Length: 0\r\n\r\n",
			status:  301,
			headers: []rawHeader{{"Location", "/users/x"}, {"Set-Cookie", "pwned=1"}, {"Content-Length", "0"}},
		},
		{
			name:      "bare LF inside a value",
			data:      "HTTP/1.1 301 Moved Permanently\r\nLocation: /users/x\nSet-Cookie: a=1\r\n\r\n",
			status:    301,
			headers:   []rawHeader{{"Location", "/users/x"}, {"Set-Cookie", "a=1"}},
			malformed: 1,
		},
		{
			name:      "bare CR and a control byte",
			data:      "HTTP/1.1 200 OK\r\nX-A: a\rb\r\nX-B: c\x01d\r\n\r\n",
			status:    200,
			headers:   []rawHeader{{"X-A", "a\rb"}, {"X-B", "c\x01d"}},
			malformed: 3, // the bare CR, and the two values holding control bytes
		},
		{
			name:    "chunked",
			data:    "HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n",
			status:  404,
			headers: []rawHeader{{"Transfer-Encoding", "chunked"}},
			body:    "abcde",
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r, err := parseRawResponse([]byte(tt.data))
			if err != nil {
				t.Fatalf("parseRawResponse: %v", err)
			}
			if r.status != tt.status || string(r.body) != tt.body || len(r.malformed) != tt.malformed {
				t.Errorf("parseRawResponse = %d, body %q, %d malformed (%q); want %d, %q, %d",
					r.status, r.body, len(r.malformed), r.malformed, tt.status, tt.body, tt.malformed)
			}
			if fmt.Sprint(r.headers) != fmt.Sprint(tt.headers) {
				t.Errorf("headers = %q, want %q", r.headers, tt.headers)
			}
		})
	}
	for _, bad := range []string{"HTTP/1.1 200 OK\r\n", "SSH-2.0\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nshort"} {
		if _, err := parseRawResponse([]byte(bad)); err == nil {
			t.Errorf("parseRawResponse(%q) succeeded, want an error", bad)
		}
	}
}

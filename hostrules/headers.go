package hostrules

import (
	"bufio"
	"bytes"
	"strings"

	"github.com/layercake-build/layercake/spec"
)

// Limits on _headers that keep nginx quick to start and responses small
// enough for every client and proxy (Node.js refuses more than 16 KiB of
// response headers; nginx as a proxy buffers 4 or 8 KiB by default).
const (
	// MaxHeaderRules is Cloudflare Pages' limit on _headers rules.
	MaxHeaderRules = 100
	// MaxHeadersPerRule bounds the header lines of one rule.
	MaxHeadersPerRule = 20
	// MaxResponseHeaderBytes bounds what the rules can add to one
	// response: the headers of every rule whose pattern overlaps.
	MaxResponseHeaderBytes = 8 << 10
)

// maxHeaderLine bounds one _headers line (Cloudflare's limit).
const maxHeaderLine = 2000

// Header is one response header.
type Header struct {
	Name, Value string
}

// HeaderRule adds headers to responses for paths matching a pattern. Every
// matching rule adds its headers; a header named by several rules gets each
// of their values.
type HeaderRule struct {
	// Line is where the pattern is written.
	Line int
	// Path is the request path pattern.
	Path Pattern
	// Headers are in file order; a name repeated within the rule has its
	// values joined with ", ".
	Headers []Header

	overflow bool // MaxHeadersPerRule was reported
}

// ParseHeaders reads a _headers file named file: a path pattern on a line of
// its own, then its headers indented, "Name: value" one per line.
func ParseHeaders(file string, data []byte) ([]HeaderRule, error) {
	c := &collector{file: file}
	var out []HeaderRule
	var cur *HeaderRule
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSuffix(sc.Text(), "\r")
		trimmed := strings.TrimSpace(line)
		switch {
		case len(line) > maxHeaderLine:
			c.fail(n, maxHeaderLine+1, "line is %d characters long; keep lines under %d", len(line), maxHeaderLine)
		case trimmed == "" || strings.HasPrefix(trimmed, "#"):
		case line[0] != ' ' && line[0] != '\t':
			out = append(out, HeaderRule{Line: n})
			cur = &out[len(out)-1]
			f := fields(line)
			if len(f) > 1 {
				c.fail(n, f[1].col, "a path line holds only the pattern; put each header on its own indented line below it")
			}
			var ok bool
			if cur.Path, ok = parsePattern(c, n, 1, f[0].text); ok {
				if msg := cur.Path.tooLong(false); msg != "" {
					c.fail(n, 1, "%s", msg)
				}
			}
			if len(out) == MaxHeaderRules+1 {
				c.fail(n, 1, "more than %d rules; merge rules with \"*\" patterns", MaxHeaderRules)
			}
		case cur == nil:
			c.fail(n, 1, "a header before any path; put a path pattern such as /* on the line above")
		default:
			parseHeaderLine(c, n, line, cur)
		}
	}
	if err := sc.Err(); err != nil {
		c.fail(1, 1, "reading: %v", err)
	}
	checkResponseSize(c, out)
	return out, c.err()
}

// checkResponseSize fails at the rule whose responses can carry the most
// header bytes, when that is over MaxResponseHeaderBytes. A response gets
// the headers of every rule matching its path, and every such rule
// overlaps the rule of the largest share, so the sum over overlapping rules
// bounds what any response carries.
func checkResponseSize(c *collector, rules []HeaderRule) {
	worst, worstAt := 0, -1
	for i, r := range rules {
		total := 0
		for _, o := range rules {
			if o.Line == r.Line || Overlaps(r.Path, o.Path) {
				total += o.bytes()
			}
		}
		if total > worst {
			worst, worstAt = total, i
		}
	}
	if worst > MaxResponseHeaderBytes {
		r := rules[worstAt]
		c.fail(r.Line, 1, "a response for a path %s matches can carry %d bytes of headers from this and the rules that overlap it; keep it under %d (browsers and proxies refuse large headers)", clip(r.Path.Text), worst, MaxResponseHeaderBytes)
	}
}

// bytes is the size of the rule's header lines on the wire.
func (r HeaderRule) bytes() int {
	n := 0
	for _, h := range r.Headers {
		n += len(h.Name) + len(": ") + len(h.Value) + len("\r\n")
	}
	return n
}

func parseHeaderLine(c *collector, n int, line string, cur *HeaderRule) {
	col := runeCol(line, len(line)-len(strings.TrimLeft(line, " \t"))) + 1
	text := strings.TrimSpace(line)
	if strings.HasPrefix(text, "!") {
		c.fail(n, col, "removing a header with \"!\" is not supported; narrow the pattern of the rule that adds it")
		return
	}
	name, value, ok := strings.Cut(text, ":")
	if !ok {
		c.fail(n, col, "%q is not a header; write \"Name: value\"", clip(text))
		return
	}
	name, value = strings.TrimSpace(name), strings.TrimSpace(value)
	if msg := spec.HeaderProblem(name, value); msg != "" {
		at := col
		if headerNameOK(name) { // the value is wrong: point at it
			i := strings.Index(text, ":") + 1
			i += len(text[i:]) - len(strings.TrimLeft(text[i:], " \t"))
			at = col + runeCol(text, i)
		}
		c.fail(n, at, "%s", msg)
		return
	}
	for i, h := range cur.Headers {
		if strings.EqualFold(h.Name, name) {
			joined := h.Value + ", " + value
			if tokenLen(joined) > MaxToken {
				c.fail(n, col, "the values of %s in this rule join to %d bytes, over nginx's limit of %d for one value; shorten them", name, len(joined), MaxToken)
				return
			}
			cur.Headers[i].Value = joined
			return
		}
	}
	if tokenLen(value) > MaxToken {
		c.fail(n, col, "the value of %s is %d bytes, over nginx's limit of %d for one value; shorten it", name, len(value), MaxToken)
		return
	}
	if len(cur.Headers) == MaxHeadersPerRule {
		if cur.overflow {
			return
		}
		cur.overflow = true
		c.fail(n, col, "more than %d headers for %s; put headers every page gets in the spec's server.headers", MaxHeadersPerRule, clip(cur.Path.Text))
		return
	}
	cur.Headers = append(cur.Headers, Header{Name: name, Value: value})
}

func headerNameOK(name string) bool {
	return name != "" && spec.HeaderProblem(name, "x") == ""
}

package step

import (
	"bytes"
	"io"
	"regexp"
	"strings"
	"sync"
)

// maxVersionLines bounds the lines repeated after a failure.
const maxVersionLines = 8

// versionLineRE matches a line that names a version and says something
// about it: Hugo's `WARN Module "x" is not compatible with this Hugo
// version: Min 0.146.0`, npm's `required: { node: '>=22.12.0' }`, Astro's
// `Node.js v20.19.2 is not supported`.
var versionLineRE = regexp.MustCompile(`(?i)` + versionRE + `.*` + versionWordRE + `|` + versionWordRE + `.*` + versionRE)

// versionRE is a version: 0.146.0, v20, >=22, ^22.12.
const versionRE = `(\bv?\d+\.\d+|\bv\d+\b|[<>=^~]=?\s*v?\d+)`

// versionWordRE is a word that says something about a version.
const versionWordRE = `\b(warn|warning|error|requires?|required|compatible|supported|min|minimum|engines?|version)\b`

// versionLines keeps the lines of a generator's output that name a
// version, so a failure can repeat them where buildx shows it: after the
// last lines of the log, where a cause printed early (Hugo's theme version
// check) is no longer in the excerpt.
type versionLines struct {
	mu    sync.Mutex
	lines []string
}

// writer passes p to w and records the version lines of the stream.
func (v *versionLines) writer(w io.Writer) io.Writer {
	return &lineTee{w: w, v: v}
}

func (v *versionLines) add(line string) {
	line = strings.TrimSpace(stripANSI(line))
	if len(line) > 300 || !versionLineRE.MatchString(line) {
		return
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	for _, l := range v.lines {
		if l == line {
			return
		}
	}
	if len(v.lines) < maxVersionLines {
		v.lines = append(v.lines, line)
	}
}

// String is the recorded lines, indented, after a line saying what they
// are; "" when there are none.
func (v *versionLines) String() string {
	v.mu.Lock()
	defer v.mu.Unlock()
	if len(v.lines) == 0 {
		return ""
	}
	return "; it printed these lines about versions (site.build.suite can take a newer toolchain):\n  " + strings.Join(v.lines, "\n  ")
}

// lineTee copies writes to w and hands each complete line to v.
type lineTee struct {
	w       io.Writer
	v       *versionLines
	partial []byte
}

func (t *lineTee) Write(p []byte) (int, error) {
	n, err := t.w.Write(p)
	t.partial = append(t.partial, p...)
	for {
		i := bytes.IndexByte(t.partial, '\n')
		if i < 0 {
			break
		}
		t.v.add(string(t.partial[:i]))
		t.partial = t.partial[i+1:]
	}
	if len(t.partial) > 4096 { // a line this long is not a warning
		t.partial = t.partial[:0]
	}
	return n, err
}

// ansiRE matches terminal colour sequences, which some generators print
// even into a pipe.
var ansiRE = regexp.MustCompile(`\x1b\[[0-9;]*[A-Za-z]`)

func stripANSI(s string) string { return ansiRE.ReplaceAllString(s, "") }

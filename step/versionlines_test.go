package step

import (
	"io"
	"os"
	"strings"
	"testing"
)

func TestVersionLineMatches(t *testing.T) {
	for _, tc := range []struct {
		line string
		want bool
	}{
		{`WARN  Module "hugo-PaperMod" is not compatible with this Hugo version: Min 0.146.0; run "hugo mod graph" for more information.`, true},
		{"\x1b[33mWARN\x1b[0m Module \"x\" is not compatible with this Hugo version: Min 0.146.0", true},
		{"npm warn EBADENGINE   required: { node: '>=22.12.0' },", true},
		{"Node.js v20.19.2 is not supported by Astro!", true},
		{"error: requires rustc 1.80 or newer", true},
		{`ERROR render of "home" failed: execute of template failed: template: index.html:1:8: executing "index.html" at <templates.Current>: can't evaluate field Current`, false},
		{"Start building sites …", false},
		{"Total in 812 ms", false},
		{"Built 3.2.1 pages", false},
	} {
		var v versionLines
		v.add(tc.line)
		if got := len(v.lines) == 1; got != tc.want {
			t.Errorf("versionLines.add(%q) kept = %v, want %v", tc.line, got, tc.want)
		}
	}
}

// A failed generator's message repeats its version lines, from stdout and
// stderr, once each, after the status: the excerpt buildx prints ends
// there.
func TestGeneratorFailureRepeatsVersionLines(t *testing.T) {
	argv := []string{"/bin/sh", "-c", `echo 'WARN  Module "theme" is not compatible with this Hugo version: Min 0.146.0'
echo 'WARN  Module "theme" is not compatible with this Hugo version: Min 0.146.0'
echo 'npm warn EBADENGINE required: { node: ">=22" }' >&2
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do echo "noise $i"; done
echo 'Error: template for shortcode "audio" not found' >&2
exit 1`}
	code, msg := runGenerator(argv, os.Environ(), "the generator")
	head := "layercake: the generator failed with exit status 1 (its output is above); it printed these lines about versions (site.build.suite can take a newer toolchain):\n  "
	// stdout and stderr are read concurrently: their lines may come in
	// either order.
	lines := []string{`WARN  Module "theme" is not compatible with this Hugo version: Min 0.146.0`, `npm warn EBADENGINE required: { node: ">=22" }`}
	a, b := head+lines[0]+"\n  "+lines[1], head+lines[1]+"\n  "+lines[0]
	if code != 1 || (msg != a && msg != b) {
		t.Errorf("runGenerator() = %d, %q\nwant 1, %q", code, msg, a)
	}
	if _, msg := runGenerator([]string{"/bin/sh", "-c", "echo plain; exit 2"}, os.Environ(), "the generator"); strings.Contains(msg, "versions") {
		t.Errorf("runGenerator(no version lines) = %q, want no list", msg)
	}
}

// Lines split across writes are still seen whole.
func TestLineTeeJoinsWrites(t *testing.T) {
	var v versionLines
	w := v.writer(io.Discard)
	for _, part := range []string{"WARN Module is not compat", "ible with this Hugo version: Min 0.1", "46.0\nnext"} {
		w.Write([]byte(part))
	}
	if len(v.lines) != 1 || !strings.HasSuffix(v.lines[0], "Min 0.146.0") {
		t.Errorf("lines = %q, want the joined warning", v.lines)
	}
}

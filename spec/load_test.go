package spec

import (
	"strings"
	"testing"
)

// Load reports decoding and validation problems in one list, by position,
// without a second complaint about a field that could not be decoded.
func TestLoadReportsEveryProblem(t *testing.T) {
	src := "version: 1\nserver:\n  port: 80000\n  colour: blue\nsite:\n  dir: ../outside\nepoch: soon\n"
	_, err := Load("Dockerfile", []byte(src))
	got := Errors(err)
	var lines []string
	for _, e := range got {
		lines = append(lines, e.Error()[:strings.Index(e.Error(), ": ")+1]+" "+e.Path)
	}
	want := []string{
		"Dockerfile:3:9: server.port",
		"Dockerfile:4:3: server.colour",
		"Dockerfile:6:8: site.dir",
		"Dockerfile:7:8: epoch",
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("Load() errors =\n%s\nwant\n%s\n(full: %v)", strings.Join(lines, "\n"), strings.Join(want, "\n"), err)
	}
}

package nginxcorpus

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Dir is FuzzRender's corpus folder, relative to the module root.
const Dir = "nginxconf/testdata/fuzz/FuzzRender"

// ReadDir reads every corpus file in dir (as go test writes them, "go test
// fuzz v1" and one Go literal a line), sorted by name; a missing folder
// holds none.
func ReadDir(dir string) (map[string]Case, error) {
	ents, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	out := map[string]Case{}
	for _, e := range ents {
		if e.IsDir() {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		c, err := Parse(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", e.Name(), err)
		}
		out[e.Name()] = c
	}
	return out, nil
}

// Parse reads one corpus file of FuzzRender.
func Parse(data []byte) (Case, error) {
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if len(lines) == 0 || lines[0] != "go test fuzz v1" {
		return Case{}, fmt.Errorf("not a go test fuzz v1 file")
	}
	var vals []string
	for i, l := range lines[1:] {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		typ, lit, ok := strings.Cut(l, "(")
		if !ok || !strings.HasSuffix(lit, ")") || (typ != "string" && typ != "[]byte") {
			return Case{}, fmt.Errorf("line %d: want string(…) or []byte(…)", i+2)
		}
		v, err := strconv.Unquote(strings.TrimSuffix(lit, ")"))
		if err != nil {
			return Case{}, fmt.Errorf("line %d: %w", i+2, err)
		}
		vals = append(vals, v)
	}
	if len(vals) != 6 {
		return Case{}, fmt.Errorf("%d values, want 6", len(vals))
	}
	return Case{vals[0], vals[1], []byte(vals[2]), []byte(vals[3]), vals[4], vals[5]}, nil
}

// Format writes c as a corpus file.
func (c Case) Format() []byte {
	return fmt.Appendf(nil, "go test fuzz v1\nstring(%q)\nstring(%q)\n[]byte(%q)\n[]byte(%q)\nstring(%q)\nstring(%q)\n",
		c.HeaderName, c.HeaderValue, c.Headers, c.Redirects, c.Health, c.Snippet)
}

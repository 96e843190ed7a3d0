package snippetheaders

import (
	"strings"
	"testing"
)

// FuzzBlocks: any bytes tokenize or fail without panicking, and every
// reported add_header line is a line of the input.
func FuzzBlocks(f *testing.F) {
	for _, s := range []string{
		"add_header A b;\n",
		"location = /x {\n    if ($a) { add_header B \"c\\\"d\"; }\n}\n",
		"# c\nreturn 200 'x;y' ${v}z\\;;\n",
		"location /a{add_header X y;}}",
		"\"unclosed",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		blocks, err := Blocks(data)
		if err != nil {
			return
		}
		lines := strings.Count(string(data), "\n") + 1
		for _, b := range blocks {
			for _, l := range b.Headers {
				if l < 1 || l > lines {
					t.Fatalf("Blocks(%q): add_header at line %d of %d", data, l, lines)
				}
			}
		}
	})
}

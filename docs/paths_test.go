// Package docs holds the project's documents; its test keeps the paths
// they name true.
package docs

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// pathRE finds a path of the repository in backquotes: a top-level folder
// of the tree, then more.
var pathRE = regexp.MustCompile("`((?:cmd|frontend|step|scaffold|spec|llbgen|nginxconf|hostrules|webroot|debian|sbom|internal|integration|examples|bench|hack|tools|docs)/[A-Za-z0-9_./*-]*)`")

// TestArchitecturePaths: every path ARCHITECTURE.md names exists.
func TestArchitecturePaths(t *testing.T) {
	data, err := os.ReadFile("ARCHITECTURE.md")
	if err != nil {
		t.Fatal(err)
	}
	found := pathRE.FindAllSubmatch(data, -1)
	if len(found) < 20 {
		t.Fatalf("ARCHITECTURE.md names %d paths; the pattern no longer reads it", len(found))
	}
	for _, m := range found {
		p := string(m[1])
		matches, err := filepath.Glob(filepath.Join("..", p))
		if err != nil || len(matches) == 0 {
			t.Errorf("ARCHITECTURE.md names %s, which does not exist", p)
		}
	}
}

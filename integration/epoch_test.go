package integration

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNginxCheckFailsBuild leaves nginx-common (and so mime.types) out: the
// build must fail at `nginx -t`, not at deploy time.
func TestNginxCheckFailsBuild(t *testing.T) {
	e := need(t)
	t.Parallel()
	dir := e.siteDir(t, 8080)
	os.Remove(filepath.Join(dir, "layercake.lock"))
	spec, _ := os.ReadFile(filepath.Join(dir, "Dockerfile"))
	write(t, dir, "Dockerfile", strings.Replace(string(spec), "  suite: trixie\n", "  suite: trixie\n  exclude: [nginx-common]\n", 1))
	out, err := e.tryBuild(t, build{dir: dir})
	if err == nil {
		t.Fatalf("build without nginx-common succeeded:\n%s", tail(out, 20))
	}
	for _, want := range []string{"nginx -t", "mime.types"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, tail(out, 30))
		}
	}
}

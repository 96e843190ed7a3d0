package nginxconf

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

func TestNginxConfGolden(t *testing.T) {
	got := Render(Config{Port: 8080, Root: "/srv/www"})
	golden := filepath.Join("testdata", "nginx.conf.golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("reading golden file (run with -update to write it): %v", err)
	}
	if got != string(want) {
		t.Errorf("Render() differs from %s (run with -update after checking):\n%s", golden, got)
	}
}

package nginxconf

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
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

// A snippet path is one token however it is spelled: a space, ";" or "#"
// in a file name cannot end the include or start a directive.
func TestSnippetPathsAreOneToken(t *testing.T) {
	conf := Render(Config{Port: 8080, Root: "/srv/www",
		ServerSnippets:   []string{"nginx/a;add_header X-Injected yes;#.conf"},
		LocationSnippets: []string{"nginx/a b.conf", `nginx/q"uote\.conf`}})
	for _, want := range []string{
		"\n        include \"/etc/layercake/context/nginx/a;add_header X-Injected yes;#.conf\";\n",
		"\n            include \"/etc/layercake/context/nginx/a b.conf\";\n",
		"\n            include \"/etc/layercake/context/nginx/q\\\"uote\\\\.conf\";\n",
	} {
		if !strings.Contains(conf, want) {
			t.Errorf("Render() lacks %q:\n%s", want, conf)
		}
	}
}

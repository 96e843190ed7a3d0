package integration

import (
	"fmt"
	"strings"
	"testing"
)

// TestGeneratorSourcesAndSandbox: the generator sees the context without
// what .gitignore and .dockerignore name, has no network but loopback, and
// runs in the controlled environment.
func TestGeneratorSourcesAndSandbox(t *testing.T) {
	e := need(t)
	t.Parallel()
	const check = `set -x; test ! -e public && test ! -e notes.swp && test ! -e secret.txt && test -e keep.swp && ` +
		`test "$(ls /sys/class/net)" = lo && test "$LANG" = C.UTF-8 && test "$TZ" = UTC && test -n "$SOURCE_DATE_EPOCH" && ` +
		`mkdir -p /out && cp index.html /out/`
	files := map[string]string{
		".gitignore":        "public/\n*.swp\n!keep.swp\n",
		".dockerignore":     "secret.txt\n",
		"public/stale.html": "local build output",
		"notes.swp":         "editor file",
		"keep.swp":          "re-included",
		"secret.txt":        "never sent",
		"index.html":        "<p>generated</p>",
	}
	for _, tc := range []struct {
		name      string
		gitignore string
		wantOK    bool
	}{
		{"filtered", "", true},
		{"gitignore off", "    gitignore: false\n", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, content := range files {
				write(t, dir, name, content)
			}
			write(t, dir, "Dockerfile", fmt.Sprintf("# syntax=%s\nversion: 1\nsite:\n  build:\n    packages: [coreutils]\n    run: %s\n    output: /out\n%s",
				e.frontend, quoteYAML(check), tc.gitignore))
			out, err := e.tryBuild(t, build{dir: dir})
			if (err == nil) != tc.wantOK {
				t.Fatalf("build error = %v, want success %v:\n%s", err, tc.wantOK, tail(out, 30))
			}
		})
	}
}

// quoteYAML writes s as a double-quoted YAML string.
func quoteYAML(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

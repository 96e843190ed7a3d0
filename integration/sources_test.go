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
	// Each check names itself when it fails, so a test can tell which one.
	// The message is put together at run time: the command line (which
	// buildx shows as the step's name) never holds it whole.
	checks := []struct{ cond, name string }{
		{"test ! -e public", "gitignored folder public/ reached the generator"},
		{"test ! -e notes.swp", "gitignored notes.swp reached the generator"},
		{"test ! -e secret.txt", "dockerignored secret.txt reached the generator"},
		{"test -e keep.swp", "re-included keep.swp is missing"},
		{`test "$(ls /sys/class/net)" = lo`, "the generator has a network"},
		{`test "$LANG" = C.UTF-8 && test "$TZ" = UTC && test -n "$SOURCE_DATE_EPOCH"`, "the environment is not controlled"},
	}
	var check strings.Builder
	for _, c := range checks {
		fmt.Fprintf(&check, "%s || { printf '%%s check %%s: %%s\\n' sandbox FAILED '%s'; exit 1; }; ", c.cond, c.name)
	}
	check.WriteString("mkdir -p /out && cp index.html /out/")
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
		wantFail  string // the one check that must fail; "" for none
	}{
		{"filtered", "", ""},
		{"gitignore off", "    gitignore: false\n", "gitignored folder public/ reached the generator"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, content := range files {
				write(t, dir, name, content)
			}
			write(t, dir, "Dockerfile", fmt.Sprintf("# syntax=%s\nversion: 1\nsite:\n  build:\n    packages: [coreutils]\n    run: %s\n    output: /out\n%s",
				e.frontend, quoteYAML(check.String()), tc.gitignore))
			out, err := e.tryBuild(t, build{dir: dir})
			switch {
			case tc.wantFail == "" && err != nil:
				t.Fatalf("build error = %v, want success:\n%s", err, tail(out, 30))
			case tc.wantFail != "" && err == nil:
				t.Fatalf("build succeeded, want it to fail with %q:\n%s", tc.wantFail, tail(out, 30))
			case tc.wantFail != "" && !strings.Contains(out, "sandbox check FAILED: "+tc.wantFail):
				t.Fatalf("build failed, but not with %q:\n%s", tc.wantFail, tail(out, 30))
			}
			for _, c := range checks {
				if c.name != tc.wantFail && strings.Contains(out, "sandbox check FAILED: "+c.name) {
					t.Errorf("sandbox check failed: %s", c.name)
				}
			}
		})
	}
}

// quoteYAML writes s as a double-quoted YAML string.
func quoteYAML(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

package integration

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestTamperedPackageFails: a .deb whose bytes do not match the lock fails
// the build, the failing step names the package, buildx shows the spec's
// debian: line it comes from, and a warning says what to check.
func TestTamperedPackageFails(t *testing.T) {
	e := need(t)
	t.Parallel()
	dir := e.siteDir(t, 8080)
	lock, err := os.ReadFile(filepath.Join(dir, "layercake.lock"))
	if err != nil {
		t.Fatal(err)
	}
	// Flip the first hex digit of nginx's sha256: the pin no longer matches.
	re := regexp.MustCompile(`("name": "nginx",[^}]*"sha256": ")([0-9a-f])`)
	tampered := re.ReplaceAllStringFunc(string(lock), func(m string) string {
		if m[len(m)-1] == '0' {
			return m[:len(m)-1] + "1"
		}
		return m[:len(m)-1] + "0"
	})
	if tampered == string(lock) {
		t.Fatal("could not tamper with the lock")
	}
	write(t, dir, "layercake.lock", tampered)
	out, err := e.tryBuild(t, build{dir: dir})
	if err == nil {
		t.Fatalf("a build with a wrong checksum succeeded:\n%s", tail(out, 20))
	}
	failed := regexp.MustCompile(`(?m)^#(\d+) \[layercake\] fetch nginx \S+ \(debian trixie(?:-security|-updates)? \w+\)$`).FindAllStringSubmatch(out, -1)
	named := false
	for _, m := range failed {
		if strings.Contains(out, "#"+m[1]+" ERROR") {
			named = true
		}
	}
	if !named {
		t.Errorf("the failing step is not the nginx fetch:\n%s", tail(out, 30))
	}
	if !strings.Contains(strings.ToLower(out), "digest") && !strings.Contains(strings.ToLower(out), "checksum") {
		t.Errorf("the failure does not mention the checksum:\n%s", tail(out, 30))
	}
	for _, want := range []string{">>> debian:", "still serves the locked versions"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, tail(out, 40))
		}
	}
}

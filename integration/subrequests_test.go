package integration

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCallSubrequests: --call targets, outline and schema answer, and
// --check reports problems with their lines and a non-zero exit status.
func TestCallSubrequests(t *testing.T) {
	e := need(t)
	t.Parallel()
	dir := e.siteDir(t, 8080)
	for _, tc := range []struct {
		call string
		want []string
	}{
		{"targets", []string{"image", "lock", "site", "(default)"}},
		{"outline", []string{"DEBIAN_MIRROR", "SOURCE_DATE_EPOCH", "LAYERCAKE_MERGE"}},
		{"schema", []string{`"$schema"`, `"site"`, `"packages"`}},
	} {
		t.Run(tc.call, func(t *testing.T) {
			out := e.mustBuild(t, build{dir: dir, args: []string{"--call", tc.call}})
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("--call %s output lacks %q:\n%s", tc.call, w, tail(out, 30))
				}
			}
		})
	}
	t.Run("schema is JSON", func(t *testing.T) {
		out := e.mustBuild(t, build{dir: dir, args: []string{"--call", "schema,format=json", "--progress=quiet"}})
		var v map[string]any
		if err := json.Unmarshal([]byte(out[strings.Index(out, "{"):]), &v); err != nil {
			t.Errorf("--call schema,format=json is not JSON: %v\n%s", err, tail(out, 10))
		}
	})
	t.Run("check clean", func(t *testing.T) {
		out := e.mustBuild(t, build{dir: dir, args: []string{"--check"}})
		if !strings.Contains(out, "no warnings found") {
			t.Errorf("--check of a clean spec:\n%s", tail(out, 20))
		}
	})
	t.Run("check problems", func(t *testing.T) {
		bad := t.TempDir()
		write(t, bad, "Dockerfile", fmt.Sprintf("# syntax=%s\nversion: 1\nx-owner: web team\nserver:\n  port: 80\nsite:\n  dir: public\n", e.frontend))
		out, err := e.tryBuild(t, build{dir: bad, args: []string{"--check"}})
		if err == nil {
			t.Errorf("--check with problems exited 0:\n%s", tail(out, 30))
		}
		for _, w := range []string{"MissingLock", "PrivilegedPort", "ExtensionKey", ">>>   port: 80", ">>> x-owner: web team"} {
			if !strings.Contains(out, w) {
				t.Errorf("--check output lacks %q:\n%s", w, tail(out, 40))
			}
		}
	})
	t.Run("check invalid spec", func(t *testing.T) {
		bad := t.TempDir()
		write(t, bad, "Dockerfile", fmt.Sprintf("# syntax=%s\nversion: 1\nsite:\n  dir: /abs\n", e.frontend))
		out, err := e.tryBuild(t, build{dir: bad, args: []string{"--check"}})
		if err == nil || !strings.Contains(out, "site.dir") {
			t.Errorf("--check of an invalid spec: err %v\n%s", err, tail(out, 20))
		}
	})
}

// TestStaleLockWarns: a lock for another exclusion list is not used; the
// build resolves afresh and says so, pointing at the debian section.
func TestStaleLockWarns(t *testing.T) {
	e := need(t)
	t.Parallel()
	dir := e.siteDir(t, 8080)
	spec, _ := os.ReadFile(filepath.Join(dir, "Dockerfile"))
	write(t, dir, "Dockerfile", strings.Replace(string(spec), "  suite: trixie\n", "  suite: trixie\n  exclude: [libzstd1-does-not-matter]\n", 1))
	out := e.mustBuild(t, build{dir: dir})
	if !strings.Contains(out, "another debian.exclude list") || !strings.Contains(out, "not pinned") {
		t.Errorf("stale lock gave no warning:\n%s", tail(out, 30))
	}
}

// TestExtensionKeyWarns: an x- key builds, with a warning naming it.
func TestExtensionKeyWarns(t *testing.T) {
	e := need(t)
	t.Parallel()
	dir := e.siteDir(t, 8080)
	spec, _ := os.ReadFile(filepath.Join(dir, "Dockerfile"))
	write(t, dir, "Dockerfile", string(spec)+"x-owner: web team\n")
	out := e.mustBuild(t, build{dir: dir, args: []string{"--target", "site", "-o", t.TempDir()}})
	if !strings.Contains(out, "x-owner is not a layercake setting and is ignored") {
		t.Errorf("no warning about x-owner:\n%s", tail(out, 20))
	}
}

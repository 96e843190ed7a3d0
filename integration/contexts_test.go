package integration

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestContexts: a spec anywhere with -f (its lock beside it), the site from
// a named context, the frontend chosen by BUILDKIT_SYNTAX, and a # syntax=
// line pinned by digest.
func TestContexts(t *testing.T) {
	e := need(t)
	t.Parallel()
	site := e.siteDir(t, 8080)
	spec, err := os.ReadFile(filepath.Join(site, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	lock := e.lock(t)

	t.Run("spec elsewhere with -f", func(t *testing.T) {
		dir := t.TempDir()
		os.CopyFS(filepath.Join(dir, "public"), os.DirFS(filepath.Join(site, "public")))
		write(t, dir, "deploy/site.layercake", string(spec))
		write(t, dir, "deploy/layercake.lock", string(lock))
		out := e.mustBuild(t, build{dir: dir, args: []string{"-f", filepath.Join(dir, "deploy/site.layercake")}})
		if strings.Contains(out, "not pinned") {
			t.Errorf("the lock beside the -f spec was not used:\n%s", tail(out, 20))
		}
	})
	t.Run("site from a named context", func(t *testing.T) {
		dir := t.TempDir()
		write(t, dir, "Dockerfile", string(spec))
		write(t, dir, "layercake.lock", string(lock))
		out := filepath.Join(t.TempDir(), "out")
		e.mustBuild(t, build{dir: dir, args: []string{"--build-context", "site=" + site, "--target", "site", "-o", out}})
		if _, err := os.Stat(filepath.Join(out, "about.html")); err != nil {
			t.Errorf("site from --build-context site=: %v", err)
		}
	})
	t.Run("BUILDKIT_SYNTAX", func(t *testing.T) {
		dir := e.siteDir(t, 8080)
		write(t, dir, "Dockerfile", regexp.MustCompile(`(?m)^# syntax=.*\n`).ReplaceAllString(string(spec), ""))
		out := e.mustBuild(t, build{dir: dir, args: []string{"--build-arg", "BUILDKIT_SYNTAX=" + e.frontend, "--target", "site", "-o", t.TempDir()}})
		if !strings.Contains(out, "[layercake]") {
			t.Errorf("BUILDKIT_SYNTAX did not run layercake:\n%s", tail(out, 20))
		}
	})
	t.Run("syntax pinned by digest", func(t *testing.T) {
		_, dgst, err := e.registry.get("layercake/manifests/test")
		if err != nil || dgst == "" {
			t.Fatalf("frontend digest: %v", err)
		}
		dir := e.siteDir(t, 8080)
		write(t, dir, "Dockerfile", strings.Replace(string(spec), "# syntax="+e.frontend, fmt.Sprintf("# syntax=%s@%s", e.frontend, dgst), 1))
		out := e.mustBuild(t, build{dir: dir, args: []string{"--target", "site", "-o", t.TempDir()}})
		if !strings.Contains(out, dgst) {
			t.Errorf("the pinned frontend %s was not used:\n%s", dgst, tail(out, 20))
		}
	})
}

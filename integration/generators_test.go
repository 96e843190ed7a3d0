package integration

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// exampleDir copies examples/NAME into a temporary context that uses the
// test registry's frontend and the given port, and writes its lock.
func (e *environment) exampleDir(t *testing.T, name string, port int) string {
	t.Helper()
	dir := e.copyExample(t, name, port)
	e.mustBuild(t, build{dir: dir, args: []string{"--target", "lock", "-o", dir}})
	return dir
}

// copyExample copies examples/NAME into a temporary context whose spec uses
// the test registry's frontend and the given port, without a lock.
func (e *environment) copyExample(t *testing.T, name string, port int) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(filepath.Join(repoRoot(), "examples", name))); err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(dir, "layercake.lock"))
	spec, err := os.ReadFile(filepath.Join(dir, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	s := regexp.MustCompile(`(?m)^# syntax=.*$`).ReplaceAllString(string(spec), "# syntax="+e.frontend)
	s = regexp.MustCompile(`(?m)^(\s+port:) \d+`).ReplaceAllString(s, fmt.Sprintf("${1} %d", port))
	write(t, dir, "Dockerfile", s)
	return dir
}

// TestGeneratedExamples builds each generator example from Debian packages,
// serves it and fetches a few pages.
func TestGeneratedExamples(t *testing.T) {
	e := need(t)
	t.Parallel()
	for _, tc := range []struct {
		name  string
		pages map[string]string // path -> text the page must contain
	}{
		{"hugo", map[string]string{"/": "layercake", "/posts/": "<a", "/css/style.css": "{"}},
		{"mkdocs", map[string]string{"/": "layercake", "/guide/": "<h1", "/about/": "<h1"}},
		{"hakyll", map[string]string{"/": "layercake", "/archive.html": "posts/", "/css/default.css": "→"}},
		// dirhtml: every page is a folder; the theme's assets and the
		// search index come from Debian's furo and python3-sphinx.
		{"sphinx", map[string]string{"/": "layercake × Sphinx", "/guide/": "<h1>Guide", "/reference/configuration/": "Configuration",
			"/about/": "Grüße", "/search/": "searchindex.js", "/searchindex.js": "Search.setIndex", "/_static/styles/furo.css": "{", "/_static/extra.css": "letter-spacing"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := port(t)
			dir := e.exampleDir(t, tc.name, p)
			lock, _ := os.ReadFile(filepath.Join(dir, "layercake.lock"))
			if !strings.Contains(string(lock), `"toolchain"`) {
				t.Errorf("lock of %s pins no toolchain", tc.name)
			}
			im := e.push(t, build{dir: dir}, "example-"+tc.name, "test")
			e.runImage(t, im, p)
			for path, want := range tc.pages {
				status, _, body := get(t, fmt.Sprintf("http://127.0.0.1:%d%s", p, path))
				if status != "200 OK" || !strings.Contains(body, want) {
					t.Errorf("GET %s = %s, body %q; want 200 with %q", path, status, trim(body), want)
				}
			}
			checkNoToolchainInImage(t, e, im)
			if tc.name == "sphinx" {
				// Sphinx's pickled doctrees stay out of the web root.
				if status, _, _ := get(t, fmt.Sprintf("http://127.0.0.1:%d/.doctrees/environment.pickle", p)); status != "404 Not Found" {
					t.Errorf("GET /.doctrees/environment.pickle = %s, want 404 Not Found", status)
				}
			}
		})
	}
}

// checkNoToolchainInImage wants the image to hold only the runtime layers:
// no dpkg database, no compiler, no shell.
func checkNoToolchainInImage(t *testing.T, e *environment, im *image) {
	t.Helper()
	root := t.TempDir()
	if err := e.unpackImage(im, root); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"var/lib/dpkg/status", "usr/bin/dpkg", "usr/bin/hugo", "usr/bin/ghc", "usr/bin/mkdocs", "usr/bin/sh", "usr/bin/python3"} {
		if _, err := os.Lstat(filepath.Join(root, p)); err == nil {
			t.Errorf("image contains /%s from the toolchain", p)
		}
	}
}

// TestGeneratedSiteLayerStable builds the Hugo example on two fresh builders:
// the site layer (and the whole manifest) must be the same.
func TestGeneratedSiteLayerStable(t *testing.T) {
	e := need(t)
	t.Parallel()
	dirA := e.exampleDir(t, "hugo", 8080)
	dirB := t.TempDir()
	if err := os.CopyFS(dirB, os.DirFS(dirA)); err != nil {
		t.Fatal(err)
	}
	scramble(t, dirB, 3)
	a := e.push(t, build{dir: dirA, builder: e.freshBuilder(t, "hugo-a")}, "hugo-stable", "a")
	b := e.push(t, build{dir: dirB, builder: e.freshBuilder(t, "hugo-b")}, "hugo-stable", "b")
	last := len(a.manifest.Layers) - 1
	if a.manifest.Layers[last].Digest != b.manifest.Layers[last].Digest {
		t.Errorf("site layer differs between fresh builders: %s vs %s", a.manifest.Layers[last].Digest, b.manifest.Layers[last].Digest)
	}
	if a.digest != b.digest {
		t.Errorf("manifest digests differ: %s vs %s\n%s", a.digest, b.digest, layerTable(a, b))
	}
	out := filepath.Join(t.TempDir(), "site")
	e.mustBuild(t, build{dir: dirA, args: []string{"--target", "site", "-o", out}})
	for _, f := range []string{"index.html", "posts/index.html", "css/style.css"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("--target site of a generated site: %v", err)
		}
	}
}

// TestGeneratorFailure: a failing generator fails the build with its status
// and output; a missing output folder is named.
func TestGeneratorFailure(t *testing.T) {
	e := need(t)
	t.Parallel()
	for _, tc := range []struct {
		name, build string
		want        []string
	}{
		{"exit status", "    packages: [hugo]\n    run: echo generating; echo broken >&2; exit 7\n    output: /out\n",
			[]string{"broken", "failed with exit status 7"}},
		{"no output", "    packages: [hugo]\n    run: mkdir -p /tmp/elsewhere\n    output: _site\n",
			[]string{"did not write /src/_site", "site.build.output"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, dir, "Dockerfile", fmt.Sprintf("# syntax=%s\nversion: 1\nsite:\n  build:\n%s", e.frontend, tc.build))
			out, err := e.tryBuild(t, build{dir: dir})
			if err == nil {
				t.Fatalf("build succeeded:\n%s", tail(out, 20))
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, tail(out, 40))
				}
			}
		})
	}
}

package integration

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// specInFolder serves the whole context while the spec and its lock sit in
// specs/, as `docker build -f specs/site.yaml .` builds it.
const specInFolder = `# syntax=%s
version: 1
debian:
  suite: trixie
site:
  dir: .
`

// The spec and the lock are never served from a folder of the web root,
// and links to what the site keeps back (dotfiles, rule files, the spec)
// are left out, in the exported site as in the image (both come from the
// same split step).
func TestSpecAndLinksNeverServed(t *testing.T) {
	e := need(t)
	t.Parallel()
	dir := t.TempDir()
	write(t, dir, "specs/site.yaml", fmt.Sprintf(specInFolder, e.frontend))
	write(t, dir, "specs/layercake.lock", string(e.lock(t)))
	write(t, dir, "index.html", "<h1>home</h1>\n")
	write(t, dir, ".env", "SECRET=1\n")
	write(t, dir, "_headers", "/*\n  X-Frame-Options: DENY\n")
	for link, target := range map[string]string{"envlink": ".env", "hlink": "_headers", "spec.txt": "specs/site.yaml", "conf": "specs", "home.html": "index.html"} {
		if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
			t.Fatal(err)
		}
	}
	out := t.TempDir()
	e.mustBuild(t, build{dir: dir, args: []string{"-f", filepath.Join(dir, "specs", "site.yaml"), "--target", "site", "-o", out}})
	for _, never := range []string{"specs/site.yaml", "specs/layercake.lock", "envlink", "hlink", "spec.txt", "conf/site.yaml", "conf/layercake.lock", ".env", "_headers"} {
		if _, err := os.Lstat(filepath.Join(out, never)); err == nil {
			t.Errorf("the site serves %s", never)
		}
	}
	for _, served := range []string{"index.html", "home.html"} {
		if _, err := os.Stat(filepath.Join(out, served)); err != nil {
			t.Errorf("the site lacks %s: %v", served, err)
		}
	}
}

// A file name that is not UTF-8 is served like any other (nginx matches
// the bytes of the decoded path), and an error about such an entry names
// it, escaped: a message with invalid UTF-8 cannot cross BuildKit's gRPC,
// which would replace it with a marshaling error that names nothing.
func TestNonUTF8Names(t *testing.T) {
	e := need(t)
	t.Parallel()
	dir := e.siteDir(t, 8080)
	write(t, dir, "public/caf\xe9.html", "<h1>caf\xe9</h1>\n")
	out := t.TempDir()
	e.mustBuild(t, build{dir: dir, args: []string{"--target", "site", "-o", out}})
	if _, err := os.Stat(filepath.Join(out, "caf\xe9.html")); err != nil {
		t.Errorf("the site lacks caf\\xe9.html: %v", err)
	}

	if err := os.Symlink("/etc/passwd", filepath.Join(dir, "public", "pass\xff")); err != nil {
		t.Fatal(err)
	}
	got, err := e.tryBuild(t, build{dir: dir, args: []string{"--target", "site", "-o", t.TempDir()}})
	if err == nil {
		t.Fatalf("a link out of the site passed")
	}
	if msg := err.Error() + got; !strings.Contains(msg, `pass\xff`) || !strings.Contains(msg, "outside the site") {
		t.Errorf("the error does not name the entry pass\\xff:\n%v\n%s", err, tail(got, 30))
	}
}

// A snippet that is a link to an absolute path out of the build context
// fails with the spec field, the path and what to do, not a bare lstat.
func TestSnippetLinkOutsideNamed(t *testing.T) {
	e := need(t)
	t.Parallel()
	dir := e.siteDir(t, 8080)
	write(t, dir, "Dockerfile", strings.Replace(fmt.Sprintf(siteSpec, e.frontend, 8080), "site:\n", "  include:\n    server: [nginx/extra.conf]\nsite:\n", 1))
	outside := filepath.Join(t.TempDir(), "outside.conf")
	write(t, filepath.Dir(outside), "outside.conf", "# outside\n")
	if err := os.MkdirAll(filepath.Join(dir, "nginx"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "nginx", "extra.conf")); err != nil {
		t.Fatal(err)
	}
	got, err := e.tryBuild(t, build{dir: dir, args: []string{"--target", "site", "-o", t.TempDir()}})
	if err == nil {
		t.Fatalf("the build passed")
	}
	if !strings.Contains(got, `server.include.server[0]: "nginx/extra.conf" `) || !strings.Contains(got, "copy the file into") {
		t.Errorf("the error does not name the snippet's field and path, or what to do:\n%s", tail(got, 30))
	}
}

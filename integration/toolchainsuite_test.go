package integration

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/layercake-build/layercake/debian"
	"github.com/layercake-build/layercake/debian/deb"
	"github.com/layercake-build/layercake/testkit/resign"
)

// newHugoSite writes a small Hugo site whose theme needs Hugo 0.146, as
// PaperMod does: theme.toml's min_version, and templates.Current, a
// function Hugo added in 0.146.0.
func newHugoSite(t *testing.T, dir, frontend, suiteLine string) {
	t.Helper()
	write(t, dir, "Dockerfile", fmt.Sprintf("# syntax=%s\nversion: 1\nsite:\n  build:\n    packages: [hugo]\n%s    run: hugo --destination /out\n    output: /out\n", frontend, suiteLine))
	write(t, dir, "hugo.toml", "baseURL = \"http://example.org/\"\ntitle = \"needs 0.146\"\ntheme = \"needs146\"\ndisableKinds = [\"taxonomy\", \"term\", \"RSS\", \"sitemap\", \"robotsTXT\", \"404\"]\n")
	write(t, dir, "themes/needs146/theme.toml", "name = \"needs146\"\nmin_version = \"0.146.0\"\n")
	write(t, dir, "themes/needs146/layouts/index.html",
		"<!doctype html><title>{{ .Site.Title }}</title>\n<p>made with Hugo {{ hugo.Version }}</p>\n<p>{{ with templates.Current }}template {{ .Name }}{{ end }}</p>\n")
}

// TestToolchainFromForky builds a Hugo site whose theme needs Hugo 0.146
// (trixie has 0.131): with the toolchain from trixie it fails, and the
// error repeats Hugo's own version warning after the exit status; with
// site.build.suite: forky it builds, the lock takes only the toolchain from
// forky, and the image's nginx is trixie's, as its dpkg record says.
func TestToolchainFromForky(t *testing.T) {
	e := need(t)
	t.Parallel()

	t.Run("trixie's Hugo fails and says why", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		newHugoSite(t, dir, e.frontend, "")
		out, err := e.tryBuild(t, build{dir: dir, args: []string{"--target", "site", "-o", t.TempDir()}})
		if err == nil {
			t.Fatalf("trixie's Hugo built a theme that needs 0.146:\n%s", tail(out, 20))
		}
		_, after, ok := strings.Cut(out, "it printed these lines about versions")
		if !ok || !strings.Contains(after, "is not compatible with this Hugo version: Min 0.146.0") {
			t.Errorf("the failure does not repeat Hugo's version warning:\n%s", tail(out, 30))
		}
	})

	dir := t.TempDir()
	p := port(t)
	newHugoSite(t, dir, e.frontend, "    suite: forky\n")
	header := fmt.Sprintf("version: 1\nserver:\n  port: %d\n", p)
	var lockArgs []string
	if forkyExpired(t, e.mirror) {
		// The machine's mirror stopped updating forky (seen in December
		// 2026: its InRelease expired on 2026-11-06), and layercake, like
		// apt, refuses an expired index. Lock through a mirror that
		// re-signs the same Release with Valid-Until moved on and trust its
		// key; TestRealArchiveSignatures checks forky's real signature. The
		// build from the lock reads no index and uses the real mirror.
		t.Logf("the mirror's forky InRelease has expired; writing the lock through a re-signing mirror")
		url, key := startResigningMirror(t, e.mirror, true)
		write(t, dir, "keys/archive.asc", key)
		header += "debian:\n  keys: [keys/archive.asc]\n"
		lockArgs = []string{"--build-arg", "DEBIAN_MIRROR=" + url}
	}
	write(t, dir, "Dockerfile", strings.Replace(readFile(t, dir, "Dockerfile"), "version: 1\n", header, 1))
	e.mustBuild(t, build{dir: dir, args: append(lockArgs, "--target", "lock", "-o", dir)})
	lock, err := debian.ParseLock([]byte(readFile(t, dir, "layercake.lock")))
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range lock.Archives {
		if !strings.HasPrefix(a.Suite, "trixie") {
			t.Errorf("runtime archive %s, want trixie's", a.Suite)
		}
	}
	if got := lock.ToolchainSuites(); len(got) != 1 || got[0] != "forky" {
		t.Errorf("toolchain archives = %q, want [forky]", got)
	}
	arch, err := deb.Arch(runtime.GOARCH, "")
	if err != nil {
		t.Fatal(err)
	}
	al := lock.Architectures[arch]
	hugo, nginx := lockedPackage(al.Toolchain, "hugo"), lockedPackage(al.Runtime, "nginx")
	if hugo == nil || hugo.Archive != "forky" || nginx == nil || !strings.HasPrefix(nginx.Archive, "trixie") {
		t.Fatalf("locked hugo %+v, nginx %+v; want hugo from forky, nginx from trixie", hugo, nginx)
	}
	t.Logf("locked hugo %s from %s, nginx %s from %s", hugo.Version, hugo.Archive, nginx.Version, nginx.Archive)
	if debian.CompareVersions(hugo.Version, "0.146.0") < 0 {
		t.Errorf("forky's hugo is %s, want 0.146.0 or newer", hugo.Version)
	}

	im := e.push(t, build{dir: dir}, "toolchain-forky", "test")
	e.runImage(t, im, p)
	upstream, _, _ := strings.Cut(hugo.Version, "-")
	status, _, body := get(t, fmt.Sprintf("http://127.0.0.1:%d/", p))
	if status != "200 OK" || !strings.Contains(body, "made with Hugo "+upstream) || !strings.Contains(body, "template ") {
		t.Errorf("GET / = %s, body %q; want the page made by Hugo %s with templates.Current", status, trim(body), upstream)
	}
	root := t.TempDir()
	if err := e.unpackImage(im, root); err != nil {
		t.Fatal(err)
	}
	record := readFile(t, root, "var/lib/dpkg/status.d/nginx")
	if !strings.Contains(record, "\nVersion: "+nginx.Version+"\n") {
		t.Errorf("image's nginx record:\n%s\nwant Version: %s (trixie's, from the lock)", record, nginx.Version)
	}
	checkNoToolchainInImage(t, e, im)
	t.Logf("GET / = %s: %s", status, trim(body))
}

// lockedPackage finds name in pkgs.
func lockedPackage(pkgs []deb.Locked, name string) *deb.Locked {
	for i := range pkgs {
		if pkgs[i].Name == name {
			return &pkgs[i]
		}
	}
	return nil
}

// forkyExpired reports whether the mirror's forky InRelease is past its
// Valid-Until.
func forkyExpired(t *testing.T, mirror string) bool {
	t.Helper()
	expired, err := resign.Expired(mirror, "forky", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return expired
}

package integration

import (
	"fmt"
	"strings"
	"testing"

	"github.com/layercake-build/layercake/debian"
	"github.com/layercake-build/layercake/debian/deb"
)

// TestAstroExample builds examples/astro as a user does. Astro asks for a
// newer Node.js than trixie's 20.19, so Node.js comes from forky
// (site.build.suite) while nginx stays trixie's, in the lock and in the
// image; npm comes from the registry (site.build.npm, checked against its
// sha512) instead of Debian's npm, and Astro's caches are cache mounts. The
// lock has no npm and at most maxForkyNodeToolchain packages; the image serves
// the pages; editing a note runs the Astro step again but not npm ci.
func TestAstroExample(t *testing.T) {
	e := need(t)
	t.Parallel()
	p := port(t)
	dir := e.copyExample(t, "astro", p)
	var lockArgs []string
	if forkyExpired(t, e.mirror) {
		// As in TestToolchainFromForky: the machine's mirror stopped
		// updating forky; the lock is written through the re-signing
		// mirror, and the builds then read only the lock.
		url, key := startResigningMirror(t, e.mirror, true)
		write(t, dir, "keys/archive.asc", key)
		s := readFile(t, dir, "Dockerfile")
		write(t, dir, "Dockerfile", strings.Replace(s, "  suite: trixie\n", "  suite: trixie\n  keys: [keys/archive.asc]\n", 1))
		lockArgs = []string{"--build-arg", "DEBIAN_MIRROR=" + url}
	}
	e.mustBuild(t, build{dir: dir, args: append(lockArgs, "--target", "lock", "-o", dir)})
	checkNodeToolchainLock(t, dir, maxForkyNodeToolchain)
	lock, err := debian.ParseLock([]byte(readFile(t, dir, "layercake.lock")))
	if err != nil {
		t.Fatal(err)
	}
	var nginx *deb.Locked
	for arch, al := range lock.Architectures {
		node, ngx := lockedPackage(al.Toolchain, "nodejs"), lockedPackage(al.Runtime, "nginx")
		if node == nil || node.Archive != "forky" || ngx == nil || !strings.HasPrefix(ngx.Archive, "trixie") {
			t.Fatalf("%s: locked nodejs %+v, nginx %+v; want nodejs from forky, nginx from trixie", arch, node, ngx)
		}
		if debian.CompareVersions(node.Version, "22.12.0") < 0 {
			t.Errorf("%s: forky's nodejs is %s, want 22.12.0 or newer (Astro's engines.node)", arch, node.Version)
		}
		nginx = ngx
	}
	trustMachineCAs(t, dir)
	builder := e.freshBuilder(t, "astro-example")
	im := e.push(t, build{dir: dir, builder: builder}, "example-astro", "a")
	e.runImage(t, im, p)
	for path, want := range map[string]string{
		"/":                   "Astro on layercake",
		"/notes/first-note/":  "<h1",
		"/notes/second-note/": "Steps cached by their inputs",
		"/favicon.svg":        "<svg",
	} {
		status, _, body := get(t, fmt.Sprintf("http://127.0.0.1:%d%s", p, path))
		if status != "200 OK" || !strings.Contains(body, want) {
			t.Errorf("GET %s = %s, body %q; want 200 with %q", path, status, trim(body), want)
		}
	}
	root := t.TempDir()
	if err := e.unpackImage(im, root); err != nil {
		t.Fatal(err)
	}
	if record := readFile(t, root, "var/lib/dpkg/status.d/nginx"); !strings.Contains(record, "\nVersion: "+nginx.Version+"\n") {
		t.Errorf("image's nginx record:\n%s\nwant Version: %s (trixie's, from the lock)", record, nginx.Version)
	}
	checkNoToolchainInImage(t, e, im)
	appendTo(t, dir, "src/pages/notes/first-note.md", "\nAn edit.\n")
	out := e.mustBuild(t, build{dir: dir, builder: builder})
	if stepRan(t, out, "[layercake] step 1 of 2") {
		t.Error("editing a note ran npm ci again")
	}
	if !stepRan(t, out, "[layercake] step 2 of 2") {
		t.Error("editing a note did not run Astro again")
	}
}

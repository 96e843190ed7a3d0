package integration

import (
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/layercake-build/layercake/debian"
	"github.com/layercake-build/layercake/debian/deb"
)

// astroVersion is the Astro release the test installs: it asks for
// Node.js 22.23.4 or newer (engines.node), and trixie has 20.19.
const astroVersion = "7.4.8"

// TestAstroFromForky builds an Astro site that needs Node.js 22 with
// Node.js and npm from forky (site.build.suite) while nginx stays
// trixie's. The site has no lockfile of its own (none is committed
// here), so its install step runs npm install, with network.
func TestAstroFromForky(t *testing.T) {
	e := need(t)
	t.Parallel()
	dir := t.TempDir()
	p := port(t)
	header := fmt.Sprintf("version: 1\nserver:\n  port: %d\n", p)
	var lockArgs []string
	if forkyExpired(t, e.mirror) {
		// As in TestToolchainFromForky: the machine's mirror stopped
		// updating forky; the lock is written through the re-signing mirror.
		m := startResigningMirror(t, e.mirror)
		m.refresh = true
		write(t, dir, "keys/archive.asc", m.publicKey(t))
		header += "debian:\n  keys: [keys/archive.asc]\n"
		lockArgs = []string{"--build-arg", "DEBIAN_MIRROR=" + m.url}
	}
	write(t, dir, "Dockerfile", fmt.Sprintf(`# syntax=%s
%ssite:
  build:
    packages: [nodejs, npm, ca-certificates]
    suite: forky
    env: {ASTRO_TELEMETRY_DISABLED: "1"}
    steps:
      - inputs: [package.json]
        run: npm install --no-audit --no-fund
        network: true
      - run: npx --offline astro build --outDir /out
    output: /out
`, e.frontend, header))
	write(t, dir, "package.json", `{"name": "astro-node22", "type": "module", "private": true,
  "engines": {"node": ">=22.12.0"},
  "dependencies": {"astro": "`+astroVersion+`"}}
`)
	write(t, dir, "astro.config.mjs", "export default {};\n")
	write(t, dir, "src/pages/index.astro", "---\nconst node = process.version;\n---\n<html><body><h1>Astro on Node.js {node}</h1></body></html>\n")
	trustMachineCAsIn(t, dir, "inputs: [package.json]")
	e.mustBuild(t, build{dir: dir, args: append(lockArgs, "--target", "lock", "-o", dir)})
	lock, err := debian.ParseLock([]byte(readFile(t, dir, "layercake.lock")))
	if err != nil {
		t.Fatal(err)
	}
	arch, err := deb.Arch(runtime.GOARCH, "")
	if err != nil {
		t.Fatal(err)
	}
	node, nginx := lockedPackage(lock.Architectures[arch].Toolchain, "nodejs"), lockedPackage(lock.Architectures[arch].Runtime, "nginx")
	if node == nil || node.Archive != "forky" || nginx == nil || !strings.HasPrefix(nginx.Archive, "trixie") {
		t.Fatalf("locked nodejs %+v, nginx %+v; want nodejs from forky, nginx from trixie", node, nginx)
	}
	if debian.CompareVersions(node.Version, "22.12.0") < 0 {
		t.Errorf("forky's nodejs is %s, want 22.12.0 or newer", node.Version)
	}
	t.Logf("locked nodejs %s from %s, nginx %s from %s", node.Version, node.Archive, nginx.Version, nginx.Archive)
	im := e.push(t, build{dir: dir}, "astro-forky", "test")
	e.runImage(t, im, p)
	status, _, body := get(t, fmt.Sprintf("http://127.0.0.1:%d/", p))
	if status != "200 OK" || !strings.Contains(body, "Astro on Node.js v") {
		t.Errorf("GET / = %s, body %q; want Astro's page", status, trim(body))
	}
	root := t.TempDir()
	if err := e.unpackImage(im, root); err != nil {
		t.Fatal(err)
	}
	if record := readFile(t, root, "var/lib/dpkg/status.d/nginx"); !strings.Contains(record, "\nVersion: "+nginx.Version+"\n") {
		t.Errorf("image's nginx record:\n%s\nwant Version: %s (trixie's, from the lock)", record, nginx.Version)
	}
	checkNoToolchainInImage(t, e, im)
}

// trustMachineCAsIn is trustMachineCAs for a spec whose install step's
// inputs line is inputs.
func trustMachineCAsIn(t *testing.T, dir, inputs string) {
	t.Helper()
	certs, _ := filepath.Glob("/usr/local/share/ca-certificates/*.crt")
	if len(certs) == 0 {
		return
	}
	s := readFile(t, dir, "Dockerfile")
	write(t, dir, "Dockerfile", strings.Replace(s, inputs, "inputs: [package.json, package-lock.json]", 1))
	trustMachineCAs(t, dir)
	s = readFile(t, dir, "Dockerfile")
	write(t, dir, "Dockerfile", strings.Replace(s, "inputs: [package.json, package-lock.json, machine-ca.pem]", strings.TrimSuffix(inputs, "]")+", machine-ca.pem]", 1))
}

// TestAstroExample builds examples/astro as a user does: Node.js from
// forky with npm from the registry (site.build.npm, checked against its
// sha512) instead of Debian's npm, Astro's caches as cache mounts. The lock
// has forky's nodejs and no npm, within maxNodeToolchain packages; the
// image serves the pages; editing a note runs the Astro step again but not
// npm ci.
func TestAstroExample(t *testing.T) {
	e := need(t)
	t.Parallel()
	p := port(t)
	dir := e.copyExample(t, "astro", p)
	var lockArgs []string
	if forkyExpired(t, e.mirror) {
		// As in TestAstroFromForky: the lock is written through the
		// re-signing mirror; the builds then read only the lock.
		m := startResigningMirror(t, e.mirror)
		m.refresh = true
		write(t, dir, "keys/archive.asc", m.publicKey(t))
		s := readFile(t, dir, "Dockerfile")
		write(t, dir, "Dockerfile", strings.Replace(s, "  suite: trixie\n", "  suite: trixie\n  keys: [keys/archive.asc]\n", 1))
		lockArgs = []string{"--build-arg", "DEBIAN_MIRROR=" + m.url}
	}
	e.mustBuild(t, build{dir: dir, args: append(lockArgs, "--target", "lock", "-o", dir)})
	checkNodeToolchainLock(t, dir)
	lock, err := debian.ParseLock([]byte(readFile(t, dir, "layercake.lock")))
	if err != nil {
		t.Fatal(err)
	}
	for arch, al := range lock.Architectures {
		if node := lockedPackage(al.Toolchain, "nodejs"); node == nil || node.Archive != "forky" {
			t.Errorf("%s: locked nodejs %+v, want forky's", arch, node)
		}
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

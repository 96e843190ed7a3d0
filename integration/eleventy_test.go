package integration

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/layercake-build/layercake/debian"
)

// trustMachineCAs lets npm in the build trust this machine's extra CA
// certificates (/usr/local/share/ca-certificates, e.g. a TLS-inspecting
// egress proxy's), which Debian's ca-certificates in the toolchain does not
// know: the test's copy of the example gets them as a file in the context,
// as an input of the npm step, and in NODE_EXTRA_CA_CERTS. Without extra
// certificates on the machine the example is built as it is.
func trustMachineCAs(t *testing.T, dir string) {
	t.Helper()
	certs, _ := filepath.Glob("/usr/local/share/ca-certificates/*.crt")
	if len(certs) == 0 {
		return
	}
	var pem []byte
	for _, c := range certs {
		b, err := os.ReadFile(c)
		if err != nil {
			t.Fatal(err)
		}
		pem = append(append(pem, b...), '\n')
	}
	write(t, dir, "machine-ca.pem", string(pem))
	spec, err := os.ReadFile(filepath.Join(dir, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(spec), "inputs: [package.json, package-lock.json]", "inputs: [package.json, package-lock.json, machine-ca.pem]", 1)
	s = strings.Replace(s, "        network: true\n", "        network: true\n        env: {NODE_EXTRA_CA_CERTS: /src/machine-ca.pem}\n", 1)
	write(t, dir, "Dockerfile", s)
}

// maxNodeToolchain bounds a Node.js toolchain with npm from the registry
// (site.build.npm), the target: on trixie it is 57 packages with
// llbgen.ToolchainBase; with all of Debian's Essential set it was 81, with
// Debian's npm 445.
const maxNodeToolchain = 60

// maxForkyNodeToolchain bounds the same toolchain from forky, whose nodejs
// depends on 11 packages more than trixie's (libada-url, libsimdjson,
// libllhttp, node-semver, node-debug and others): 67 in December 2026.
const maxForkyNodeToolchain = 70

// checkNodeToolchainLock checks the lock in dir: Node.js from Debian, npm
// not, and the toolchain within limit packages.
func checkNodeToolchainLock(t *testing.T, dir string, limit int) {
	t.Helper()
	lock, err := debian.ParseLock([]byte(readFile(t, dir, "layercake.lock")))
	if err != nil {
		t.Fatal(err)
	}
	for arch, al := range lock.Architectures {
		if lockedPackage(al.Toolchain, "nodejs") == nil || lockedPackage(al.Toolchain, "npm") != nil {
			t.Errorf("%s toolchain: want nodejs from Debian and npm from the registry, got nodejs %v, npm %v",
				arch, lockedPackage(al.Toolchain, "nodejs"), lockedPackage(al.Toolchain, "npm"))
		}
		if n := len(al.Toolchain); n > limit {
			t.Errorf("%s toolchain has %d packages, want at most %d", arch, n, limit)
		} else {
			t.Logf("%s toolchain: %d packages", arch, n)
		}
	}
}

// TestEleventyExample builds examples/eleventy (npm ci in a step of its own,
// with network; Eleventy in the next, without) on two fresh builders from
// checkouts with different file times: the same image both times. It serves
// the site, then edits a post: only the Eleventy step runs again.
func TestEleventyExample(t *testing.T) {
	e := need(t)
	t.Parallel()
	p := port(t)
	dirA := e.exampleDir(t, "eleventy", p)
	checkNodeToolchainLock(t, dirA, maxNodeToolchain)
	trustMachineCAs(t, dirA)
	dirB := t.TempDir()
	if err := os.CopyFS(dirB, os.DirFS(dirA)); err != nil {
		t.Fatal(err)
	}
	scramble(t, dirB, 5)
	builderA := e.freshBuilder(t, "eleventy-a")
	a := e.push(t, build{dir: dirA, builder: builderA}, "example-eleventy", "a")
	b := e.push(t, build{dir: dirB, builder: e.freshBuilder(t, "eleventy-b")}, "example-eleventy", "b")
	if a.digest != b.digest {
		t.Errorf("manifest digests differ between fresh builders: %s vs %s\n%s", a.digest, b.digest, layerTable(a, b))
	}
	e.runImage(t, a, p)
	for path, want := range map[string]string{
		"/":                    `<a href="/posts/cached-steps/">Steps cached by their inputs</a>`,
		"/posts/first-post/":   "<h1>Hello from Eleventy</h1>",
		"/posts/cached-steps/": "日本語",
		"/css/style.css":       `content: "→ "`,
	} {
		status, _, body := get(t, fmt.Sprintf("http://127.0.0.1:%d%s", p, path))
		if status != "200 OK" || !strings.Contains(body, want) {
			t.Errorf("GET %s = %s, body %q; want 200 with %q", path, status, trim(body), want)
		}
	}
	checkNoToolchainInImage(t, e, a)
	root := t.TempDir()
	if err := e.unpackImage(a, root); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"srv/www/node_modules", "usr/bin/node"} {
		if _, err := os.Lstat(filepath.Join(root, p)); err == nil {
			t.Errorf("image contains /%s", p)
		}
	}

	appendTo(t, dirA, "posts/first-post.md", "\nAn edit.\n")
	out := e.mustBuild(t, build{dir: dirA, builder: builderA})
	if stepRan(t, out, "[layercake] step 1 of 2") {
		t.Error("editing a post ran npm ci again")
	}
	if !stepRan(t, out, "[layercake] step 2 of 2") {
		t.Error("editing a post did not run Eleventy again")
	}
}

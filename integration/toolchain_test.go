package integration

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// rootReport is a generator that describes the toolchain root it runs in:
// what dpkg thinks of it, and a digest of every file's path, mode, owner,
// size, link target and content (times and dpkg's log are left out: dpkg
// stamps them with the wall clock).
const rootReport = `    run: |
      set -e
      mkdir -p /out
      dpkg --audit >/out/audit.txt 2>&1
      dpkg-query -W -f '${db:Status-Abbrev}\n' | sort | uniq -c >/out/states.txt
      test -s /var/lib/dpkg/triggers/File && echo ok >/out/triggers.txt
      dpkg-divert --list >/out/diversions.txt
      find / \( -path /proc -o -path /sys -o -path /dev -o -path /src -o -path /out -o -path /tmp -o -path /.layercake -o -path /.layercake-runs -o -path /var/log -o -path /run \) -prune \
        -o -printf '%p %M %U %G %s %l\n' | LC_ALL=C sort >/out/files.txt
      find / \( -path /proc -o -path /sys -o -path /dev -o -path /src -o -path /out -o -path /tmp -o -path /.layercake -o -path /.layercake-runs -o -path /var/log -o -path /run \) -prune \
        -o -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum >/out/contents.txt
    output: /out
`

// TestToolchainRootIsInstalled builds a Hugo toolchain root with MergeOp and
// with the copy chain (the path Docker Engine's classic store takes): dpkg
// must see every package installed, with nothing for --audit to report,
// and both roots must hold the same files. The packages with a preinst
// script (base-files, libc6, …) must have had it run in place, with no
// package left to dpkg to unpack again, and their scripts' diversions
// must be recorded.
func TestToolchainRootIsInstalled(t *testing.T) {
	e := need(t)
	t.Parallel()
	dir := t.TempDir()
	write(t, dir, "Dockerfile", fmt.Sprintf("# syntax=%s\nversion: 1\nsite:\n  build:\n    packages: [hugo]\n%s", e.frontend, rootReport))
	// A builder of its own: the configure step's log is checked, and on the
	// shared builder another test's Hugo toolchain may have cached it.
	own := e.freshBuilder(t, "toolchain-root")
	e.mustBuild(t, build{dir: dir, builder: own, args: []string{"--target", "lock", "-o", dir}})
	roots := map[string]string{}
	for _, merge := range []string{"true", "false"} {
		out := filepath.Join(t.TempDir(), "site")
		log := e.mustBuild(t, build{dir: dir, builder: own, args: []string{"--build-arg", "LAYERCAKE_MERGE=" + merge, "--target", "site", "-o", out}})
		read := func(name string) string { return readOut(t, out, name) }
		if m := preinstReport.FindStringSubmatch(log); m == nil || m[1] == "0" || strings.Contains(log, "dpkg unpacks") {
			t.Errorf("merge=%s: want the preinst scripts run in place and nothing unpacked again; the build printed:\n%s", merge, grepLines(log, "preinst", "dpkg unpacks", "registered"))
		}
		if d := read("diversions.txt"); !strings.Contains(d, "diversion of /lib32 to /.lib32.usr-is-merged by base-files") {
			t.Errorf("merge=%s: base-files' preinst diversions missing:\n%s", merge, d)
		}
		if got := read("audit.txt"); got != "" {
			t.Errorf("merge=%s: dpkg --audit reports:\n%s", merge, got)
		}
		states := strings.Fields(read("states.txt"))
		if len(states) != 2 || states[1] != "ii" {
			t.Errorf("merge=%s: package states %q, want every package ii", merge, read("states.txt"))
		}
		if read("triggers.txt") != "ok\n" {
			t.Errorf("merge=%s: no file trigger interests registered", merge)
		}
		roots[merge] = read("files.txt") + read("contents.txt")
		if merge == "false" && roots["true"] != roots["false"] {
			t.Errorf("toolchain roots differ between MergeOp and the copy chain:\n%s", lineDiff(roots["true"], roots["false"]))
		}
	}
}

// preinstReport matches what the toolchain's configure step prints about
// the packages whose preinst script it ran.
var preinstReport = regexp.MustCompile(`registered \d+ unpacked packages with dpkg, (\d+) of them after running their preinst script`)

// grepLines returns the lines of s that contain any of the words.
func grepLines(s string, words ...string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		for _, w := range words {
			if strings.Contains(l, w) {
				out = append(out, l)
				break
			}
		}
	}
	return strings.Join(out, "\n")
}

// readOut reads a file the site target exported to out.
func readOut(t *testing.T, out, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(out, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// lineDiff lists the lines only a has (-) and only b has (+).
func lineDiff(a, b string) string {
	inA, inB := map[string]bool{}, map[string]bool{}
	for _, l := range strings.Split(a, "\n") {
		inA[l] = true
	}
	var out []string
	for _, l := range strings.Split(b, "\n") {
		inB[l] = true
		if !inA[l] {
			out = append(out, "+ "+l)
		}
	}
	for _, l := range strings.Split(a, "\n") {
		if !inB[l] {
			out = append(out, "- "+l)
		}
	}
	return strings.Join(out, "\n")
}

// TestToolchainPackageTypo: a package name with no match points at its
// item of site.build.packages and suggests the index's nearest names.
func TestToolchainPackageTypo(t *testing.T) {
	e := need(t)
	t.Parallel()
	dir := t.TempDir()
	write(t, dir, "Dockerfile", fmt.Sprintf("# syntax=%s\nversion: 1\nsite:\n  build:\n    packages: [git, hugi]\n    run: hugo\n    output: /out\n", e.frontend))
	out, err := e.tryBuild(t, build{dir: dir, args: []string{"--target", "lock", "-o", dir}})
	if err == nil {
		t.Fatalf("lock succeeded:\n%s", tail(out, 20))
	}
	for _, want := range []string{"no package satisfies hugi", "Dockerfile:5", ">>>     packages: [git, hugi]"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, tail(out, 30))
		}
	}
	if !regexp.MustCompile(`did you mean [^?]*\bhugo\b[^?]*\?`).MatchString(out) {
		t.Errorf("output does not suggest hugo:\n%s", tail(out, 30))
	}
}

// TestToolchainChangeKeepsOtherPackages: adding a package to
// site.build.packages unpacks it (with its group of small packages) and
// configures again, but takes every other package's step from the cache.
func TestToolchainChangeKeepsOtherPackages(t *testing.T) {
	e := need(t)
	t.Parallel()
	dir := t.TempDir()
	// A builder of its own, so no concurrent test's steps show in its output.
	own := e.freshBuilder(t, "toolchain-change")
	spec := func(pkgs string) {
		write(t, dir, "Dockerfile", fmt.Sprintf("# syntax=%s\nversion: 1\nsite:\n  build:\n    packages: [%s]\n    run: mkdir -p /out && hugo version >/out/index.html\n    output: /out\n", e.frontend, pkgs))
		e.mustBuild(t, build{dir: dir, builder: own, args: []string{"--target", "lock", "-o", dir}})
	}
	spec("hugo")
	e.mustBuild(t, build{dir: dir, builder: own, args: []string{"--target", "site", "-o", t.TempDir()}})
	spec("hugo, tree")
	out := e.mustBuild(t, build{dir: dir, builder: own, args: []string{"--target", "site", "-o", t.TempDir()}})
	if stepRan(t, out, "[layercake] toolchain: unpack hugo ") {
		t.Error("adding tree unpacked hugo again")
	}
	if !stepRan(t, out, "[layercake] toolchain: dpkg --configure -a") {
		t.Error("adding tree did not configure the toolchain again")
	}
	if !regexp.MustCompile(`(?m)^#\d+ \[layercake\] toolchain: unpack .*\btree\b`).MatchString(out) {
		t.Errorf("tree was not unpacked:\n%s", tail(out, 40))
	}
}

// TestToolchainPythonCompiled: Python modules are byte-compiled once after
// dpkg configures the root (not package by package); every public module
// has its .pyc, py3compile is Debian's own again, and dpkg finds nothing
// to report or changed.
func TestToolchainPythonCompiled(t *testing.T) {
	e := need(t)
	t.Parallel()
	dir := t.TempDir()
	write(t, dir, "Dockerfile", fmt.Sprintf(`# syntax=%s
version: 1
site:
  build:
    packages: [python3-yaml]
    run: |
      set -e
      mkdir -p /out
      dpkg --audit >/out/audit.txt 2>&1
      dpkg --verify 2>&1 | grep -v '^missing ' >/out/verify.txt || true
      cd /usr/lib/python3/dist-packages
      find . -name '*.py' | while read -r f; do
        ls "$(dirname "$f")/__pycache__/$(basename "$f" .py)".cpython-*.pyc >/dev/null 2>&1 || echo "$f"
      done >/out/uncompiled.txt
      find . -name '*.pyc' | wc -l >/out/compiled.txt
      dpkg -L libpython3.13-minimal libpython3.13-stdlib | grep '^/usr/lib/python3.13/.*\.py$' | grep -v sitecustomize | while read -r f; do
        ls "$(dirname "$f")/__pycache__/$(basename "$f" .py)".cpython-313.pyc >/dev/null 2>&1 || echo "$f"
      done >/out/stdlib-uncompiled.txt
      find /usr/lib/python3.13 -name '*.pyc' | wc -l >/out/stdlib-compiled.txt
      ls /usr/bin | grep layercake >/out/stand-ins.txt || true
      python3 -c 'import yaml; print(yaml.safe_dump({"ok": 1}))' >/out/index.html
    output: /out
`, e.frontend))
	e.mustBuild(t, build{dir: dir, args: []string{"--target", "lock", "-o", dir}})
	out := filepath.Join(t.TempDir(), "site")
	e.mustBuild(t, build{dir: dir, args: []string{"--target", "site", "-o", out}})
	read := func(name string) string { return readOut(t, out, name) }
	for _, name := range []string{"audit.txt", "verify.txt", "uncompiled.txt", "stdlib-uncompiled.txt", "stand-ins.txt"} {
		if got := read(name); got != "" {
			t.Errorf("%s: %q", name, got)
		}
	}
	if n, _ := strconv.Atoi(strings.TrimSpace(read("compiled.txt"))); n < 10 {
		t.Errorf("%s .pyc files in dist-packages, want yaml's compiled", read("compiled.txt"))
	}
	if n, _ := strconv.Atoi(strings.TrimSpace(read("stdlib-compiled.txt"))); n < 500 {
		t.Errorf("%s .pyc files in the standard library, want every module compiled", read("stdlib-compiled.txt"))
	}
	if got := read("index.html"); strings.TrimSpace(got) != "ok: 1" {
		t.Errorf("python3 -c 'import yaml' printed %q", got)
	}
}

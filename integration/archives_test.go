package integration

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/layercake-build/layercake/debian"
	"github.com/ulikunitz/xz"
)

// securityMirror is the security archive beside e.mirror, as the frontend
// derives it.
func (e *environment) securityMirror() string {
	return e.mirror[:strings.LastIndex(e.mirror, "/")] + "/debian-security"
}

// archiveVersions reads suite's amd64 Packages.xz with a plain HTTP client
// and a line scan (not the resolver): every version of every package.
func archiveVersions(t *testing.T, base, suite, arch string) map[string][]string {
	t.Helper()
	url := base + "/dists/" + suite + "/main/binary-" + arch + "/Packages.xz"
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", url, resp.Status)
	}
	r, err := xz.NewReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	name := ""
	for sc.Scan() {
		line := sc.Text()
		if v, ok := strings.CutPrefix(line, "Package: "); ok {
			name = v
		}
		if v, ok := strings.CutPrefix(line, "Version: "); ok {
			out[name] = append(out[name], v)
		}
	}
	if err := sc.Err(); err != nil && err != io.EOF {
		t.Fatal(err)
	}
	return out
}

// dpkgNewer reports whether dpkg says a > b.
func dpkgNewer(t *testing.T, a, b string) bool {
	t.Helper()
	err := exec.Command("dpkg", "--compare-versions", a, "gt", b).Run()
	if _, ok := err.(*exec.ExitError); err != nil && !ok {
		t.Fatalf("dpkg --compare-versions: %v", err)
	}
	return err == nil
}

// A fresh lock takes every package at the highest version across trixie,
// trixie-updates and trixie-security, as dpkg orders them, and says which
// archive it comes from; nginx comes from the security archive when it has
// a newer one.
func TestLockTakesHighestAcrossArchives(t *testing.T) {
	e := need(t)
	t.Parallel()
	lock, err := debian.ParseLock(e.lock(t))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(lock.Suites(), " "); got != "trixie trixie-updates trixie-security" {
		t.Fatalf("lock archives = %s, want trixie trixie-updates trixie-security", got)
	}
	arch := "amd64"
	al := lock.Architectures[arch]
	if al == nil {
		t.Skipf("the run's lock has no %s packages", arch)
	}
	indexes := map[string]map[string][]string{
		"trixie":          archiveVersions(t, e.mirror, "trixie", arch),
		"trixie-updates":  archiveVersions(t, e.mirror, "trixie-updates", arch),
		"trixie-security": archiveVersions(t, e.securityMirror(), "trixie-security", arch),
	}
	for _, p := range al.Runtime {
		if !contains(indexes[p.Archive][p.Name], p.Version) {
			t.Errorf("%s %s: not in %s, where the lock says it comes from", p.Name, p.Version, p.Archive)
		}
		for suite, idx := range indexes {
			for _, v := range idx[p.Name] {
				if dpkgNewer(t, v, p.Version) {
					t.Errorf("%s: locked %s (%s), but %s has %s, newer for dpkg", p.Name, p.Version, p.Archive, suite, v)
				}
			}
		}
		if p.Name == "nginx" {
			t.Logf("nginx %s from %s", p.Version, p.Archive)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// asVersionOne rewrites a lock of one archive as the previous release wrote it.
func asVersionOne(t *testing.T, data []byte) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	m["version"] = 1
	delete(m, "archives")
	for _, al := range m["architectures"].(map[string]any) {
		for _, set := range []string{"runtime", "toolchain"} {
			list, _ := al.(map[string]any)[set].([]any)
			for _, p := range list {
				delete(p.(map[string]any), "archive")
			}
		}
	}
	out, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(out, '\n')
}

// oneSuiteSpec opts out of the updates and security archives.
const oneSuiteSpec = `# syntax=%s
version: 1
debian:
  suite: trixie
  suites: [trixie]
site:
  dir: public
`

// A lock written by the previous release (format 1, trixie alone) still
// builds, reading no index, with a warning that it lacks the updates; and
// --call outdated on it names nginx with both versions, marks the security
// update and exits non-zero (and with format=json, the same for scripts).
func TestVersionOneLockAndCallOutdated(t *testing.T) {
	e := need(t)
	t.Parallel()
	dir := e.siteDir(t, 8080)
	write(t, dir, "Dockerfile", fmt.Sprintf(oneSuiteSpec, e.frontend))
	out := filepath.Join(t.TempDir(), "lock")
	e.mustBuild(t, build{dir: dir, args: []string{"--target", "lock", "-o", out}})
	oneSuite, err := os.ReadFile(filepath.Join(out, "layercake.lock"))
	if err != nil {
		t.Fatal(err)
	}
	write(t, dir, "Dockerfile", fmt.Sprintf(siteSpec, e.frontend, 8080))
	write(t, dir, "layercake.lock", string(asVersionOne(t, oneSuite)))

	log := e.mustBuild(t, build{dir: dir, args: []string{"--target", "site", "-o", filepath.Join(t.TempDir(), "site")}})
	if strings.Contains(log, "fetch dists/") {
		t.Errorf("a build from a version 1 lock read the archive index:\n%s", tail(log, 30))
	}
	if !strings.Contains(log, "written by an older layercake") {
		t.Errorf("no warning that the version 1 lock lacks the updates:\n%s", tail(log, 30))
	}

	locked := lockedVersion(t, oneSuite, "nginx")
	security := archiveVersions(t, e.securityMirror(), "trixie-security", "amd64")["nginx"]
	if len(security) == 0 || !dpkgNewer(t, security[0], locked) {
		t.Skipf("trixie-security has no nginx newer than trixie's %s today", locked)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	table, err := e.buildx(ctx, "build", "--builder", e.builder.name, "--build-arg", "DEBIAN_MIRROR="+e.mirror, "--call", "outdated", dir)
	if err == nil {
		t.Errorf("--call outdated with a pending security update exited 0:\n%s", table)
	}
	line := ""
	for _, l := range strings.Split(table, "\n") {
		if strings.HasPrefix(l, "nginx ") {
			line = l
		}
	}
	for _, want := range []string{locked, security[0], "trixie-security", "yes"} {
		if !strings.Contains(line, want) {
			t.Errorf("--call outdated nginx line = %q, want %q in it; output:\n%s", line, want, table)
		}
	}
	js, _ := e.buildx(ctx, "build", "--builder", e.builder.name, "--build-arg", "DEBIAN_MIRROR="+e.mirror, "--call", "outdated,format=json", dir)
	if !strings.Contains(js, `"securityUpdates"`) || !strings.Contains(js, `"available": "`+security[0]+`"`) {
		t.Errorf("--call outdated,format=json =\n%s\nwant nginx's %s and securityUpdates", js, security[0])
	}

	// The same on Docker Engine, with plain docker build: the image builds
	// from the old lock, and --call outdated fails naming nginx.
	d := e.engine(t, storeClassic)
	mirror := "DEBIAN_MIRROR=" + e.mirror
	d.mustDocker(t, dir, "build", "--progress=plain", "--build-arg", mirror, "-t", "v1lock:test", ".")
	engineTable, err := d.docker(ctx, dir, "build", "--build-arg", mirror, "--call", "outdated", ".")
	if err == nil || !strings.Contains(engineTable, security[0]) || !strings.Contains(engineTable, "trixie-security") {
		t.Errorf("docker build --call outdated on Docker Engine: %v\n%s\nwant a failure naming nginx %s from trixie-security", err, engineTable, security[0])
	}
}

// lockedVersion is name's amd64 runtime version in a lock.
func lockedVersion(t *testing.T, data []byte, name string) string {
	t.Helper()
	l, err := debian.ParseLock(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range l.Architectures["amd64"].Runtime {
		if p.Name == name {
			return p.Version
		}
	}
	t.Fatalf("no %s in the lock", name)
	return ""
}

// A lock pointing at a version the archive no longer has fails at that
// download, naming the package, the version and the lock's date of its
// archive, and how to fix it: write the lock again, or use a snapshot.
func TestLockOutgrownByArchive(t *testing.T) {
	e := need(t)
	t.Parallel()
	const gone = "1.26.3-3+deb13u1"
	dir := e.siteDirWithLock(t, func(lock *debian.Lock) {
		al := lock.Architectures["amd64"]
		if al == nil {
			t.Skip("the run's lock has no amd64 packages")
		}
		for i, p := range al.Runtime {
			if p.Name == "nginx" {
				al.Runtime[i].Version = gone
				al.Runtime[i].Path = strings.ReplaceAll(p.Path, p.Version, gone)
				al.Runtime[i].SHA256 = strings.Repeat("0", 63) + "1" // another version has other bytes
			}
		}
	})
	log, err := e.tryBuild(t, build{dir: dir})
	if err == nil {
		t.Fatal("a build of a lock naming a version the archive lacks succeeded")
	}
	for _, want := range []string{"nginx " + gone + " (amd64) is gone from the archive", "--target lock -o . .", "<snapshot archive>/archive/debian/"} {
		if !strings.Contains(log+err.Error(), want) {
			t.Errorf("build output lacks %q:\n%s\n%v", want, tail(log, 40), err)
		}
	}
}

// TestOldLockWarns: a lock whose security archive is two months old builds
// as it is, with a warning that names its date and --call outdated, and
// --check fails with OldLock, with buildx and with Docker Engine's docker
// build alike.
func TestOldLockWarns(t *testing.T) {
	e := need(t)
	t.Parallel()
	old := time.Now().UTC().Add(-60 * 24 * time.Hour).Truncate(time.Second)
	dir := e.siteDirWithLock(t, func(lock *debian.Lock) {
		for i, a := range lock.Archives {
			if a.Suite == "trixie-security" {
				lock.Archives[i].Date = old
			}
		}
	})
	want := "resolved from trixie-security as of " + old.Format(time.DateOnly) + ", 60 days ago"
	log := e.mustBuild(t, build{dir: dir, args: []string{"--target", "site", "-o", filepath.Join(t.TempDir(), "site")}})
	if !strings.Contains(log, want) || !strings.Contains(log, "--call outdated") {
		t.Errorf("the build does not warn %q naming --call outdated:\n%s", want, tail(log, 30))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	out, err := e.buildx(ctx, "build", "--builder", e.builder.name, "--build-arg", "DEBIAN_MIRROR="+e.mirror, "--check", dir)
	if err == nil || !strings.Contains(out, "OldLock") || !strings.Contains(out, want) {
		t.Errorf("buildx build --check = %v, want a failure with OldLock:\n%s", err, out)
	}
	d := e.engine(t, storeClassic)
	out, err = d.docker(ctx, dir, "build", "--build-arg", "DEBIAN_MIRROR="+e.mirror, "--check", ".")
	if err == nil || !strings.Contains(out, "OldLock") {
		t.Errorf("docker build --check on Docker Engine = %v, want a failure with OldLock:\n%s", err, out)
	}
}

// siteDirWithLock is siteDir with the run's lock changed by edit.
func (e *environment) siteDirWithLock(t *testing.T, edit func(*debian.Lock)) string {
	t.Helper()
	dir := e.siteDir(t, 8080)
	lock, err := debian.ParseLock(e.lock(t))
	if err != nil {
		t.Fatal(err)
	}
	edit(lock)
	data, err := lock.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	write(t, dir, "layercake.lock", string(data))
	return dir
}

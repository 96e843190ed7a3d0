package frontend

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/layercake-build/layercake/debian"
)

// securityNginx is nginx in the security archive, newer than testPackage's.
func securityNginx(arch string) debian.Package {
	p := testPackage("nginx", arch)
	p.Version = "1.0-1+deb13u1"
	p.Filename = "pool/updates/main/n/nginx/nginx_1.0-1+deb13u1_" + arch + ".deb"
	p.SHA256 = strings.Repeat("cd", 32)
	return p
}

// withSecurityUpdate serves securityNginx in a's trixie-security.
func withSecurityUpdate(t *testing.T, a *archive, arch string) {
	t.Helper()
	withSecurityUpdateDepending(t, a, arch, "libc6")
}

// withSecurityUpdateDepending is withSecurityUpdate with depends as the
// update's Depends field.
func withSecurityUpdateDepending(t *testing.T, a *archive, arch, depends string) {
	t.Helper()
	p := securityNginx(arch)
	index := "Package: nginx\nVersion: " + p.Version + "\nArchitecture: " + arch + "\nFilename: " + p.Filename +
		"\nSize: 100\nSHA256: " + p.SHA256 + "\nDepends: " + depends + "\n"
	a.addSuite(t, testSecurity, "trixie-security", "", map[string]string{arch: index})
}

// A fresh lock takes nginx from the security archive, the highest version,
// and records the three archives with their dates.
func TestLockTakesSecurityUpdate(t *testing.T) {
	a := newArchive(t, "amd64")
	withSecurityUpdate(t, a, "amd64")
	g := unlockedFake(t, a, map[string]string{"target": "lock"})
	lock := writtenLock(t, g)
	if got := strings.Join(lock.Suites(), " "); got != "trixie trixie-updates trixie-security" {
		t.Errorf("lock archives = %s, want trixie trixie-updates trixie-security", got)
	}
	for _, p := range lock.Architectures["amd64"].Runtime {
		want := "trixie"
		if p.Name == "nginx" {
			want = "trixie-security"
			if p.Version != "1.0-1+deb13u1" {
				t.Errorf("locked nginx %s, want the security archive's 1.0-1+deb13u1", p.Version)
			}
		}
		if p.Archive != want {
			t.Errorf("locked %s from %q, want %q", p.Name, p.Archive, want)
		}
	}
	if !g.solvedNamed("fetch dists/trixie-security/InRelease") {
		t.Errorf("no security InRelease download; solved %q", g.solved)
	}
}

// debian.suites: [trixie] reads only the suite.
func TestSuitesOptOut(t *testing.T) {
	a := newArchive(t, "amd64")
	withSecurityUpdate(t, a, "amd64")
	g := unlockedFake(t, a, map[string]string{"target": "lock"})
	g.locals["dockerfile"]["Dockerfile"] = file(strings.Replace(string(g.locals["dockerfile"]["Dockerfile"].data), "  suite: trixie\n", "  suite: trixie\n  suites: [trixie]\n", 1))
	res, err := run(t, g)
	if err != nil {
		t.Fatalf("Build() error = %v", err)
	}
	data, _ := readAll(t.Context(), res.Ref.(files), LockFile)
	if !strings.Contains(string(data), `"version": "1.0-1",`) || strings.Contains(string(data), "trixie-security") {
		t.Errorf("a lock of debian.suites [trixie] = %s, want nginx 1.0-1 and no security archive", data)
	}
	if g.solvedNamed("fetch dists/trixie-security/") || g.solvedNamed("fetch dists/trixie-updates/") {
		t.Errorf("debian.suites [trixie] read another archive; solved %q", g.solved)
	}
}

// A locked package of the security archive is downloaded from it: the
// mirror's sibling debian-security, or DEBIAN_SECURITY_MIRROR.
func TestBuildFetchesFromSecurityArchive(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts map[string]string
		want string
	}{
		{"sibling of the mirror", nil, testSecurity},
		{"build arg", map[string]string{"build-arg:" + ArgSecurityMirror: "http://security.test/debian-security/"}, "http://security.test/debian-security"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := staticFake(t, tc.opts)
			lock := testLock(t, "amd64")
			lock.Set("amd64", []debian.Package{securityNginx("amd64"), testPackage("libc6", "amd64"), testPackage("libnginx-mod-http-brotli-static", "amd64")})
			lock.Architectures["amd64"].Runtime[2].Archive = "trixie-security"
			g.locals["dockerfile"]["layercake.lock"] = file(lockBytes(t, lock))
			if _, err := run(t, g); err != nil {
				t.Fatalf("Build() error = %v", err)
			}
			if !g.fetched(tc.want + "/pool/updates/main/n/nginx/nginx_1.0-1+deb13u1_amd64.deb") {
				t.Errorf("nginx not fetched from %s", tc.want)
			}
			if !g.fetched(testMirror + "/pool/main/l/libc6/libc6_1.0-1_amd64.deb") {
				t.Error("libc6 not fetched from the mirror")
			}
		})
	}
}

// versionOne rewrites a lock in format 1, as the previous release wrote it.
func versionOne(t *testing.T, l *debian.Lock) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(lockBytes(t, l)), &m); err != nil {
		t.Fatal(err)
	}
	m["version"] = 1
	delete(m, "archives")
	for _, al := range m["architectures"].(map[string]any) {
		for _, p := range al.(map[string]any)["runtime"].([]any) {
			delete(p.(map[string]any), "archive")
		}
	}
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// A lock written by the previous release (format 1, one suite) builds the
// same graph as before, reading no index, and a warning says it has no
// security updates.
func TestVersionOneLockBuilds(t *testing.T) {
	g := staticFake(t, nil)
	g.locals["dockerfile"]["layercake.lock"] = file(versionOne(t, testLock(t, "amd64")))
	if _, err := run(t, g); err != nil {
		t.Fatalf("Build() of a version 1 lock error = %v", err)
	}
	if g.solvedNamed("fetch dists/") {
		t.Error("a build from a version 1 lock read the archive index")
	}
	if w := g.warned("not pinned"); len(w) != 0 {
		t.Errorf("a version 1 lock warned %q", w[0].msg)
	}
	if w := g.warned("written by an older layercake"); len(w) != 1 || !strings.Contains(w[0].msg, "trixie-security") {
		t.Errorf("warnings = %+v, want one saying the lock lacks trixie-security", g.warnings)
	}
	if !g.fetched(testMirror + "/pool/main/n/nginx/nginx_1.0-1_amd64.deb") {
		t.Error("nginx not fetched from the mirror")
	}
	if !g.hasVertex("[layercake] unpack nginx 1.0-1 (debian trixie amd64)") {
		t.Error("no unpack step named as before")
	}
}

// A lock of other archives than debian.suites is stale: resolved afresh.
func TestLockOfOtherSuitesIsStale(t *testing.T) {
	a := newArchive(t, "amd64")
	g := unlockedFake(t, a, nil)
	lock := testLock(t, "amd64")
	lock.Archives = lock.Archives[:1]
	g.locals["dockerfile"]["layercake.lock"] = file(lockBytes(t, lock))
	if _, err := run(t, g); err != nil {
		t.Fatalf("Build() error = %v", err)
	}
	if w := g.warned("debian.suites is"); len(w) != 1 {
		t.Errorf("warnings = %+v, want one naming debian.suites", g.warnings)
	}
}

// fetched reports whether a solved graph downloads url.
func (g *fakeGateway) fetched(url string) bool {
	g.mu.Lock()
	defs := g.defs
	g.mu.Unlock()
	for _, def := range defs {
		_, ops, _, err := decode(def)
		if err != nil {
			continue
		}
		for _, op := range ops {
			if s := op.GetSource(); s != nil && s.Identifier == url {
				return true
			}
		}
	}
	return false
}

// hasVertex reports whether a solved graph has a vertex named name.
func (g *fakeGateway) hasVertex(name string) bool {
	g.mu.Lock()
	defs := g.defs
	g.mu.Unlock()
	for _, def := range defs {
		_, _, names, err := decode(def)
		if err != nil {
			continue
		}
		for _, n := range names {
			if n == name {
				return true
			}
		}
	}
	return false
}

// A locked .deb the archive no longer has (404) fails with the package,
// its version, the lock's date of its archive, and both ways out: write
// the lock again, or build from snapshots of the lock's dates.
func TestLockedPackageGone(t *testing.T) {
	g := staticFake(t, nil)
	lock := testLock(t, "amd64")
	lock.Set("amd64", []debian.Package{securityNginx("amd64"), testPackage("libc6", "amd64"), testPackage("libnginx-mod-http-brotli-static", "amd64")})
	lock.Architectures["amd64"].Runtime[2].Archive = "trixie-security"
	lock.Archives[1].Date = lockDate.Add(24 * time.Hour)               // trixie-updates
	lock.Archives[2].Date = lockDate.Add(3*24*time.Hour + time.Second) // trixie-security
	g.locals["dockerfile"]["layercake.lock"] = file(lockBytes(t, lock))
	url := testSecurity + "/pool/updates/main/n/nginx/nginx_1.0-1+deb13u1_amd64.deb"
	g.failDownloads = map[string]error{url: errors.New("invalid response status 404")}
	_, err := run(t, g)
	if err == nil {
		t.Fatal("Build() of a lock the archive has outgrown = nil error")
	}
	for _, want := range []string{
		"nginx 1.0-1+deb13u1 (amd64) is gone",
		"from trixie-security as of 2025-08-12T11:12:21Z",
		"--target lock -o . .",
		"DEBIAN_MIRROR=<snapshot archive>/archive/debian/20250810T111220Z",
		"DEBIAN_SECURITY_MIRROR=<snapshot archive>/archive/debian-security/20250812T111221Z",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Build() error = %v\nwant it to contain %q", err, want)
		}
	}
	if w := g.warned("is gone from the archive"); len(w) != 1 || w[0].lines[0] != 4 {
		t.Errorf("warnings = %+v, want one at debian.mirror (line 4)", g.warnings)
	}

	// BuildKit's other way of saying 404 for a download it knows the
	// checksum of: the empty body's digest.
	g = staticFake(t, nil)
	g.locals["dockerfile"]["layercake.lock"] = file(lockBytes(t, lock))
	g.failDownloads = map[string]error{url: errors.New("digest mismatch " + emptySHA256 + ": sha256:" + strings.Repeat("cd", 32))}
	if _, err := run(t, g); err == nil || !strings.Contains(err.Error(), "is gone from the archive") {
		t.Errorf("Build() with an empty 404 body = %v, want the gone-package error", err)
	}
	// Any other mismatch is no missing package.
	g = staticFake(t, nil)
	g.locals["dockerfile"]["layercake.lock"] = file(lockBytes(t, lock))
	g.failDownloads = map[string]error{url: errors.New("digest mismatch sha256:" + strings.Repeat("ef", 32) + ": sha256:" + strings.Repeat("cd", 32))}
	if _, err := run(t, g); err == nil || strings.Contains(err.Error(), "is gone from the archive") {
		t.Errorf("Build() with other bytes = %v, want no gone-package error", err)
	}
}

package frontend

import (
	"errors"
	"strings"
	"testing"

	"github.com/layercake-build/layercake/debian"
	"github.com/moby/buildkit/solver/errdefs"
)

// Without a lock, packages are resolved from the signed archive and the
// build warns that it is not pinned.
func TestUnpinnedBuildWarns(t *testing.T) {
	g := unlockedFake(t, newArchive(t, "amd64"), nil)
	if _, err := run(t, g); err != nil {
		t.Fatalf("Build() error = %v", err)
	}
	w := g.warned("not pinned")
	if len(w) != 1 || !strings.Contains(w[0].msg, "--target lock") {
		t.Fatalf("warnings = %+v, want one about pinning naming --target lock", g.warnings)
	}
	if !g.solvedNamed("fetch dists/trixie/InRelease") {
		t.Errorf("no InRelease download; solved %q", g.solved)
	}
}

// --target lock resolves and returns layercake.lock as the only file.
func TestLockTarget(t *testing.T) {
	g := unlockedFake(t, newArchive(t, "amd64"), map[string]string{"target": "lock"})
	lock := writtenLock(t, g)
	if al := lock.Architectures["amd64"]; al == nil || len(al.Runtime) != 3 || al.Runtime[1].Name != "libnginx-mod-http-brotli-static" || al.Runtime[2].Name != "nginx" {
		t.Errorf("lock amd64 = %+v, want libc6, the brotli module and nginx", al)
	}
	if !lock.Date.Equal(archiveTime) {
		t.Errorf("lock date = %v, want the archive's %v", lock.Date, archiveTime)
	}
}

// A lock for another exclusion list warns at the debian section and
// resolves afresh; it does not fail.
func TestStaleLockWarns(t *testing.T) {
	a := newArchive(t, "amd64")
	g := unlockedFake(t, a, nil)
	stale := testLock(t, "amd64")
	stale.Exclude = []string{"dpkg"}
	g.locals["dockerfile"]["layercake.lock"] = file(lockBytes(t, stale))
	if _, err := run(t, g); err != nil {
		t.Fatalf("Build() error = %v", err)
	}
	w := g.warned("another debian.exclude list")
	if len(w) != 1 || !strings.Contains(w[0].msg, "not pinned") || len(w[0].lines) != 1 || w[0].lines[0] != 2 {
		t.Errorf("warnings = %+v, want one about the exclusion list at line 2 (debian:)", g.warnings)
	}
	if !g.solvedNamed("fetch dists/trixie/InRelease") {
		t.Error("a stale lock was used instead of resolving")
	}
}

// A lock that exists but cannot be read fails the build and says why; it
// never silently builds unpinned.
func TestUnreadableLockFails(t *testing.T) {
	g := staticFake(t, nil)
	g.broken = map[string]error{LockFile: errors.New("input/output error")}
	_, err := run(t, g)
	if err == nil || !strings.Contains(err.Error(), "input/output error") || !strings.Contains(err.Error(), LockFile) {
		t.Errorf("Build() error = %v, want the read error naming %s", err, LockFile)
	}
	if w := g.warned("not pinned"); len(w) != 0 {
		t.Errorf("an unreadable lock built unpinned: %q", w[0].msg)
	}
}

// A broken lock is shown at the line of its JSON problem.
func TestInvalidLockFails(t *testing.T) {
	g := staticFake(t, nil)
	g.locals["dockerfile"]["layercake.lock"] = file("{\n  \"version\": 1,\n  \"suite\": 7\n}\n")
	_, err := run(t, g)
	var se *errdefs.SourceError
	if !errors.As(err, &se) || se.Info.Filename != LockFile || se.Ranges[0].Start.Line != 3 {
		t.Errorf("Build() error = %v, want it at %s line 3", err, LockFile)
	}
}

// An unreachable mirror fails with the URL, and a warning at debian.mirror
// says what to check.
func TestUnreachableMirror(t *testing.T) {
	a := newArchive(t, "amd64")
	g := unlockedFake(t, a, map[string]string{"build-arg:DEBIAN_MIRROR": "http://127.0.0.1:9/debian"})
	_, err := run(t, g)
	if err == nil || !strings.Contains(err.Error(), "http://127.0.0.1:9/debian") {
		t.Fatalf("Build() error = %v, want the mirror's URL", err)
	}
	w := g.warned("reachable from the builder")
	if len(w) != 1 || len(w[0].lines) != 1 || w[0].lines[0] != 4 {
		t.Errorf("warnings = %+v, want one at line 4 (debian.mirror)", g.warnings)
	}
	var se *errdefs.SourceError
	if !errors.As(err, &se) || se.Ranges[0].Start.Line != 4 {
		t.Errorf("Build() error carries no source at debian.mirror: %v", err)
	}
}

// A spec in a subfolder finds no lock there (the folder itself was not
// transferred) and builds unpinned, with a warning.
func TestNoLockBesideSpecInSubfolder(t *testing.T) {
	a := newArchive(t, "amd64")
	g := unlockedFake(t, a, map[string]string{"filename": "site/Dockerfile"})
	g.locals["dockerfile"]["site/Dockerfile"] = g.locals["dockerfile"]["Dockerfile"]
	if _, err := run(t, g); err != nil {
		t.Fatalf("Build() error = %v", err)
	}
	if w := g.warned("no layercake.lock beside site/Dockerfile"); len(w) != 1 {
		t.Errorf("warnings = %+v, want one about the missing lock", g.warnings)
	}
}

// An archive without InRelease is read through Release and Release.gpg; one
// that has no Release.gpg either is unsigned, which is an error at
// debian.keys; a Release.gpg that cannot be downloaded is a download error.
func TestDetachedSignature(t *testing.T) {
	a := newArchive(t, "amd64")
	withoutInRelease := func(drop string, fail error) *fakeGateway {
		g := unlockedFake(t, a, nil)
		delete(g.http, testMirror+"/dists/trixie/InRelease")
		for u, data := range a.detached {
			if !strings.HasSuffix(u, drop) || drop == "" {
				g.http[u] = data
			}
		}
		if fail != nil {
			g.failDownloads = map[string]error{testMirror + "/dists/trixie/Release.gpg": fail}
		}
		return g
	}
	if _, err := run(t, withoutInRelease("", nil)); err != nil {
		t.Errorf("Build(Release + Release.gpg) error = %v", err)
	}
	_, err := run(t, withoutInRelease("Release.gpg", nil))
	var sig *debian.SignatureError
	if !errors.As(err, &sig) || sig.Problem != debian.SignatureMissing {
		t.Errorf("Build(no signature) error = %v, want SignatureMissing", err)
	}
	_, err = run(t, withoutInRelease("Release.gpg", errors.New("connection reset by peer")))
	if err == nil || errors.As(err, &sig) || !strings.Contains(err.Error(), "connection reset by peer") {
		t.Errorf("Build(Release.gpg download fails) error = %v, want the download error", err)
	}
}

// The frontend's own vertices carry spec lines too: the archive downloads
// at debian.mirror, the keys at debian.keys, the lock at debian:.
func TestFrontendVerticesAreLocated(t *testing.T) {
	g := unlockedFake(t, newArchive(t, "amd64"), nil)
	if _, err := run(t, g); err != nil {
		t.Fatal(err)
	}
	want := map[string]int32{"fetch dists/trixie/InRelease": 4, "load debian.keys": 5, "load layercake.lock": 2}
	for prefix, line := range want {
		got := g.locatedAt(prefix)
		if len(got) == 0 || got[0] != line {
			t.Errorf("%s located at %v, want line %d", prefix, got, line)
		}
	}
}

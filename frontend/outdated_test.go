package frontend

import (
	"encoding/json"
	"strings"
	"testing"
)

// callOutdated runs --call outdated on a build of the archive a with the
// lock beside the spec, and returns its JSON, table and status.
func callOutdated(t *testing.T, g *fakeGateway) (Outdated, string, string) {
	t.Helper()
	g.opts["requestid"] = requestOutdated
	res, err := run(t, g)
	if err != nil {
		t.Fatalf("Build(%s) error = %v", requestOutdated, err)
	}
	var o Outdated
	if err := json.Unmarshal(res.Metadata["result.json"], &o); err != nil {
		t.Fatalf("result.json: %v\n%s", err, res.Metadata["result.json"])
	}
	return o, string(res.Metadata["result.txt"]), string(res.Metadata["result.statuscode"])
}

// A lock behind a security update: the table names nginx with both
// versions and marks it, and the call exits 1.
func TestCallOutdatedSecurityUpdate(t *testing.T) {
	a := newArchive(t, "amd64")
	withSecurityUpdate(t, a, "amd64")
	g := unlockedFake(t, a, nil)
	g.locals["dockerfile"]["layercake.lock"] = file(lockBytes(t, testLock(t, "amd64")))
	o, txt, status := callOutdated(t, g)
	want := OutdatedPackage{Name: "nginx", Architecture: "amd64", Set: "runtime", Locked: "1.0-1", LockedArchive: "trixie",
		Available: "1.0-1+deb13u1", Archive: "trixie-security", Security: true}
	if len(o.Packages) != 1 || o.Packages[0] != want || o.SecurityUpdates != 1 {
		t.Errorf("outdated = %+v, want only %+v", o, want)
	}
	if status != "1" {
		t.Errorf("status = %q, want 1 while a security update is pending", status)
	}
	for _, s := range []string{"PACKAGE", "nginx", "1.0-1 ", "1.0-1+deb13u1", "trixie-security", "yes", "--target lock"} {
		if !strings.Contains(txt, s) {
			t.Errorf("table =\n%s\nwant it to contain %q", txt, s)
		}
	}
}

// A lock as new as the archives: an empty list, exit 0; a lock of format 1
// is compared with every archive of debian.suites.
func TestCallOutdatedUpToDate(t *testing.T) {
	g := unlockedFake(t, newArchive(t, "amd64"), nil)
	g.locals["dockerfile"]["layercake.lock"] = file(versionOne(t, testLock(t, "amd64")))
	o, txt, status := callOutdated(t, g)
	if len(o.Packages) != 0 || status != "0" || !strings.Contains(txt, "up to date with trixie, trixie-updates, trixie-security") {
		t.Errorf("outdated = %+v, %q, status %s; want none, exit 0", o, txt, status)
	}
	if !g.solvedNamed("fetch dists/trixie-security/InRelease") {
		t.Errorf("the security archive was not read; solved %q", g.solved)
	}
}

// Without a lock there is nothing to compare: an error that says how to write one.
func TestCallOutdatedNoLock(t *testing.T) {
	g := unlockedFake(t, newArchive(t, "amd64"), map[string]string{"requestid": requestOutdated})
	if _, err := run(t, g); err == nil || !strings.Contains(err.Error(), "--target lock") {
		t.Errorf("Build(%s) without a lock = %v, want an error naming --target lock", requestOutdated, err)
	}
}

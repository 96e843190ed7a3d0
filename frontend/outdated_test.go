package frontend

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/layercake-build/layercake/debian"
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
	want := OutdatedPackage{Name: "nginx", Architecture: "amd64", Set: "runtime", Change: ChangeNewer, Locked: "1.0-1", LockedArchive: "trixie",
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

// The lock is compared with a new resolution, not package by package: an
// update that needs a new library lists it, and a locked package nothing
// needs any more is listed as dropped.
func TestCallOutdatedNewAndDroppedPackages(t *testing.T) {
	a := newArchiveWith(t, []string{"libnew"}, "amd64")
	withSecurityUpdateDepending(t, a, "amd64", "libc6, libnew")
	g := unlockedFake(t, a, nil)
	lock := testLock(t, "amd64")
	lock.Set("amd64", []debian.Package{testPackage("nginx", "amd64"), testPackage("libc6", "amd64"),
		testPackage("libnginx-mod-http-brotli-static", "amd64"), testPackage("libold", "amd64")})
	g.locals["dockerfile"]["layercake.lock"] = file(lockBytes(t, lock))
	o, txt, status := callOutdated(t, g)
	var got []string
	for _, p := range o.Packages {
		got = append(got, p.Name+" "+p.Change+" "+p.Locked+" "+p.Available+" "+p.Archive)
	}
	want := []string{"libnew added  1.0-1 trixie", "libold removed 1.0-1  ", "nginx newer 1.0-1 1.0-1+deb13u1 trixie-security"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") || o.SecurityUpdates != 1 || len(o.Unresolvable) != 0 {
		t.Errorf("outdated packages =\n%s\nwant\n%s\n(one security update, all resolvable: %d, %q)", strings.Join(got, "\n"), strings.Join(want, "\n"), o.SecurityUpdates, o.Unresolvable)
	}
	if status != "1" {
		t.Errorf("status = %q, want 1 while a security update is pending", status)
	}
	rows := map[string]string{}
	for _, l := range strings.Split(txt, "\n") {
		if f := strings.Fields(l); len(f) > 0 {
			rows[f[0]] = strings.Join(f, " ")
		}
	}
	for _, row := range []string{"libnew amd64 runtime (new) 1.0-1 trixie", "libold amd64 runtime 1.0-1 (not needed) trixie"} {
		if rows[strings.Fields(row)[0]] != row {
			t.Errorf("table =\n%s\nwant the row %q", txt, row)
		}
	}
	if !strings.Contains(txt, "1 locked packages are behind") || !strings.Contains(txt, "a new lock adds 1 and drops 1") {
		t.Errorf("table =\n%s\nwant 1 behind, 1 added and 1 dropped in its summary", txt)
	}
}

// When the archives can no longer resolve the lock's roots, the call says
// that writing the lock again fails, and why, and still compares versions.
func TestCallOutdatedUnresolvable(t *testing.T) {
	a := newArchiveOf(t, []string{"nginx", "libc6"}, "amd64") // the brotli module, a root, is gone
	withSecurityUpdate(t, a, "amd64")
	g := unlockedFake(t, a, nil)
	g.locals["dockerfile"]["layercake.lock"] = file(lockBytes(t, testLock(t, "amd64")))
	o, txt, status := callOutdated(t, g)
	if len(o.Unresolvable) != 1 || !strings.HasPrefix(o.Unresolvable[0], "runtime amd64: ") || !strings.Contains(o.Unresolvable[0], "libnginx-mod-http-brotli-static") {
		t.Errorf("unresolvable = %q, want one runtime amd64 entry naming the missing root", o.Unresolvable)
	}
	if len(o.Packages) != 1 || o.Packages[0].Name != "nginx" || o.Packages[0].Change != ChangeNewer || status != "1" {
		t.Errorf("outdated = %+v, status %s; want nginx's security update alone, exit 1", o.Packages, status)
	}
	if !strings.Contains(txt, "Writing the lock again fails now (runtime amd64: ") {
		t.Errorf("table =\n%s\nwant it to say that writing the lock again fails", txt)
	}
}

// A lock whose packages are all current but whose closure changed says so,
// not "0 locked packages are behind".
func TestOutdatedTableOnlyClosureChanged(t *testing.T) {
	o := &Outdated{Archives: []string{"trixie"}, Packages: []OutdatedPackage{
		{Name: "libnew", Architecture: "amd64", Set: "runtime", Change: ChangeAdded, Available: "1.0-1", Archive: "trixie"}}}
	txt := string(o.table())
	if !strings.Contains(txt, "\nA new lock adds 1 and drops 0. Write the lock again") || strings.Contains(txt, "are behind") {
		t.Errorf("table =\n%s\nwant only the closure's change in its summary", txt)
	}
}

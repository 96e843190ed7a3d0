package debian

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// toolchainLock is testLock with a toolchain from forky, the case of
// site.build.suite: forky.
func toolchainLock() *Lock {
	l := testLock()
	forky := &Release{Date: time.Date(2026, 12, 5, 20, 0, 0, 0, time.UTC)}
	l.SetToolchain("amd64", []string{"hugo"}, []Package{fromArchive(lockPkg("hugo", "0.152.2-1", "amd64"), "forky")})
	l.SetToolchainArchives([]string{"forky"}, []*Release{forky})
	return l
}

// The toolchain's archives round-trip, and they leave the lock's Date (the
// build's epoch) at the runtime suite's.
func TestLockToolchainArchives(t *testing.T) {
	data, err := toolchainLock().Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"toolchain_archives": [`) {
		t.Errorf("Marshal() has no toolchain_archives:\n%s", data)
	}
	l, err := ParseLock(data)
	if err != nil {
		t.Fatal(err)
	}
	if got := l.ToolchainSuites(); !slices.Equal(got, []string{"forky"}) {
		t.Errorf("ToolchainSuites() = %q, want [forky]", got)
	}
	if a, ok := l.Archive("forky"); !ok || a.Date.IsZero() {
		t.Errorf("Archive(forky) = %+v, %v; want the toolchain archive with its date", a, ok)
	}
	if want := testLock().Date; !l.Date.Equal(want) {
		t.Errorf("Date = %v, want the runtime suite's %v", l.Date, want)
	}
}

// A lock without toolchain_archives reads as before: the toolchain comes
// from the runtime's archives.
func TestLockWithoutToolchainArchives(t *testing.T) {
	l := testLock()
	l.SetToolchain("amd64", []string{"hugo"}, []Package{fromArchive(lockPkg("hugo", "0.131.0-1", "amd64"), "trixie")})
	data, err := l.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "toolchain_archives") {
		t.Errorf("Marshal() writes toolchain_archives for a toolchain from the archives:\n%s", data)
	}
	got, err := ParseLock(data)
	if err != nil || got.ToolchainSuites() != nil {
		t.Errorf("ParseLock() = %v, %v; want no toolchain suites", got.ToolchainSuites(), err)
	}
}

func TestLockToolchainArchiveErrors(t *testing.T) {
	good, err := toolchainLock().Marshal()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, old, new, want string }{
		// A toolchain package must come from the toolchain's archives, not the runtime's.
		{"toolchain package from a runtime archive", `"archive": "forky"`, `"archive": "trixie"`, `toolchain[0] (hugo): archive "trixie" is not among the lock's archives`},
		{"empty list", `"toolchain_archives": [`, `"toolchain_archives": [], "x": [`, "unknown field"},
		{"invalid suite", `"suite": "forky"`, `"suite": "Forky"`, `toolchain_archives[0]: invalid suite "Forky"`},
		{"version 1", `"version": 2`, `"version": 1`, "version 1 has no archives"},
	} {
		in := strings.Replace(string(good), tc.old, tc.new, 1)
		if in == string(good) {
			t.Fatalf("%s: lock has no %q", tc.name, tc.old)
		}
		if _, err := ParseLock([]byte(in)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: ParseLock() error = %v, want %q", tc.name, err, tc.want)
		}
	}
	l := toolchainLock()
	l.ToolchainArchives = []LockArchive{}
	if err := l.Validate(); err == nil || !strings.Contains(err.Error(), "toolchain_archives: empty") {
		t.Errorf("Validate(empty toolchain_archives) = %v", err)
	}
	l = toolchainLock()
	l.ToolchainArchives = append(l.ToolchainArchives, LockArchive{Suite: l.ToolchainArchives[0].Suite})
	err = l.Validate()
	for _, want := range []string{"toolchain_archives[1]: forky is listed twice", "toolchain_archives[1] (forky): missing date"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate(forky twice, the second without a date) = %v, want %q", err, want)
		}
	}
}

package frontend

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/layercake-build/layercake/debian"
)

// withToolchainSuite serves suite at the mirror with hugo 2.0-1 for arch.
func withToolchainSuite(t *testing.T, a *archive, suite, arch string) {
	t.Helper()
	index := "Package: hugo\nVersion: 2.0-1\nArchitecture: " + arch + "\nFilename: pool/main/h/hugo/hugo_2.0-1_" + arch +
		".deb\nSize: 100\nSHA256: " + strings.Repeat("ef", 32) + "\n\n" +
		"Package: libfaketime\nVersion: 2.0-1\nArchitecture: " + arch + "\nFilename: pool/main/f/faketime/libfaketime_2.0-1_" + arch +
		".deb\nSize: 100\nSHA256: " + strings.Repeat("fe", 32) + "\n"
	a.addSuite(t, testMirror, suite, "", map[string]string{arch: index})
}

// site.build.suite takes the toolchain from its own archives, recorded as
// toolchain_archives, while nginx and the lock's Date stay the runtime's.
func TestLockToolchainSuite(t *testing.T) {
	for _, tc := range []struct {
		suite     string
		archives  []string
		hugoFrom  string
		notSolved string
	}{
		{"forky", []string{"forky"}, "forky", "fetch dists/forky-security"},
		{"trixie-backports", []string{"trixie", "trixie-updates", "trixie-security", "trixie-backports"}, "trixie-backports", ""},
	} {
		t.Run(tc.suite, func(t *testing.T) {
			a := newArchiveWith(t, []string{"hugo", "libfaketime"}, "amd64") // trixie has hugo 1.0-1
			withToolchainSuite(t, a, tc.suite, "amd64")
			g := unlockedFake(t, a, map[string]string{"target": "lock"})
			spec := strings.Replace(buildSpec, "  mirror: "+testMirror+"\n", "  mirror: "+testMirror+"\n  keys: [keys/archive.asc]\n", 1)
			g.locals["dockerfile"]["Dockerfile"] = file(spec + "    suite: " + tc.suite + "\n")
			lock := writtenLock(t, g)
			if got := lock.Suites(); !slices.Equal(got, []string{"trixie", "trixie-updates", "trixie-security"}) {
				t.Errorf("lock archives = %q, want the runtime's", got)
			}
			if got := lock.ToolchainSuites(); !slices.Equal(got, tc.archives) {
				t.Errorf("lock toolchain archives = %q, want %q", got, tc.archives)
			}
			if !lock.Date.Equal(archiveTime) {
				t.Errorf("lock date = %v, want trixie's %v", lock.Date, archiveTime)
			}
			// hugo, and libfaketime, which every toolchain gets.
			tcPkgs := lock.Architectures["amd64"].Toolchain
			if len(tcPkgs) != 2 || tcPkgs[0].Name != "hugo" || tcPkgs[0].Version != "2.0-1" || tcPkgs[0].Archive != tc.hugoFrom || tcPkgs[1].Name != "libfaketime" {
				t.Errorf("locked toolchain = %+v, want hugo 2.0-1 from %s and libfaketime", tcPkgs, tc.hugoFrom)
			}
			for _, p := range lock.Architectures["amd64"].Runtime {
				if p.Archive != "trixie" {
					t.Errorf("runtime %s from %s, want trixie", p.Name, p.Archive)
				}
			}
			if !g.solvedNamed("fetch dists/" + tc.suite + "/InRelease") {
				t.Errorf("no %s InRelease download; solved %q", tc.suite, g.solved)
			}
		})
	}
}

// A lock whose toolchain comes from the runtime's archives is stale for a
// spec that asks for forky: the build warns at site.build.suite and
// resolves afresh.
func TestToolchainSuiteStaleLock(t *testing.T) {
	a := newArchiveWith(t, []string{"hugo", "libfaketime"}, "amd64")
	withToolchainSuite(t, a, "forky", "amd64")
	g := unlockedFake(t, a, nil)
	spec := strings.Replace(buildSpec, "  mirror: "+testMirror+"\n", "  mirror: "+testMirror+"\n  keys: [keys/archive.asc]\n", 1)
	g.locals["dockerfile"]["Dockerfile"] = file(spec + "    suite: forky\n")
	l := testLock(t, "amd64")
	l.SetToolchain("amd64", []string{"hugo"}, []debian.Package{testPackage("hugo", "amd64")})
	g.locals["dockerfile"]["layercake.lock"] = file(lockBytes(t, l))
	if _, err := run(t, g); err != nil {
		t.Fatalf("Build() error = %v", err)
	}
	w := g.warned("takes the toolchain from the runtime's archives but site.build.suite asks for [forky]")
	if len(w) != 1 {
		t.Fatalf("warnings = %+v, want one about site.build.suite", g.warnings)
	}
	if !g.solvedOp("fetch hugo 2.0-1") {
		t.Errorf("forky's hugo was not fetched")
	}
}

// A toolchain package that left forky is reported with forky's date in
// the lock, not the runtime's.
func TestToolchainSuitePackageGone(t *testing.T) {
	g := newFake(buildSpec+"    suite: forky\n", tree{"content/a.md": file("# a")}, nil)
	l := testLock(t, "amd64")
	hugo := testPackage("hugo", "amd64")
	hugo.Archive = "forky"
	dpkg := testPackage("dpkg", "amd64")
	dpkg.Archive = "forky"
	l.SetToolchain("amd64", []string{"hugo"}, []debian.Package{hugo, dpkg})
	l.SetToolchainArchives([]string{"forky"}, []*debian.Release{{Date: lockDate.Add(48 * time.Hour)}})
	g.locals["dockerfile"]["layercake.lock"] = file(lockBytes(t, l))
	g.failDownloads = map[string]error{testMirror + "/" + hugo.Filename: errors.New("invalid response status 404")}
	_, err := run(t, g)
	want := "hugo 1.0-1 (amd64) is gone from the archive: layercake.lock has it from forky as of " + lockDate.Add(48*time.Hour).UTC().Format(time.RFC3339)
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("Build() error = %v\nwant it to contain %q", err, want)
	}
}

// The toolchain is the spec's packages with llbgen.ToolchainBase, not all
// of Debian's Essential set (util-linux is Essential here, and left out),
// and the base's mawk serves the awk that jekyll depends on, though gawk
// comes first by name.
func TestLockToolchainBase(t *testing.T) {
	a := newArchiveWith(t, []string{"jekyll", "libfaketime", "dash", "gawk", "mawk", "util-linux"}, "amd64")
	g := unlockedFake(t, a, map[string]string{"target": "lock"})
	spec := strings.Replace(buildSpec, "  mirror: "+testMirror+"\n", "  mirror: "+testMirror+"\n  keys: [keys/archive.asc]\n", 1)
	g.locals["dockerfile"]["Dockerfile"] = file(strings.Replace(spec, "packages: [hugo]", "packages: [jekyll]", 1))
	lock := writtenLock(t, g)
	var got []string
	for _, p := range lock.Architectures["amd64"].Toolchain {
		got = append(got, p.Name)
	}
	if want := []string{"dash", "jekyll", "libfaketime", "mawk"}; !slices.Equal(got, want) {
		t.Errorf("toolchain = %v, want %v", got, want)
	}
	if !slices.Equal(lock.Toolchain, []string{"jekyll"}) {
		t.Errorf("lock toolchain roots = %v, want the spec's [jekyll]", lock.Toolchain)
	}
}

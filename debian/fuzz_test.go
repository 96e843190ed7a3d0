package debian

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func FuzzParsePackages(f *testing.F) {
	f.Add(fixturePackages)
	f.Add("Package: a\nVersion: 1:2~3-4\nArchitecture: all\nDepends: b (>= 1) | c:any, d [amd64] <!x>\nProvides: e (= 1)\n")
	f.Add(" x\n")
	f.Add("\n\nPackage: a\n\n")
	f.Fuzz(func(t *testing.T, in string) {
		pkgs, err := ParsePackages(strings.NewReader(in))
		if err != nil {
			return
		}
		for _, p := range pkgs {
			if _, err := ParseVersion(p.Version); err != nil || !validName(p.Name) {
				t.Errorf("ParsePackages accepted %+v", p)
			}
		}
		idx := NewIndex(pkgs)
		if len(pkgs) > 0 {
			_, _ = Resolve(idx, []string{pkgs[0].Name}, DefaultExclude)
		}
	})
}

func FuzzParseRelease(f *testing.F) {
	f.Add(releaseBody)
	f.Add(clearsign(releaseBody))
	f.Add("-----BEGIN PGP SIGNED MESSAGE-----\n\n-----BEGIN PGP SIGNATURE-----\n-----END PGP SIGNATURE-----\n")
	f.Fuzz(func(t *testing.T, in string) {
		rel, err := ParseRelease([]byte(in))
		if err != nil {
			return
		}
		for _, file := range rel.SHA256 {
			if got, ok := rel.Index(file.Path); !ok || got.Path != file.Path {
				t.Errorf("Index(%q) = %+v, %v", file.Path, got, ok)
			}
		}
	})
}

func FuzzCompareVersions(f *testing.F) {
	for _, s := range [][2]string{{"1.0", "1.0-0"}, {"1:1.0", "1.0"}, {"1.0~rc1", "1.0"}, {"a", ""}, {"1.0a", "1.0+"}} {
		f.Add(s[0], s[1])
	}
	dpkg, _ := exec.LookPath("dpkg")
	f.Fuzz(func(t *testing.T, a, b string) {
		ab, ba := CompareVersions(a, b), CompareVersions(b, a)
		if ab != -ba {
			t.Errorf("CompareVersions(%q, %q) = %d but CompareVersions(%q, %q) = %d", a, b, ab, b, a, ba)
		}
		if CompareVersions(a, a) != 0 {
			t.Errorf("CompareVersions(%q, %q) != 0", a, a)
		}
		_, errA := ParseVersion(a)
		_, errB := ParseVersion(b)
		if dpkg == "" || errA != nil || errB != nil {
			return // invalid versions sort after valid ones, by layercake's rule
		}
		// dpkg is the oracle, for versions both accept (dpkg without a
		// warning).
		want, ok := dpkgCompare(t, dpkg, a, b)
		if ok && ab != want {
			t.Errorf("CompareVersions(%q, %q) = %d, dpkg --compare-versions says %d", a, b, ab, want)
		}
	})
}

// dpkgCompare asks dpkg how a compares with b; ok is false when dpkg finds
// either version malformed.
func dpkgCompare(t *testing.T, dpkg, a, b string) (int, bool) {
	t.Helper()
	for _, c := range []struct {
		op   string
		want int
	}{{"lt", -1}, {"eq", 0}, {"gt", 1}} {
		cmd := exec.Command(dpkg, "--compare-versions", a, c.op, b)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		if stderr.Len() > 0 {
			return 0, false // "has bad syntax"
		}
		var exit *exec.ExitError
		switch {
		case err == nil:
			return c.want, true
		case errors.As(err, &exit) && exit.ExitCode() == 1:
		default:
			return 0, false
		}
	}
	t.Fatalf("dpkg --compare-versions %q %q: neither lt, eq nor gt", a, b)
	return 0, false
}

func FuzzParseLock(f *testing.F) {
	if golden, err := os.ReadFile(filepath.Join("testdata", "layercake.lock.golden")); err == nil {
		f.Add(golden)
	}
	f.Add([]byte(`{"version": 2}`))
	f.Add([]byte(`{"version": 1, "suite": "x"}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		l, err := ParseLock(in)
		if err != nil {
			return
		}
		out, err := l.Marshal()
		if err != nil {
			t.Fatalf("Marshal() of a parsed lock: %v", err)
		}
		l2, err := ParseLock(out)
		if err != nil {
			t.Fatalf("ParseLock(Marshal()) = %v", err)
		}
		if out2, _ := l2.Marshal(); !bytes.Equal(out, out2) {
			t.Errorf("Marshal is not stable:\n%s\n%s", out, out2)
		}
	})
}

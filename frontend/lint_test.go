package frontend

import (
	"errors"
	"slices"
	"testing"

	"github.com/layercake-build/layercake/debian"
	"github.com/layercake-build/layercake/debian/deb"
	"github.com/layercake-build/layercake/spec"
)

func lintSpec(t *testing.T, src string) *spec.Spec {
	t.Helper()
	s, err := spec.Load("Dockerfile", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func rules(fs []finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.rule)
	}
	return out
}

func TestCheck(t *testing.T) {
	good := lintSpec(t, "version: 1\ndebian:\n  mirror: http://example.org/debian\nsite:\n  dir: public\n")
	req := request{suite: "trixie", roots: []string{"nginx"}, exclude: []string{"dpkg"}}
	lock := &debian.Lock{Suite: "trixie", Roots: []string{"nginx"}, Exclude: []string{"dpkg"},
		Architectures: map[string]*debian.ArchLock{"amd64": {Runtime: []deb.Locked{{Name: "nginx"}}}}}
	for _, tc := range []struct {
		name string
		in   lintInput
		want []string
	}{
		{"clean", lintInput{spec: good, lock: lock, req: req, arches: []string{"amd64"}, mirror: "m"}, nil},
		{"no lock", lintInput{spec: good, req: req, arches: []string{"amd64"}, mirror: "m"}, []string{"MissingLock"}},
		{"unreadable lock", lintInput{spec: good, lockErr: errors.New("bad"), req: req, mirror: "m"}, []string{"InvalidLock"}},
		{"stale lock", lintInput{spec: good, lock: lock, req: request{suite: "forky", roots: req.roots, exclude: req.exclude}, mirror: "m"}, []string{"StaleLock"}},
		{"missing platform", lintInput{spec: good, lock: lock, req: req, arches: []string{"amd64", "arm64"}, mirror: "m"}, []string{"LockMissingPlatform"}},
		{"missing toolchain", lintInput{spec: good, lock: lock, req: req, arches: []string{"amd64"}, toolchainArch: "amd64", mirror: "m"}, []string{"LockMissingToolchain"}},
		{"no mirror", lintInput{spec: good, lock: lock, req: req, arches: []string{"amd64"}}, []string{"NoMirror"}},
		{"x- key", lintInput{spec: lintSpec(t, "version: 1\nx-owner: web\nsite:\n  dir: public\n"), lock: lock, req: req, arches: []string{"amd64"}, mirror: "m"},
			[]string{"ExtensionKey"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := rules(check(tc.in)); !slices.Equal(got, tc.want) {
				t.Errorf("check() rules = %v, want %v", got, tc.want)
			}
		})
	}
}

// Every rule check can report has a description for buildx to show.
func TestRulesAreDescribed(t *testing.T) {
	for _, r := range []string{"MissingLock", "InvalidLock", "StaleLock", "LockMissingPlatform", "LockMissingToolchain", "NoMirror", "ExtensionKey"} {
		if ruleDescriptions[r] == "" {
			t.Errorf("rule %s has no description", r)
		}
	}
}

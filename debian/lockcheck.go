package debian

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/layercake-build/layercake/debian/deb"
)

// Validate returns every problem with l, joined, in a stable order.
func (l *Lock) Validate() error {
	var errs []error
	add := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("lock: "+format, args...))
	}
	if l.Version != LockVersion {
		add("version %d, want %d", l.Version, LockVersion)
	}
	if !validName(l.Suite) {
		add("invalid suite %q", l.Suite)
	}
	if l.Date.IsZero() {
		add("missing date")
	}
	checkNames(add, "roots", l.Roots)
	checkNames(add, "exclude", l.Exclude)
	checkNames(add, "toolchain", l.Toolchain)
	if len(l.Roots) == 0 {
		add("no roots")
	}
	if len(l.Architectures) == 0 {
		add("no architectures")
	}
	for _, arch := range slices.Sorted(maps.Keys(l.Architectures)) {
		checkArch(add, arch, l.Architectures[arch])
	}
	return errors.Join(errs...)
}

func checkNames(add func(string, ...any), field string, names []string) {
	for _, n := range names {
		if !validName(n) {
			add("%s: invalid package name %q", field, n)
		}
	}
}

func checkArch(add func(string, ...any), arch string, al *ArchLock) {
	if !validArch(arch) || arch == "all" {
		add("invalid architecture %q", arch)
	}
	if al == nil {
		add("%s: missing packages", arch)
		return
	}
	checkPackages(add, arch, "runtime", al.Runtime)
	checkPackages(add, arch, "toolchain", al.Toolchain)
}

func checkPackages(add func(string, ...any), arch, list string, pkgs []deb.Locked) {
	seen := map[string]bool{}
	for i, p := range pkgs {
		where := fmt.Sprintf("%s: %s[%d] (%s)", arch, list, i, p.Name)
		if seen[p.Name] {
			add("%s: duplicate package", where)
		}
		seen[p.Name] = true
		for _, msg := range problems(p, arch) {
			add("%s: %s", where, msg)
		}
	}
}

// problems lists what is wrong with p in a lock for arch.
func problems(p deb.Locked, arch string) []string {
	var out []string
	if !validName(p.Name) {
		out = append(out, "invalid name")
	}
	if _, err := ParseVersion(p.Version); err != nil {
		out = append(out, err.Error())
	}
	if p.Architecture != arch && p.Architecture != "all" {
		out = append(out, fmt.Sprintf("architecture %q is neither %q nor \"all\"", p.Architecture, arch))
	}
	if !validRelPath(p.Path) || !strings.HasSuffix(p.Path, ".deb") {
		out = append(out, fmt.Sprintf("path %q is not a clean relative .deb path", p.Path))
	}
	if p.Size <= 0 {
		out = append(out, "size must be positive")
	}
	if !validSHA256(p.SHA256) {
		out = append(out, "sha256 must be 64 lowercase hex digits")
	}
	return out
}

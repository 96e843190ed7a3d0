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
	if l.Version != LockVersion && l.Version != lockVersionOneSuite {
		add("version %d, want %d", l.Version, LockVersion)
	}
	if !validName(l.Suite) {
		add("invalid suite %q", l.Suite)
	}
	if l.Date.IsZero() {
		add("missing date")
	}
	archives := checkArchives(add, l)
	toolchainArchives := archives
	if l.ToolchainArchives != nil {
		toolchainArchives = checkToolchainArchives(add, l.ToolchainArchives)
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
		checkArch(add, arch, l.Architectures[arch], archives, toolchainArchives)
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

// checkArchives checks the lock's archives and returns their suites.
func checkArchives(add func(string, ...any), l *Lock) map[string]bool {
	if len(l.Archives) == 0 {
		add("no archives")
	}
	suites := archiveSuites(add, "archives", l.Archives)
	if len(l.Archives) > 0 && !suites[l.Suite] {
		add("archives do not include the suite %q", l.Suite)
	}
	return suites
}

// checkToolchainArchives checks the lock's toolchain archives and returns
// their suites.
func checkToolchainArchives(add func(string, ...any), list []LockArchive) map[string]bool {
	if len(list) == 0 {
		add("toolchain_archives: empty; remove it when the toolchain comes from the archives")
	}
	return archiveSuites(add, "toolchain_archives", list)
}

// archiveSuites checks each archive of the list field (a valid suite,
// listed once, with a date) and returns their suites.
func archiveSuites(add func(string, ...any), field string, list []LockArchive) map[string]bool {
	suites := map[string]bool{}
	for i, a := range list {
		switch {
		case !validName(a.Suite):
			add("%s[%d]: invalid suite %q", field, i, a.Suite)
		case suites[a.Suite]:
			add("%s[%d]: %s is listed twice", field, i, a.Suite)
		}
		if a.Date.IsZero() {
			add("%s[%d] (%s): missing date", field, i, a.Suite)
		}
		suites[a.Suite] = true
	}
	return suites
}

func checkArch(add func(string, ...any), arch string, al *ArchLock, archives, toolchainArchives map[string]bool) {
	if !validArch(arch) || arch == "all" {
		add("invalid architecture %q", arch)
	}
	if al == nil {
		add("%s: missing packages", arch)
		return
	}
	checkPackages(add, arch, "runtime", al.Runtime, archives)
	checkPackages(add, arch, "toolchain", al.Toolchain, toolchainArchives)
}

func checkPackages(add func(string, ...any), arch, list string, pkgs []deb.Locked, archives map[string]bool) {
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
		if !archives[p.Archive] {
			add("%s: archive %q is not among the lock's archives", where, p.Archive)
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

package debian

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/layercake-build/layercake/debian/deb"
)

// LockVersion is the layercake.lock format this package writes. Version
// 2 records the archives (suite, -updates, -security) and which one each
// package comes from. Version 1, written by the previous release, is still
// read: its packages come from its one suite.
const LockVersion = 2

// lockVersionOneSuite is the format that had one archive, the suite.
const lockVersionOneSuite = 1

// Lock is the content of layercake.lock: every package of a build, pinned by
// mirror-relative path, size and sha256. It names no host, so one lock serves
// any mirror.
type Lock struct {
	// Version is the lock format, LockVersion.
	Version int `json:"version"`
	// Suite is the Debian suite the packages come from, e.g. "trixie".
	Suite string `json:"suite"`
	// Date is the Date of the suite's own Release (not of -updates or
	// -security), in UTC; it is the build's default epoch. The security
	// archive's Date moves with every advisory, and an epoch that moved
	// with it would change every layer of the image, not only the
	// updated package's.
	Date time.Time `json:"date"`
	// Archives are the archives the packages come from, in the spec's
	// debian.suites order, each with its Release's Date. A lock of format
	// 1 is read as one archive, the suite, of the lock's Date.
	Archives []LockArchive `json:"archives,omitempty"`
	// ToolchainArchives are the archives the toolchain comes from when the
	// spec's site.build.suite names another suite (forky, or the suite's
	// backports beside its own archives), each with its Release's Date;
	// absent when the toolchain comes from Archives. They never set the
	// lock's Date: the image's epoch stays the runtime suite's.
	ToolchainArchives []LockArchive `json:"toolchain_archives,omitempty"`
	// Roots are the runtime roots, e.g. ["nginx"], sorted.
	Roots []string `json:"roots"`
	// Exclude is the full exclusion list used (default and spec), sorted.
	Exclude []string `json:"exclude"`
	// Toolchain are the roots of the site generator's toolchain (the spec's
	// site.build.packages), sorted; empty when the site is prebuilt. The
	// frontend adds its toolchain base when resolving.
	Toolchain []string `json:"toolchain,omitempty"`
	// Architectures holds the packages per Debian architecture (amd64, arm64).
	Architectures map[string]*ArchLock `json:"architectures"`
}

// LockArchive is one archive a lock was resolved from.
type LockArchive struct {
	// Suite is the archive's suite, e.g. "trixie-security".
	Suite string `json:"suite"`
	// Date is its Release's Date in UTC when the lock was written.
	Date time.Time `json:"date"`
}

// SetArchives records the archives the lock is resolved from and their
// Releases, in the same order; the lock's Date becomes the Date of the
// archive named l.Suite, or of the first when none is.
func (l *Lock) SetArchives(suites []string, rels []*Release) {
	l.Archives = nil
	for i, s := range suites {
		a := LockArchive{Suite: s, Date: rels[i].Date.UTC()}
		l.Archives = append(l.Archives, a)
		if s == l.Suite || i == 0 {
			l.Date = a.Date
		}
	}
}

// SetToolchainArchives records the archives the toolchain is resolved
// from and their Releases, in the same order; nil suites mean the
// runtime's archives.
func (l *Lock) SetToolchainArchives(suites []string, rels []*Release) {
	l.ToolchainArchives = nil
	for i, s := range suites {
		l.ToolchainArchives = append(l.ToolchainArchives, LockArchive{Suite: s, Date: rels[i].Date.UTC()})
	}
}

// ToolchainSuites are the suites of the lock's toolchain archives, in
// order, or nil when the toolchain comes from the runtime's archives.
func (l *Lock) ToolchainSuites() []string {
	var out []string
	for _, a := range l.ToolchainArchives {
		out = append(out, a.Suite)
	}
	return out
}

// Archive returns the lock's record of the archive suite: one of its
// archives, else one of its toolchain archives.
func (l *Lock) Archive(suite string) (LockArchive, bool) {
	for _, a := range slices.Concat(l.Archives, l.ToolchainArchives) {
		if a.Suite == suite {
			return a, true
		}
	}
	return LockArchive{}, false
}

// Suites are the suites of the lock's archives, in order.
func (l *Lock) Suites() []string {
	out := make([]string, 0, len(l.Archives))
	for _, a := range l.Archives {
		out = append(out, a.Suite)
	}
	return out
}

// ArchLock is the locked package set of one architecture.
type ArchLock struct {
	// Runtime is the resolved closure of the roots, sorted by name.
	Runtime []deb.Locked `json:"runtime"`
	// Toolchain is the resolved closure of the toolchain roots and the
	// frontend's toolchain base, sorted by name; present for the build platform's
	// architecture only. These packages never ship in the image.
	Toolchain []deb.Locked `json:"toolchain,omitempty"`
}

// Set replaces the packages locked for arch.
func (l *Lock) Set(arch string, pkgs []Package) {
	if l.Architectures == nil {
		l.Architectures = map[string]*ArchLock{}
	}
	l.Architectures[arch] = &ArchLock{Runtime: locked(pkgs)}
}

// SetToolchain records the toolchain roots and their resolved packages for
// arch, the build platform's architecture (which may have no runtime
// packages when every target platform is another one).
func (l *Lock) SetToolchain(arch string, roots []string, pkgs []Package) {
	if l.Architectures == nil {
		l.Architectures = map[string]*ArchLock{}
	}
	al := l.Architectures[arch]
	if al == nil {
		al = &ArchLock{Runtime: []deb.Locked{}}
		l.Architectures[arch] = al
	}
	l.Toolchain = sortedUnique(roots)
	al.Toolchain = locked(pkgs)
}

// locked pins resolved packages, sorted by name.
func locked(pkgs []Package) []deb.Locked {
	out := make([]deb.Locked, 0, len(pkgs))
	for _, p := range pkgs {
		out = append(out, deb.Locked{
			Name: p.Name, Version: p.Version, Architecture: p.Architecture,
			Path: p.Filename, Size: p.Size, SHA256: p.SHA256, Archive: p.Archive,
		})
	}
	sortPackages(out)
	return out
}

// ParseLock reads a lock strictly: unknown fields, trailing data, another
// format version and any malformed package are errors.
func ParseLock(data []byte) (*Lock, error) {
	if err := checkVersion(data); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var l Lock
	if err := dec.Decode(&l); err != nil {
		return nil, fmt.Errorf("parsing lock: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("parsing lock: trailing data after the lock object")
	}
	if bytes.Contains(data, []byte("://")) {
		return nil, errors.New("parsing lock: contains \"://\"; a lock names no hosts")
	}
	if l.Version == lockVersionOneSuite {
		if err := l.fromOneSuite(data); err != nil {
			return nil, err
		}
	}
	if err := l.Validate(); err != nil {
		return nil, err
	}
	return &l, nil
}

// fromOneSuite reads a lock of format 1 as what it meant: one archive, the
// suite, of the lock's Date, which serves every package. The lock keeps
// Version 1, so a caller can tell it predates the security archive.
func (l *Lock) fromOneSuite(data []byte) error {
	if l.Archives != nil || l.ToolchainArchives != nil || bytes.Contains(data, []byte(`"archive"`)) {
		return errors.New("parsing lock: version 1 has no archives; set version 2 or remove them")
	}
	l.Archives = []LockArchive{{Suite: l.Suite, Date: l.Date.UTC()}}
	for _, al := range l.Architectures {
		if al == nil {
			continue
		}
		for _, list := range [][]deb.Locked{al.Runtime, al.Toolchain} {
			for i := range list {
				list[i].Archive = l.Suite
			}
		}
	}
	return nil
}

// checkVersion reads only the version, so a newer lock says "upgrade" rather
// than failing on a field this version does not know.
func checkVersion(data []byte) error {
	var v struct {
		Version *int `json:"version"`
	}
	if err := json.Unmarshal(data, &v); err != nil {
		return fmt.Errorf("parsing lock: %w", err)
	}
	switch {
	case v.Version == nil:
		return errors.New("parsing lock: missing version")
	case *v.Version > LockVersion:
		return fmt.Errorf("parsing lock: version %d was written by a newer layercake; upgrade", *v.Version)
	case *v.Version != LockVersion && *v.Version != lockVersionOneSuite:
		return fmt.Errorf("parsing lock: unsupported version %d", *v.Version)
	}
	return nil
}

// Marshal writes l as indented JSON with sorted lists and a trailing newline,
// in format LockVersion (a lock read from format 1 too); the same lock
// always gives the same bytes. An invalid lock is an error.
func (l *Lock) Marshal() ([]byte, error) {
	c := l.normalized()
	if err := c.Validate(); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(c); err != nil {
		return nil, fmt.Errorf("writing lock: %w", err)
	}
	return buf.Bytes(), nil
}

// normalized returns a copy of l with sorted lists and a UTC date.
func (l *Lock) normalized() *Lock {
	c := *l
	c.Version = LockVersion // a lock of format 1 is written in the current one
	c.Date = l.Date.UTC()
	c.Archives = slices.Clone(l.Archives)
	for i := range c.Archives {
		c.Archives[i].Date = c.Archives[i].Date.UTC()
	}
	c.ToolchainArchives = slices.Clone(l.ToolchainArchives)
	for i := range c.ToolchainArchives {
		c.ToolchainArchives[i].Date = c.ToolchainArchives[i].Date.UTC()
	}
	c.Roots, c.Exclude = sortedUnique(l.Roots), sortedUnique(l.Exclude)
	c.Architectures = map[string]*ArchLock{}
	for arch, al := range l.Architectures {
		if al == nil {
			c.Architectures[arch] = nil
			continue
		}
		rt := slices.Clone(al.Runtime)
		if rt == nil {
			rt = []deb.Locked{}
		}
		sortPackages(rt)
		tc := slices.Clone(al.Toolchain)
		sortPackages(tc)
		c.Architectures[arch] = &ArchLock{Runtime: rt, Toolchain: tc}
	}
	if len(l.Toolchain) > 0 {
		c.Toolchain = sortedUnique(l.Toolchain)
	}
	return &c
}

func sortPackages(pkgs []deb.Locked) {
	slices.SortFunc(pkgs, func(a, b deb.Locked) int { return cmp.Compare(a.Name, b.Name) })
}

// sortedUnique returns a sorted copy of s without duplicates, never nil.
func sortedUnique(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	out = slices.Compact(out)
	if out == nil {
		out = []string{}
	}
	return out
}

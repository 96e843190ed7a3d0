package frontend

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/layercake-build/layercake/debian"
	"github.com/layercake-build/layercake/debian/deb"
	"github.com/layercake-build/layercake/spec"
	"github.com/moby/buildkit/frontend/gateway/client"
)

// requestOutdated is `docker buildx build --call outdated`: the locked
// packages that the archives now have newer versions of.
const requestOutdated = "frontend.outdated"

// OutdatedVersion is the version of --call outdated's JSON. 1.1.0 added
// Change (packages a new lock would add or drop) and Unresolvable.
const OutdatedVersion = "1.1.0"

// Outdated is the result of --call outdated (its result.json).
type Outdated struct {
	// Archives are the suites compared with, in the spec's order.
	Archives []string `json:"archives"`
	// Packages are what writing the lock again would change: locked
	// packages with a newer version, and packages the closure now adds or
	// no longer needs; by architecture, set, then name.
	Packages []OutdatedPackage `json:"packages"`
	// SecurityUpdates counts the Packages whose newer version comes from
	// the security archive; while it is not 0 the call exits 1.
	SecurityUpdates int `json:"securityUpdates"`
	// Unresolvable says, for each set and architecture whose roots the
	// archives can no longer resolve, why: writing the lock again fails
	// there, and only the locked packages' versions were compared.
	Unresolvable []string `json:"unresolvable,omitempty"`
}

// The kinds of OutdatedPackage.Change.
const (
	ChangeNewer   = "newer"   // a higher version of a locked package
	ChangeAdded   = "added"   // a package the closure now needs
	ChangeRemoved = "removed" // a locked package the closure no longer needs
)

// OutdatedPackage is one locked package the archives have a newer version of.
type OutdatedPackage struct {
	// Name, Architecture and Set ("runtime" or "toolchain") say which one.
	Name         string `json:"name"`
	Architecture string `json:"architecture"`
	Set          string `json:"set"`
	// Change is ChangeNewer, ChangeAdded or ChangeRemoved.
	Change string `json:"change"`
	// Locked is the version in the lock, from LockedArchive ("" when
	// added).
	Locked        string `json:"locked"`
	LockedArchive string `json:"lockedArchive"`
	// Available is the version a new lock would take, from Archive (""
	// when removed).
	Available string `json:"available"`
	Archive   string `json:"archive"`
	// Security is true when a newer version comes from the security
	// archive.
	Security bool `json:"security"`
}

// outdated answers --call outdated: for every architecture the lock pins
// (runtime and toolchain), the archives' current indexes are read, the
// lock's roots resolved from them as writing the lock again would, and
// the result compared with the locked packages.
func (b *builder) outdated(ctx context.Context) (*client.Result, error) {
	if err := b.load(ctx); err != nil {
		return nil, err
	}
	lock, err := b.readLockFile(ctx)
	if err != nil {
		if errors.Is(err, errNoLock) {
			return nil, fmt.Errorf("no %s beside %s, so nothing is pinned to compare; %s", LockFile, b.opts.specFile, lockHint)
		}
		return nil, err
	}
	keys, err := b.keyring(ctx)
	if err != nil {
		return nil, err
	}
	r := &resolver{archives: b.archives(b.spec.Debian.Suites), keys: keys, indexes: map[string]*debian.Index{}, record: (*debian.Lock).SetArchives}
	tr := r // the toolchain's own archives (site.build.suite), when it has them
	if ts := lock.ToolchainSuites(); ts != nil {
		tr = &resolver{archives: b.archives(ts), keys: keys, indexes: map[string]*debian.Index{}, record: (*debian.Lock).SetToolchainArchives}
	}
	out := &Outdated{Archives: b.spec.Debian.Suites, Packages: []OutdatedPackage{}}
	for _, arch := range slices.Sorted(maps.Keys(lock.Architectures)) {
		idx, err := r.index(ctx, &debian.Lock{Suite: b.spec.Debian.Suite}, arch)
		if err != nil {
			return nil, b.mirrorError(ctx, err)
		}
		al := lock.Architectures[arch]
		out.compare(b.spec.Debian.Suite, arch, "runtime", al.Runtime, idx, lock.Roots, lock.Exclude)
		if len(al.Toolchain) == 0 {
			continue
		}
		tidx, err := tr.index(ctx, &debian.Lock{Suite: b.spec.Debian.Suite}, arch)
		if err != nil {
			return nil, b.toolchainSuiteError(ctx, err)
		}
		out.compare(b.spec.Debian.Suite, arch, "toolchain", al.Toolchain, tidx, toolchainRoots(tidx, lock.Toolchain), nil)
	}
	return out.result()
}

// compare records what writing the lock again would change in set, whose
// locked packages are pkgs: the closure of roots resolved from idx now.
// When that fails, it records why, and compares the locked packages'
// versions alone.
func (o *Outdated) compare(suite, arch, set string, pkgs []deb.Locked, idx *debian.Index, roots, exclude []string) {
	var changes []OutdatedPackage
	newer := func(l deb.Locked, version, archive string) {
		if debian.CompareVersions(version, l.Version) <= 0 {
			return
		}
		changes = append(changes, OutdatedPackage{Name: l.Name, Architecture: arch, Set: set, Change: ChangeNewer,
			Locked: l.Version, LockedArchive: l.Archive, Available: version, Archive: archive,
			Security: spec.SecuritySuite(suite, archive)})
	}
	now, err := debian.Resolve(idx, roots, exclude)
	if err != nil {
		o.Unresolvable = append(o.Unresolvable, fmt.Sprintf("%s %s: %v", set, arch, err))
		for _, l := range pkgs {
			if vs := idx.Versions(l.Name); len(vs) > 0 {
				newer(l, vs[0].Version, vs[0].Archive)
			}
		}
	} else {
		locked := map[string]deb.Locked{}
		for _, l := range pkgs {
			locked[l.Name] = l
		}
		for _, p := range now {
			l, ok := locked[p.Name]
			if !ok {
				changes = append(changes, OutdatedPackage{Name: p.Name, Architecture: arch, Set: set, Change: ChangeAdded,
					Available: p.Version, Archive: p.Archive})
				continue
			}
			delete(locked, p.Name)
			newer(l, p.Version, p.Archive)
		}
		for _, l := range locked {
			changes = append(changes, OutdatedPackage{Name: l.Name, Architecture: arch, Set: set, Change: ChangeRemoved,
				Locked: l.Version, LockedArchive: l.Archive})
		}
	}
	slices.SortFunc(changes, func(a, b OutdatedPackage) int { return strings.Compare(a.Name, b.Name) })
	for _, c := range changes {
		if c.Security {
			o.SecurityUpdates++
		}
	}
	o.Packages = append(o.Packages, changes...)
}

// result is the subrequest's answer: JSON, a table, and exit status 1
// while a security update is pending (as --check exits 1 on warnings).
func (o *Outdated) result() (*client.Result, error) {
	dt, err := json.MarshalIndent(o, "", "  ")
	if err != nil {
		return nil, err
	}
	res := client.NewResult()
	res.AddMeta("result.json", dt)
	res.AddMeta("result.txt", o.table())
	status := "0"
	if o.SecurityUpdates > 0 {
		status = "1"
	}
	res.AddMeta("result.statuscode", []byte(status))
	res.AddMeta("version", []byte(OutdatedVersion))
	return res, nil
}

// table is the human answer: one line per package, security updates marked,
// then what cannot be resolved any more.
func (o *Outdated) table() []byte {
	var buf bytes.Buffer
	archives := strings.Join(o.Archives, ", ")
	if len(o.Packages) == 0 {
		fmt.Fprintf(&buf, "%s is up to date with %s.\n", LockFile, archives)
	} else {
		w := tabwriter.NewWriter(&buf, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "PACKAGE\tARCH\tSET\tLOCKED\tAVAILABLE\tARCHIVE\tSECURITY")
		var newer, added, removed int
		for _, p := range o.Packages {
			locked, available, archive, mark := p.Locked, p.Available, p.Archive, ""
			switch p.Change {
			case ChangeAdded:
				added++
				locked = "(new)"
			case ChangeRemoved:
				removed++
				available, archive = "(not needed)", p.LockedArchive
			default:
				newer++
			}
			if p.Security {
				mark = "yes"
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", p.Name, p.Architecture, p.Set, locked, available, archive, mark)
		}
		w.Flush()
		var parts []string
		if newer > 0 {
			parts = append(parts, fmt.Sprintf("%d locked packages are behind %s, %d with a security update", newer, archives, o.SecurityUpdates))
		}
		if added+removed > 0 {
			parts = append(parts, fmt.Sprintf("a new lock adds %d and drops %d", added, removed))
		}
		summary := strings.Join(parts, "; ")
		fmt.Fprintf(&buf, "\n%s%s. Write the lock again to take them: docker buildx build --target lock -o . .\n", strings.ToUpper(summary[:1]), summary[1:])
	}
	for _, u := range o.Unresolvable {
		fmt.Fprintf(&buf, "\nWriting the lock again fails now (%s); only the locked packages' versions were compared.\n", u)
	}
	return buf.Bytes()
}

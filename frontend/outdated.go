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

// OutdatedVersion is the version of --call outdated's JSON.
const OutdatedVersion = "1.0.0"

// Outdated is the result of --call outdated (its result.json).
type Outdated struct {
	// Archives are the suites compared with, in the spec's order.
	Archives []string `json:"archives"`
	// Packages are the locked packages with a newer version, by
	// architecture, set, then name.
	Packages []OutdatedPackage `json:"packages"`
	// SecurityUpdates counts the Packages whose newer version comes from
	// the security archive; while it is not 0 the call exits 1.
	SecurityUpdates int `json:"securityUpdates"`
}

// OutdatedPackage is one locked package the archives have a newer version of.
type OutdatedPackage struct {
	// Name, Architecture and Set ("runtime" or "toolchain") say which one.
	Name         string `json:"name"`
	Architecture string `json:"architecture"`
	Set          string `json:"set"`
	// Locked is the version in the lock, from LockedArchive.
	Locked        string `json:"locked"`
	LockedArchive string `json:"lockedArchive"`
	// Available is the highest version across the archives, from Archive.
	Available string `json:"available"`
	Archive   string `json:"archive"`
	// Security is true when Archive is the security archive.
	Security bool `json:"security"`
}

// outdated answers --call outdated: for every architecture the lock pins
// (runtime and toolchain), the archives' current indexes are read and each
// locked package compared with the highest version across them.
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
		out.add(b.spec.Debian.Suite, arch, "runtime", al.Runtime, idx)
		if len(al.Toolchain) == 0 {
			continue
		}
		tidx, err := tr.index(ctx, &debian.Lock{Suite: b.spec.Debian.Suite}, arch)
		if err != nil {
			return nil, b.toolchainSuiteError(ctx, err)
		}
		out.add(b.spec.Debian.Suite, arch, "toolchain", al.Toolchain, tidx)
	}
	return out.result()
}

// add records the packages of set that idx has a newer version of.
func (o *Outdated) add(suite, arch, set string, pkgs []deb.Locked, idx *debian.Index) {
	for _, p := range pkgs {
		vs := idx.Versions(p.Name)
		if len(vs) == 0 || debian.CompareVersions(vs[0].Version, p.Version) <= 0 {
			continue
		}
		sec := spec.SecuritySuite(suite, vs[0].Archive)
		o.Packages = append(o.Packages, OutdatedPackage{
			Name: p.Name, Architecture: arch, Set: set,
			Locked: p.Version, LockedArchive: p.Archive,
			Available: vs[0].Version, Archive: vs[0].Archive, Security: sec,
		})
		if sec {
			o.SecurityUpdates++
		}
	}
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

// table is the human answer: one line per package, security updates marked.
func (o *Outdated) table() []byte {
	var buf bytes.Buffer
	archives := strings.Join(o.Archives, ", ")
	if len(o.Packages) == 0 {
		fmt.Fprintf(&buf, "%s is up to date with %s.\n", LockFile, archives)
		return buf.Bytes()
	}
	w := tabwriter.NewWriter(&buf, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "PACKAGE\tARCH\tSET\tLOCKED\tAVAILABLE\tARCHIVE\tSECURITY")
	for _, p := range o.Packages {
		mark := ""
		if p.Security {
			mark = "yes"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", p.Name, p.Architecture, p.Set, p.Locked, p.Available, p.Archive, mark)
	}
	w.Flush()
	fmt.Fprintf(&buf, "\n%d locked packages are behind %s, %d with a security update. Write the lock again to take them: docker buildx build --target lock -o . .\n",
		len(o.Packages), archives, o.SecurityUpdates)
	return buf.Bytes()
}

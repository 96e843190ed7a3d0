package frontend

import (
	"context"
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/layercake-build/layercake/debian"
	"github.com/layercake-build/layercake/debian/deb"
	"github.com/layercake-build/layercake/llbgen"
	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/frontend/dockerui"
	"github.com/moby/buildkit/frontend/gateway/client"
	fstypes "github.com/tonistiigi/fsutil/types"
)

// lockHint tells the user how to write or refresh the lock.
const lockHint = "write it with: docker buildx build --target lock -o . ."

// errNoLock means there is no lock file beside the spec.
var errNoLock = errors.New("no lock file")

// readLockFile reads layercake.lock from the folder of the spec file.
func (b *builder) readLockFile(ctx context.Context) (*debian.Lock, error) {
	name := path.Join(path.Dir(b.opts.specFile), LockFile)
	ref, err := b.localFiles(ctx, dockerui.DefaultLocalNameDockerfile, dockerui.DefaultLocalNameDockerfile, LockFile,
		llb.FollowPaths([]string{name}), llb.Differ(llb.DiffNone, false), b.at("debian"))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	if _, err := ref.StatFile(ctx, client.StatRequest{Path: name}); err != nil {
		if absent(ctx, ref, name) {
			return nil, errNoLock
		}
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	data, err := readAll(ctx, ref, name)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	b.lockData = data
	lock, err := debian.ParseLock(data)
	if err != nil {
		return nil, lockSourceError(fmt.Errorf("%s: %w; %s", name, err, lockHint), name, data, err)
	}
	return lock, nil
}

// absent reports whether name is missing from ref, judged by listing its
// folder: the gateway's errors do not say "not found" in a typed way, and
// any other failure to read the lock must fail the build, not unpin it.
func absent(ctx context.Context, ref files, name string) bool {
	dir, base := path.Dir(name), path.Base(name)
	list := dir
	if list == "." {
		list = "" // the root, as walkEntries lists it
	}
	entries, err := ref.ReadDir(ctx, client.ReadDirRequest{Path: list})
	if err != nil {
		// Only the lock was transferred: a folder that does not exist
		// holds no lock.
		_, serr := ref.StatFile(ctx, client.StatRequest{Path: dir})
		return serr != nil && dir != "."
	}
	return !slices.ContainsFunc(entries, func(e *fstypes.Stat) bool { return e.Path == base })
}

// request is what a lock must have been made for to serve this spec.
type request struct {
	suite          string
	suites         []string // debian.suites
	roots, exclude []string
	toolchain      []string // site.build.packages, sorted; nil for a prebuilt site
	// toolchainSuites are the toolchain's own archives (site.build.suite),
	// nil when it shares the runtime's.
	toolchainSuites []string
}

func (b *builder) request() request {
	exclude := append(slices.Clone(debian.DefaultExclude), b.spec.Debian.Exclude...)
	slices.Sort(exclude)
	r := request{suite: b.spec.Debian.Suite, suites: b.spec.Debian.Suites, roots: llbgen.RuntimeRoots(), exclude: slices.Compact(exclude)}
	if bld := b.spec.Site.Build; bld != nil {
		r.toolchain = slices.Compact(slices.Sorted(slices.Values(bld.Packages)))
		r.toolchainSuites = b.spec.ToolchainSuites()
	}
	return r
}

// stale explains why lock does not match the spec, or returns "".
func (r request) stale(lock *debian.Lock) string {
	switch {
	case lock.Suite != r.suite:
		return fmt.Sprintf("%s is for Debian %s but the spec asks for %s", LockFile, lock.Suite, r.suite)
	case lock.Version != 1 && !slices.Equal(lock.Suites(), r.suites):
		return fmt.Sprintf("%s takes packages from %v but debian.suites is %v", LockFile, lock.Suites(), r.suites)
	case !slices.Equal(lock.Roots, r.roots):
		return fmt.Sprintf("%s pins the closure of %v, the image needs %v", LockFile, lock.Roots, r.roots)
	case !slices.Equal(lock.Exclude, r.exclude):
		return fmt.Sprintf("%s was resolved with another debian.exclude list", LockFile)
	}
	return ""
}

// coverage is what a lock lacks for a build. It is the one lock policy:
// the build resolves what is missing (pinnedLock) and --check reports it
// (lintLock).
type coverage struct {
	// stale says why the lock was made for another spec; nothing else
	// counts then.
	stale string
	// toolchain says why the lock pins another site.build toolchain.
	toolchain string
	// toolchainField is the spec field toolchain is about.
	toolchainField string
	// arches are the target architectures it has no runtime packages for.
	arches []string
	// noToolchain is set when it pins no toolchain for the build
	// platform's architecture.
	noToolchain bool
}

// cover checks lock against the request for the target architectures and,
// for site.build, the toolchain's ("" for a prebuilt site).
func (r request) cover(lock *debian.Lock, arches []string, toolchainArch string) coverage {
	c := coverage{stale: r.stale(lock)}
	if c.stale != "" {
		return c
	}
	for _, a := range arches {
		if al := lock.Architectures[a]; al == nil || len(al.Runtime) == 0 {
			c.arches = append(c.arches, a)
		}
	}
	if toolchainArch == "" {
		return c
	}
	if al := lock.Architectures[toolchainArch]; al == nil || len(al.Toolchain) == 0 {
		c.noToolchain = true
	} else if !slices.Equal(lock.Toolchain, r.toolchain) {
		c.toolchain, c.toolchainField = fmt.Sprintf("%s pins the toolchain %v but site.build.packages is %v", LockFile, lock.Toolchain, r.toolchain), "site.build.packages"
	} else if got := lock.ToolchainSuites(); !slices.Equal(got, r.toolchainSuites) {
		c.toolchain, c.toolchainField = fmt.Sprintf("%s takes the toolchain from %s but site.build.suite asks for %s", LockFile, suitesOrRuntime(got), suitesOrRuntime(r.toolchainSuites)), "site.build.suite"
	}
	return c
}

// toolchainArch is the Debian architecture the generator runs on (the
// build platform's), or "" for a prebuilt site.
func (b *builder) toolchainArch() (string, error) {
	if b.spec.Site.Build == nil {
		return "", nil
	}
	p := b.buildPlatform()
	return deb.Arch(p.Architecture, p.Variant)
}

// pinnedLock returns the lock beside the spec, resolving what it lacks: the
// whole closure when there is no lock (with a warning that the build is not
// pinned), or an architecture or toolchain it does not cover.
func (b *builder) pinnedLock(ctx context.Context, arches []string) (*debian.Lock, error) {
	tarch, err := b.toolchainArch()
	if err != nil {
		return nil, err
	}
	lock, err := b.readLockFile(ctx)
	if errors.Is(err, errNoLock) {
		b.warn(ctx, fmt.Sprintf("no %s beside %s: packages were resolved from the archive just now, so this image is not pinned; %s", LockFile, b.opts.specFile, lockHint))
		return b.resolve(ctx, arches, tarch)
	}
	if err != nil {
		return nil, err
	}
	req := b.request()
	c := req.cover(lock, arches, tarch)
	if why, at := c.stale, b.spec.KeyPos("debian"); why != "" || c.toolchain != "" {
		if why == "" {
			why, at = c.toolchain, b.spec.Pos(c.toolchainField)
		}
		b.warnAt(ctx, fmt.Sprintf("%s: packages were resolved from the archive just now, so this image is not pinned; update the lock: docker buildx build --target lock -o . .", why), at)
		return b.resolve(ctx, arches, tarch)
	}
	if msg := oldLock(lock, now()); msg != "" {
		b.warnAt(ctx, msg, b.spec.KeyPos("debian"))
	}
	if lock.Version == 1 && len(req.suites) > 1 {
		b.warnAt(ctx, fmt.Sprintf("%s was written by an older layercake from %s alone, so this image has none of the updates of %v; write the lock again to take them: docker buildx build --target lock -o . .", LockFile, lock.Suite, req.suites[1:]), b.spec.KeyPos("debian"))
	}
	missing := c.arches
	if !c.noToolchain {
		tarch = ""
	}
	if len(missing) == 0 && tarch == "" {
		return lock, nil
	}
	b.warn(ctx, fmt.Sprintf("%s lacks %s: resolved from the archive just now, so they are not pinned; %s", LockFile, lacking(missing, tarch), lockHint))
	extra, err := b.resolve(ctx, missing, tarch)
	if err != nil {
		return nil, err
	}
	for _, a := range missing {
		lock.Architectures[a] = extra.Architectures[a]
	}
	if tarch != "" {
		lock.SetToolchain(tarch, req.toolchain, nil)
		lock.Architectures[tarch].Toolchain = extra.Architectures[tarch].Toolchain
		lock.ToolchainArchives = extra.ToolchainArchives
	}
	return lock, nil
}

// suitesOrRuntime shows a toolchain's archives, nil being the runtime's.
func suitesOrRuntime(suites []string) string {
	if suites == nil {
		return "the runtime's archives"
	}
	return fmt.Sprint(suites)
}

// lacking describes what a lock does not cover.
func lacking(arches []string, toolchainArch string) string {
	var parts []string
	if len(arches) > 0 {
		parts = append(parts, fmt.Sprintf("packages for %v", arches))
	}
	if toolchainArch != "" {
		parts = append(parts, "the site.build toolchain for "+toolchainArch)
	}
	return strings.Join(parts, " and ")
}

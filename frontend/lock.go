package frontend

import (
	"context"
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/layercake-build/layercake/debian"
	"github.com/layercake-build/layercake/llbgen"
	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/frontend/dockerui"
	"github.com/moby/buildkit/frontend/gateway/client"
)

// lockHint tells the user how to write or refresh the lock.
const lockHint = "write it with: docker buildx build --target lock -o . ."

// errNoLock means there is no lock file beside the spec.
var errNoLock = errors.New("no lock file")

// readLockFile reads layercake.lock from the folder of the spec file.
func (b *builder) readLockFile(ctx context.Context) (*debian.Lock, error) {
	name := path.Join(path.Dir(b.opts.specFile), LockFile)
	st := llb.Local(dockerui.DefaultLocalNameDockerfile,
		llb.FollowPaths([]string{name}),
		llb.SessionID(b.c.BuildOpts().SessionID),
		llb.SharedKeyHint(dockerui.DefaultLocalNameDockerfile),
		llb.Differ(llb.DiffNone, false),
		progress("load "+LockFile))
	def, err := st.Marshal(ctx)
	if err != nil {
		return nil, err
	}
	res, err := b.c.Solve(ctx, client.SolveRequest{Definition: def.ToPB()})
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	ref, err := res.SingleRef()
	if err != nil {
		return nil, err
	}
	if _, err := ref.StatFile(ctx, client.StatRequest{Path: name}); err != nil {
		return nil, errNoLock
	}
	data, err := readAll(ctx, ref, name)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	lock, err := debian.ParseLock(data)
	if err != nil {
		return nil, lockSourceError(fmt.Errorf("%s: %w; %s", name, err, lockHint), name, data, err)
	}
	return lock, nil
}

// request is what a lock must have been made for to serve this spec.
type request struct {
	suite          string
	roots, exclude []string
	toolchain      []string // site.build.packages, sorted; nil for a prebuilt site
}

func (b *builder) request() request {
	exclude := append(slices.Clone(debian.DefaultExclude), b.spec.Debian.Exclude...)
	slices.Sort(exclude)
	r := request{suite: b.spec.Debian.Suite, roots: llbgen.RuntimeRoots(), exclude: slices.Compact(exclude)}
	if bld := b.spec.Site.Build; bld != nil {
		r.toolchain = slices.Compact(slices.Sorted(slices.Values(bld.Packages)))
	}
	return r
}

// stale explains why lock does not match the spec, or returns "".
func (r request) stale(lock *debian.Lock) string {
	switch {
	case lock.Suite != r.suite:
		return fmt.Sprintf("%s is for Debian %s but the spec asks for %s", LockFile, lock.Suite, r.suite)
	case !slices.Equal(lock.Roots, r.roots):
		return fmt.Sprintf("%s pins the closure of %v, the image needs %v", LockFile, lock.Roots, r.roots)
	case !slices.Equal(lock.Exclude, r.exclude):
		return fmt.Sprintf("%s was resolved with another debian.exclude list", LockFile)
	case len(r.toolchain) > 0 && len(lock.Toolchain) > 0 && !slices.Equal(lock.Toolchain, r.toolchain):
		return fmt.Sprintf("%s pins the toolchain %v but site.build.packages is %v", LockFile, lock.Toolchain, r.toolchain)
	}
	return ""
}

// toolchainArch is the Debian architecture the generator runs on (the
// build platform's), or "" for a prebuilt site.
func (b *builder) toolchainArch() (string, error) {
	if b.spec.Site.Build == nil {
		return "", nil
	}
	p := b.buildPlatform()
	return debian.DebArch(p.Architecture, p.Variant)
}

// resolve reads the archive's index for each architecture and locks the
// runtime closure, and, when toolchainArch is set, the toolchain's closure
// with the essential set (what dpkg's maintainer scripts need).
func (b *builder) resolve(ctx context.Context, arches []string, toolchainArch string) (*debian.Lock, error) {
	req := b.request()
	keys, err := b.keyring(ctx)
	if err != nil {
		return nil, err
	}
	r := &resolver{f: &gatewayFetcher{c: b.c, mirror: b.mirror}, suite: req.suite, keys: keys, indexes: map[string]*debian.Index{}}
	lock := &debian.Lock{Version: debian.LockVersion, Suite: req.suite, Roots: req.roots, Exclude: req.exclude}
	for _, arch := range arches {
		idx, err := r.index(ctx, lock, arch)
		if err != nil {
			return nil, b.mirrorError(ctx, err)
		}
		pkgs, err := debian.Resolve(idx, req.roots, req.exclude)
		if err != nil {
			return nil, b.src.withPositions(fmt.Errorf("resolving %v for %s: %w", req.roots, arch, err), b.spec.Pos("debian"))
		}
		lock.Set(arch, pkgs)
	}
	if toolchainArch == "" || len(req.toolchain) == 0 {
		return lock, nil
	}
	idx, err := r.index(ctx, lock, toolchainArch)
	if err != nil {
		return nil, b.mirrorError(ctx, err)
	}
	pkgs, err := debian.Resolve(idx, append(slices.Clone(req.toolchain), idx.Essential()...), nil)
	if err != nil {
		return nil, b.src.withPositions(fmt.Errorf("site.build.packages: resolving the toolchain %v for %s: %w", req.toolchain, toolchainArch, err), b.spec.Pos("site.build.packages"))
	}
	lock.SetToolchain(toolchainArch, req.toolchain, pkgs)
	return lock, nil
}

// resolver loads each architecture's index once per build.
type resolver struct {
	f       debian.Fetcher
	suite   string
	keys    openpgp.EntityList
	indexes map[string]*debian.Index
}

func (r *resolver) index(ctx context.Context, lock *debian.Lock, arch string) (*debian.Index, error) {
	if idx, ok := r.indexes[arch]; ok {
		return idx, nil
	}
	rel, idx, err := debian.LoadIndex(ctx, r.f, r.suite, arch, debian.WithKeyring(r.keys))
	if err != nil {
		return nil, err
	}
	lock.Date = rel.Date.UTC()
	r.indexes[arch] = idx
	return idx, nil
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
	if why := req.stale(lock); why != "" {
		b.warnAt(ctx, fmt.Sprintf("%s: packages were resolved from the archive just now, so this image is not pinned; update the lock: docker buildx build --target lock -o . .", why), b.spec.Pos("debian"))
		return b.resolve(ctx, arches, tarch)
	}
	var missing []string
	for _, a := range arches {
		if al := lock.Architectures[a]; al == nil || len(al.Runtime) == 0 {
			missing = append(missing, a)
		}
	}
	if al := lock.Architectures[tarch]; tarch != "" && al != nil && len(al.Toolchain) > 0 {
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
	}
	return lock, nil
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

// mirrorError points a failure to read the archive at debian.mirror (or at
// debian.keys when the signature is from an unknown key) and
// says what to check, as a warning: buildx prints a failed download's own
// message as the error, whatever words the frontend adds to it.
func (b *builder) mirrorError(ctx context.Context, err error) error {
	var sig *debian.SignatureError
	if errors.As(err, &sig) {
		return b.src.withPositions(err, b.spec.Pos("debian.keys"))
	}
	b.warnAt(ctx, fmt.Sprintf("reading the Debian archive at %s failed: check that it is reachable from the builder and serves dists/%s/InRelease (set debian.mirror or --build-arg %s)", b.mirror, b.spec.Debian.Suite, ArgMirror), b.spec.Pos("debian.mirror"))
	return b.src.withPositions(err, b.spec.Pos("debian.mirror"))
}

package frontend

import (
	"context"
	"errors"
	"fmt"
	"path"
	"slices"

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
		return nil, fmt.Errorf("%s: %w; %s", name, err, lockHint)
	}
	return lock, nil
}

// request is what a lock must have been made for to serve this spec.
type request struct {
	suite          string
	roots, exclude []string
}

func (b *builder) request() request {
	exclude := append(slices.Clone(debian.DefaultExclude), b.spec.Debian.Exclude...)
	slices.Sort(exclude)
	return request{suite: b.spec.Debian.Suite, roots: llbgen.RuntimeRoots(), exclude: slices.Compact(exclude)}
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
	}
	return ""
}

// resolve reads the archive's index for each architecture and locks the
// runtime closure.
func (b *builder) resolve(ctx context.Context, arches []string) (*debian.Lock, error) {
	req := b.request()
	f := &gatewayFetcher{c: b.c, mirror: b.mirror}
	var lock *debian.Lock
	for _, arch := range arches {
		rel, idx, err := debian.LoadIndex(ctx, f, req.suite, arch)
		if err != nil {
			return nil, err
		}
		pkgs, err := debian.Resolve(idx, req.roots, req.exclude)
		if err != nil {
			return nil, fmt.Errorf("resolving %v for %s: %w", req.roots, arch, err)
		}
		l := debian.LockFrom(rel, req.suite, req.roots, req.exclude, arch, pkgs)
		if lock == nil {
			lock = l
			continue
		}
		lock.Architectures[arch] = l.Architectures[arch]
	}
	return lock, nil
}

// pinnedLock returns the lock beside the spec, resolving what it lacks: the
// whole closure when there is no lock (with a warning that the build is not
// pinned), or an architecture it does not cover.
func (b *builder) pinnedLock(ctx context.Context, arches []string) (*debian.Lock, error) {
	lock, err := b.readLockFile(ctx)
	if errors.Is(err, errNoLock) {
		b.warn(ctx, fmt.Sprintf("no %s beside %s: packages were resolved from the archive just now, so this image is not pinned; %s", LockFile, b.opts.specFile, lockHint))
		return b.resolve(ctx, arches)
	}
	if err != nil {
		return nil, err
	}
	if why := b.request().stale(lock); why != "" {
		return nil, b.src.withPositions(fmt.Errorf("%s; update it: docker buildx build --target lock -o . .", why), b.spec.Pos("debian"))
	}
	var missing []string
	for _, a := range arches {
		if lock.Architectures[a] == nil {
			missing = append(missing, a)
		}
	}
	if len(missing) == 0 {
		return lock, nil
	}
	b.warn(ctx, fmt.Sprintf("%s has no packages for %v: resolved them from the archive just now, so they are not pinned; %s", LockFile, missing, lockHint))
	extra, err := b.resolve(ctx, missing)
	if err != nil {
		return nil, err
	}
	for _, a := range missing {
		lock.Architectures[a] = extra.Architectures[a]
	}
	return lock, nil
}

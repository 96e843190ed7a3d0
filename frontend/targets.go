package frontend

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/containerd/platforms"
	"github.com/layercake-build/layercake/debian"
	"github.com/layercake-build/layercake/debian/deb"
	"github.com/layercake-build/layercake/llbgen"
	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/frontend/dockerui"
	"github.com/moby/buildkit/frontend/gateway/client"
	"github.com/moby/buildkit/solver/errdefs"
	"github.com/moby/buildkit/solver/pb"
	digest "github.com/opencontainers/go-digest"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
	"golang.org/x/sync/errgroup"
)

// buildLock resolves every target platform afresh and returns layercake.lock
// as the only file of the result, for `--target lock -o .`.
func (b *builder) buildLock(ctx context.Context) (*client.Result, error) {
	arches, err := b.debArches()
	if err != nil {
		return nil, err
	}
	tarch, err := b.toolchainArch()
	if err != nil {
		return nil, err
	}
	lock, err := b.resolve(ctx, arches, tarch)
	if err != nil {
		return nil, err
	}
	data, err := lock.Marshal()
	if err != nil {
		return nil, err
	}
	t := llb.WithCreatedTime(b.epoch(lock))
	st := llb.Scratch().File(llb.Mkfile("/"+LockFile, 0o644, data, t), llbgen.Progress("write "+LockFile), b.at("debian"))
	ref, err := b.solve(ctx, st, false)
	if err != nil {
		return nil, err
	}
	return singleResult(ref), nil
}

// targetsLock is the lock for every target platform (see pinnedLock).
func (b *builder) targetsLock(ctx context.Context) (*debian.Lock, error) {
	arches, err := b.debArches()
	if err != nil {
		return nil, err
	}
	lock, err := b.pinnedLock(ctx, arches)
	b.lock = lock
	return lock, err
}

// generate runs llbgen for one platform.
func (b *builder) generate(ctx context.Context, lock *debian.Lock, p ocispecs.Platform) (*llbgen.Output, error) {
	in, err := b.input(ctx, lock, p)
	if err != nil {
		return nil, err
	}
	return llbgen.Build(in)
}

// input is llbgen's input for one platform, with what serving needs from
// the staged site and the context.
func (b *builder) input(ctx context.Context, lock *debian.Lock, p ocispecs.Platform) (llbgen.Input, error) {
	arch, err := deb.Arch(p.Architecture, p.Variant)
	if err != nil {
		return llbgen.Input{}, err
	}
	sources, err := b.sources(ctx)
	if err != nil {
		return llbgen.Input{}, err
	}
	var toolchain []deb.Locked
	if tarch, err := b.toolchainArch(); err != nil {
		return llbgen.Input{}, err
	} else if al := lock.Architectures[tarch]; tarch != "" && al != nil {
		toolchain = al.Toolchain
		b.clockWarned.Do(func() { b.warnUnpinnedClock(ctx, toolchain) })
	}
	helper, err := b.helperImage(ctx)
	if err != nil {
		return llbgen.Input{}, err
	}
	in := llbgen.Input{
		Spec:           b.spec,
		Packages:       lock.Architectures[arch].Runtime,
		Toolchain:      toolchain,
		Mirror:         b.mirror,
		NpmRegistry:    b.opts.npmRegistry,
		CacheNamespace: b.opts.cacheNS,
		Archives:       b.archiveURLs(lock),
		Platform:       p,
		BuildPlatform:  b.buildPlatform(),
		Epoch:          b.epoch(lock),
		EpochFrom:      b.epochFrom(),
		HelperImage:    helper,
		Context:        sources,
		CopyChain:      b.opts.copyChain,
		NoCacheSite:    b.bc.IsNoCache(TargetSite),
		Rerun:          b.c.BuildOpts().SessionID,
		NetworkMode:    b.bc.NetworkMode,
		Labels:         b.bc.Labels,
		SourceMap:      b.src.sm,
	}
	if err := b.serving(ctx, &in); err != nil {
		return llbgen.Input{}, err
	}
	return in, nil
}

// buildSite returns the web root alone, for `--target site -o out/`.
func (b *builder) buildSite(ctx context.Context) (*client.Result, error) {
	lock, err := b.targetsLock(ctx)
	if err != nil {
		return nil, err
	}
	out, err := b.generate(ctx, lock, b.targetPlatforms()[0])
	if err != nil {
		return nil, err
	}
	ref, err := b.solve(ctx, out.Site, false)
	if err != nil {
		return nil, b.downloadHint(ctx, out.Site, err)
	}
	return singleResult(ref), nil
}

// runsNatively reports whether p's binaries run on the build platform, so
// `nginx -t` can run without emulation. The config is the same for every
// platform, so checking it on the native image checks it for all.
func (b *builder) runsNatively(p ocispecs.Platform) bool {
	bp := b.buildPlatform()
	return p.OS == bp.OS && p.Architecture == bp.Architecture
}

// buildImage builds the image of every target platform, checking the
// generated nginx.conf with `nginx -t` in the native one before returning it.
func (b *builder) buildImage(ctx context.Context) (*client.Result, error) {
	if !slices.ContainsFunc(b.targetPlatforms(), b.runsNatively) {
		b.warn(ctx, fmt.Sprintf("no target platform runs on the build platform %s, so nginx -t is not run on the generated config; add %s to --platform to check it", platforms.Format(b.buildPlatform()), platforms.Format(b.buildPlatform())))
	}
	lock, err := b.targetsLock(ctx)
	if err != nil {
		return nil, err
	}
	epoch := b.epoch(lock)
	rb, err := b.bc.Build(ctx, func(ctx context.Context, tp *ocispecs.Platform, _ int) (*dockerui.BuildResult, error) {
		p := b.buildPlatform()
		if tp != nil {
			p = *tp
		}
		in, err := b.input(ctx, lock, p)
		if err != nil {
			return nil, err
		}
		out, err := llbgen.Build(in)
		if err != nil {
			return nil, err
		}
		var ref client.Reference
		eg, ctx := errgroup.WithContext(ctx)
		// nginx -t does not depend on the site and runs meanwhile.
		eg.Go(func() error {
			r, err := b.solve(ctx, out.Image, true)
			if err != nil {
				return b.downloadHint(ctx, out.Image, err)
			}
			ref = r
			return nil
		})
		if b.runsNatively(p) {
			eg.Go(func() error { return b.checkConfig(ctx, out) })
		}
		if err := eg.Wait(); err != nil {
			return nil, err
		}
		return &dockerui.BuildResult{Reference: ref, Image: &out.Config, Epoch: &epoch}, nil
	})
	if err != nil {
		return nil, err
	}
	if err := b.attachSBOMs(ctx, rb, lock); err != nil {
		return nil, err
	}
	return rb.Finalize()
}

// downloadHint explains, in a warning, a solve of st that failed at one of
// its package downloads: BuildKit names the failing vertex in the error
// (which also carries that vertex's spec lines). A locked .deb the archive
// no longer has gets its own explanation (see goneError).
func (b *builder) downloadHint(ctx context.Context, st llb.State, err error) error {
	url, ok := failedDownloadURL(ctx, st, err)
	if !ok {
		return err
	}
	if gone := b.gone(url, err); gone != nil {
		b.hinted.Do(func() { b.warnAt(ctx, gone.Error(), b.spec.Pos("debian.mirror")) })
		return b.src.withPositions(fmt.Errorf("%w: %w", gone, err), b.spec.Pos("debian.mirror"))
	}
	b.hinted.Do(func() {
		b.warnAt(ctx, fmt.Sprintf("downloading a package from %s failed: check that the mirror is reachable from the builder and still serves the locked versions (Debian's archive keeps only current ones: refresh the lock with --target lock -o ., or set %s to a snapshot archive)", b.mirror, ArgMirror), b.spec.Pos("debian.mirror"))
	})
	return b.src.withPositions(err, b.spec.Pos("debian.mirror"))
}

// failedDownload reports whether err, from solving st, failed at one of
// st's HTTP downloads.
func failedDownload(ctx context.Context, st llb.State, err error) bool {
	_, ok := failedDownloadURL(ctx, st, err)
	return ok
}

// failedDownloadURL is the URL of st's HTTP download that err, from
// solving st, failed at.
func failedDownloadURL(ctx context.Context, st llb.State, err error) (string, bool) {
	var ve *errdefs.VertexError
	if !errors.As(err, &ve) {
		return "", false
	}
	url, ok := downloads(ctx, st)[digest.Digest(ve.Digest)]
	return url, ok
}

// downloads are the URLs of st's HTTP sources, by vertex digest.
func downloads(ctx context.Context, st llb.State) map[digest.Digest]string {
	out := map[digest.Digest]string{}
	def, err := st.Marshal(ctx)
	if err != nil {
		return out
	}
	for _, dt := range def.Def {
		var op pb.Op
		if op.UnmarshalVT(dt) != nil {
			continue
		}
		if s := op.GetSource(); s != nil && (strings.HasPrefix(s.Identifier, "http://") || strings.HasPrefix(s.Identifier, "https://")) {
			out[digest.FromBytes(dt)] = s.Identifier
		}
	}
	return out
}

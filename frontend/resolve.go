package frontend

import (
	"context"
	"errors"
	"fmt"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/layercake-build/layercake/debian"
	"github.com/layercake-build/layercake/llbgen"
)

// resolve reads the archive's index for each architecture and locks the
// runtime closure, and, when toolchainArch is set, the toolchain's closure
// with llbgen.ToolchainBase (what dpkg's maintainer scripts need) and
// libfaketime.
func (b *builder) resolve(ctx context.Context, arches []string, toolchainArch string) (*debian.Lock, error) {
	req := b.request()
	keys, err := b.keyring(ctx)
	if err != nil {
		return nil, err
	}
	r := &resolver{archives: b.archives(req.suites), keys: keys, indexes: map[string]*debian.Index{}, record: (*debian.Lock).SetArchives}
	lock := &debian.Lock{Version: debian.LockVersion, Suite: req.suite, Roots: req.roots, Exclude: req.exclude}
	for _, arch := range arches {
		idx, err := r.index(ctx, lock, arch)
		if err != nil {
			return nil, b.mirrorError(ctx, err)
		}
		pkgs, err := debian.Resolve(idx, req.roots, req.exclude)
		if err != nil {
			return nil, b.src.withPositions(fmt.Errorf("resolving %v for %s: %w", req.roots, arch, err), b.spec.KeyPos("debian"))
		}
		lock.Set(arch, pkgs)
	}
	if toolchainArch == "" || len(req.toolchain) == 0 {
		return lock, nil
	}
	if len(req.toolchainSuites) > 0 {
		r = &resolver{archives: b.archives(req.toolchainSuites), keys: keys, indexes: map[string]*debian.Index{}, record: (*debian.Lock).SetToolchainArchives}
	}
	idx, err := r.index(ctx, lock, toolchainArch)
	if err != nil {
		return nil, b.toolchainSuiteError(ctx, err)
	}
	pkgs, err := debian.Resolve(idx, toolchainRoots(idx, req.toolchain), nil)
	if err != nil {
		return nil, b.toolchainError(req.toolchain, toolchainArch, err)
	}
	lock.SetToolchain(toolchainArch, req.toolchain, pkgs)
	return lock, nil
}

// toolchainRoots are what a toolchain of the packages named resolves from
// idx. The base stands in for Debian's Essential set, and libfaketime stops
// the generator's wall clock at the epoch (see llbgen.ToolchainBase and
// llbgen.FakeTimePackage); the lock's roots stay the spec's packages. The
// base comes first, so its packages serve the virtual names (awk) that the
// spec's packages depend on; a base package the archive lacks (Debian's
// have them all) is left out.
func toolchainRoots(idx *debian.Index, named []string) []string {
	var roots []string
	for _, p := range llbgen.ToolchainBase {
		if len(idx.Versions(p)) > 0 {
			roots = append(roots, p)
		}
	}
	return append(append(roots, named...), llbgen.FakeTimePackage)
}

// resolver loads each architecture's index, joined over the archives,
// once per build, and records the archives in the lock.
type resolver struct {
	archives []debian.Archive
	keys     openpgp.EntityList
	indexes  map[string]*debian.Index
	record   func(*debian.Lock, []string, []*debian.Release)
}

func (r *resolver) index(ctx context.Context, lock *debian.Lock, arch string) (*debian.Index, error) {
	if idx, ok := r.indexes[arch]; ok {
		return idx, nil
	}
	rels, idx, err := debian.LoadIndexes(ctx, r.archives, arch, debian.WithKeyring(r.keys))
	if err != nil {
		return nil, err
	}
	suites := make([]string, len(r.archives))
	for i, a := range r.archives {
		suites[i] = a.Suite
	}
	r.record(lock, suites, rels)
	r.indexes[arch] = idx
	return idx, nil
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
	var exp *debian.ExpiredError
	if errors.As(err, &exp) {
		return b.src.withPositions(err, b.spec.Pos("debian.mirror"))
	}
	b.warnAt(ctx, fmt.Sprintf("reading the Debian archives failed: check that they are reachable from the builder, that %s serves dists/%s/InRelease (set debian.mirror or --build-arg %s) and %s serves dists/%s-security/InRelease (set debian.security_mirror or --build-arg %s; or leave the security archive out with debian.suites: [%s])",
		b.mirror, b.spec.Debian.Suite, ArgMirror, b.security, b.spec.Debian.Suite, ArgSecurityMirror, b.spec.Debian.Suite), b.spec.Pos("debian.mirror"))
	return b.src.withPositions(err, b.spec.Pos("debian.mirror"))
}

// toolchainSuiteError points a failure to read the toolchain's own
// archives at site.build.suite; a toolchain from the runtime's archives
// fails as they do.
func (b *builder) toolchainSuiteError(ctx context.Context, err error) error {
	if b.spec.Site.Build == nil || b.spec.Site.Build.Suite == "" {
		return b.mirrorError(ctx, err)
	}
	var sig *debian.SignatureError
	if errors.As(err, &sig) {
		return b.src.withPositions(err, b.spec.Pos("debian.keys"))
	}
	err = fmt.Errorf("site.build.suite: reading the toolchain's archives %v from %s: %w", b.spec.ToolchainSuites(), b.mirror, err)
	return b.src.withPositions(err, b.spec.Pos("site.build.suite"))
}

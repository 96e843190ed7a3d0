package frontend

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/containerd/platforms"
	"github.com/layercake-build/layercake/debian"
	"github.com/layercake-build/layercake/debian/deb"
	"github.com/layercake-build/layercake/internal/clip"
	"github.com/layercake-build/layercake/spec"
	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/frontend/dockerui"
	"github.com/moby/buildkit/frontend/gateway/client"
	"github.com/moby/buildkit/solver/pb"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

// builder carries one build's clients, options and spec.
type builder struct {
	c      gateway
	bc     *dockerui.Client
	opts   options
	src    sourceFile
	entry  *dockerui.Source
	spec   *spec.Spec
	mirror string
	// security is the security archive's URL (see securityMirror).
	security string
	// lock is the build's lock once read (see targetsLock).
	lock *debian.Lock
	// lockData is the lock file as read (nil before, or without one): a
	// copy of it inside the site is never served.
	lockData []byte
	// hinted makes the download hint one warning, however many solves
	// of one build fail at a download.
	hinted sync.Once
	// snippetsWarned makes the snippet warnings one set per build, however
	// many platforms read the snippets.
	snippetsWarned sync.Once
	// runsWarned makes the generator's differing-output warning one per
	// build, however many platforms share the generator.
	runsWarned sync.Once
	// clockWarned makes the warning about a lock without libfaketime one
	// per build.
	clockWarned sync.Once
	// helperPinned is the helper image by digest, once resolved.
	helperMu     sync.Mutex
	helperPinned string
}

// Build is the gateway frontend: BuildKit calls it with the build's client.
// Its error's message is valid UTF-8, whatever file names it quotes.
func Build(ctx context.Context, c client.Client) (*client.Result, error) {
	res, err := build(ctx, c)
	if err != nil && !utf8.ValidString(err.Error()) {
		err = validError{err}
	}
	return res, err
}

// validError is an error whose message names an entry that is not UTF-8:
// BuildKit's gRPC refuses such a message and reports only "exit code: 1",
// so its bytes are escaped (clip.Valid). The error it wraps, with its
// source positions, stays reachable.
type validError struct{ err error }

func (e validError) Error() string { return clip.Valid(e.err.Error()) }
func (e validError) Unwrap() error { return e.err }

func build(ctx context.Context, c client.Client) (*client.Result, error) {
	b, err := start(ctx, c)
	if err != nil {
		return nil, err
	}
	if res, ok, err := b.subrequest(ctx); err != nil || ok {
		return res, err
	}
	if err := b.load(ctx); err != nil {
		return nil, err
	}
	switch b.opts.target {
	case TargetLock:
		return b.buildLock(ctx)
	case TargetSite:
		return b.buildSite(ctx)
	}
	return b.buildImage(ctx)
}

// start reads the options and the spec file.
func start(ctx context.Context, c client.Client) (*builder, error) {
	bo := c.BuildOpts()
	if err := checkCaps(bo.LLBCaps, bo.Caps); err != nil {
		return nil, err
	}
	bc, err := dockerui.NewClient(c)
	if err != nil {
		return nil, err
	}
	opts, err := optionsFrom(bc)
	if err != nil {
		return nil, err
	}
	entry, err := bc.ReadEntrypoint(ctx, "YAML")
	if err != nil {
		return nil, err
	}
	return &builder{c: c, bc: bc, opts: opts, entry: entry, src: sourceFile{sm: entry.SourceMap}}, nil
}

// parseSpec decodes and validates the spec, with source-mapped errors.
func (b *builder) parseSpec() (*spec.Spec, error) {
	sp, err := spec.Load(b.entry.Filename, b.entry.Data)
	if err != nil {
		return nil, b.src.withPositions(err)
	}
	return sp, nil
}

// load validates the spec, picks the mirror and warns about ignored keys.
func (b *builder) load(ctx context.Context) error {
	sp, err := b.parseSpec()
	if err != nil {
		return err
	}
	b.spec = sp
	b.mirror = b.opts.mirror
	if b.mirror == "" {
		b.mirror = sp.Debian.Mirror
	}
	if b.mirror == "" {
		return b.src.withPositions(noMirror(sp, b.entry.Filename))
	}
	b.security = securityMirror(b.opts.security, sp.Debian.SecurityMirror, b.mirror)
	for _, x := range sp.Extensions() {
		b.warnAt(ctx, extensionMessage(x), x.Pos)
	}
	return nil
}

// noMirror is the error of a build that names no Debian archive.
func noMirror(sp *spec.Spec, file string) error {
	return &spec.Error{File: file, Pos: sp.Pos("debian.mirror"), Path: "debian.mirror",
		Msg: "no Debian archive to fetch packages from; set debian.mirror or pass --build-arg " + ArgMirror + "=<archive URL>"}
}

func extensionMessage(x spec.Extension) string {
	return fmt.Sprintf("%s is not a layercake setting and is ignored (keys starting with x- are for your own notes)", x.Path)
}

// warn sends a warning through BuildKit's warning channel, pointing at the
// top of the spec.
func (b *builder) warn(ctx context.Context, msg string) {
	b.warnAt(ctx, msg, spec.Pos{Line: 1, Col: 1})
}

// warnAt sends a warning that buildx shows with the spec line at p.
func (b *builder) warnAt(ctx context.Context, msg string, p spec.Pos) {
	b.entry.Warn(ctx, msg, client.WarnOpts{Range: []*pb.Range{lineRange(p)}})
}

// targetPlatforms are the requested platforms, or the build platform.
func (b *builder) targetPlatforms() []ocispecs.Platform {
	if len(b.bc.TargetPlatforms) > 0 {
		return b.bc.TargetPlatforms
	}
	return []ocispecs.Platform{b.buildPlatform()}
}

func (b *builder) buildPlatform() ocispecs.Platform {
	if len(b.bc.BuildPlatforms) > 0 {
		return b.bc.BuildPlatforms[0]
	}
	return platforms.DefaultSpec()
}

// debArches maps the target platforms to Debian architectures, sorted.
func (b *builder) debArches() ([]string, error) {
	var out []string
	for _, p := range b.targetPlatforms() {
		a, err := deb.Arch(p.Architecture, p.Variant)
		if err != nil {
			return nil, fmt.Errorf("platform %s: %w", platforms.Format(p), err)
		}
		out = append(out, a)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// epoch picks the build's one time: the build arg, else the spec, else the
// lock's archive date.
func (b *builder) epoch(lock *debian.Lock) time.Time {
	switch {
	case b.opts.epoch != nil:
		return *b.opts.epoch
	case b.spec.Epoch != nil:
		return time.Unix(*b.spec.Epoch, 0).UTC()
	}
	return lock.Date.UTC()
}

// epochFrom says where epoch's time came from, for messages.
func (b *builder) epochFrom() string {
	switch {
	case b.opts.epoch != nil:
		return "the SOURCE_DATE_EPOCH build argument"
	case b.spec.Epoch != nil:
		return "the spec's epoch"
	}
	return "the archive date of " + LockFile
}

// solve evaluates st and returns its reference.
// With --no-cache every step runs again; --cache-from imports are used.
func (b *builder) solve(ctx context.Context, st llb.State, evaluate bool) (client.Reference, error) {
	var opts []llb.ConstraintsOpt
	if b.bc.IsNoCache("") {
		opts = append(opts, llb.IgnoreCache)
	}
	def, err := st.Marshal(ctx, opts...)
	if err != nil {
		return nil, err
	}
	if err := checkDefinitionCaps(b.c.BuildOpts().LLBCaps, def); err != nil {
		return nil, err
	}
	res, err := b.c.Solve(ctx, client.SolveRequest{Definition: def.ToPB(), Evaluate: evaluate, CacheImports: b.bc.CacheImports})
	if err != nil {
		return nil, err
	}
	return res.SingleRef()
}

// singleResult wraps one reference as the build's result.
func singleResult(ref client.Reference) *client.Result {
	res := client.NewResult()
	res.SetRef(ref)
	return res
}

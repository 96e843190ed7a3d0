package llbgen

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/layercake-build/layercake/debian/deb"
	"github.com/layercake-build/layercake/hostrules"
	"github.com/layercake-build/layercake/nginxconf"
	"github.com/layercake-build/layercake/spec"
	"github.com/layercake-build/layercake/webroot"
	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/solver/pb"
	dockerspec "github.com/moby/docker-image-spec/specs-go/v1"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

// Input is everything one platform's image depends on.
type Input struct {
	// Spec is validated and has its defaults applied.
	Spec *spec.Spec
	// Packages are the locked runtime packages of Platform's architecture.
	Packages []deb.Locked
	// Toolchain are the locked toolchain packages of BuildPlatform's
	// architecture; needed when the spec has site.build.
	Toolchain []deb.Locked
	// Mirror is the Debian archive URL, without a trailing slash.
	Mirror string
	// Archives are the URLs (without a trailing slash) of the archives
	// packages come from, by suite ("trixie-security": the security
	// archive's URL); a package whose archive is not listed comes from
	// Mirror.
	Archives map[string]string
	// NpmRegistry is the npm registry URL site.build.npm's packages come
	// from; "" is DefaultNpmRegistry.
	NpmRegistry string
	// CacheNamespace, when set, prefixes the ID of every cache mount (as
	// BUILDKIT_CACHE_MOUNT_NS does for a Dockerfile), so the builds of
	// one site share caches that other sites on the builder do not see.
	CacheNamespace string
	// Platform is the image's platform; BuildPlatform runs the helper steps.
	Platform, BuildPlatform ocispecs.Platform
	// Epoch is the time every file and history entry carries.
	Epoch time.Time
	// EpochFrom says where Epoch came from ("the lock's archive date"),
	// for the generator's messages about its pinned clock.
	EpochFrom string
	// HelperImage is the frontend image reference; its /bin/layercake unpacks packages.
	HelperImage string
	// Context is the build context the site is copied from, or, with
	// site.build, the sources the generator sees (already filtered).
	Context llb.State
	// CopyChain joins layers with copies instead of MergeOp, for builders without it.
	CopyChain bool
	// SourceMap is the spec as BuildKit saw it; when set, every vertex
	// points at the spec lines it comes from (see source.go), so a failing
	// step shows them.
	SourceMap *llb.SourceMap
	// NetworkMode is the build's --network (docker build --network host):
	// generator steps with network: true run in it; unset is the builder's
	// sandbox network. Steps without network never get one.
	NetworkMode pb.NetMode
	// NoCacheSite runs the generator and copies the site again even when
	// cached (`--no-cache-filter site`).
	NoCacheSite bool
	// Rerun, with NoCacheSite, is a value that differs in every build (the
	// session's ID): the generator steps get it as RerunEnv and so run
	// again. BuildKit gives a step that ignores the cache empty cache
	// mounts, which would lose the manifests of earlier runs the last step
	// compares with (and the spec's caches); empty, the steps ignore the
	// cache.
	Rerun string
	// SiteEntries list what the site serves, read by the frontend from
	// Output.Staged. They decide the site's layers (see webroot.PlanSite); when
	// empty, the site is one layer.
	SiteEntries []webroot.SiteEntry
	// SiteExclude are more paths of the staged site, relative to it, that
	// are never served (with any link to them): the spec and the lock,
	// found by the frontend below the top of the site (webroot.ServedNever names
	// the ones at the top).
	SiteExclude []string
	// Labels go into the image config (`docker build --label`, compose's
	// build.labels).
	Labels map[string]string
	// Rules are the site's _headers and _redirects, read by the frontend
	// from Output.Staged.
	Rules hostrules.Rules
	// Snippets are the server.include files, read from the build context.
	Snippets []Snippet
}

// Output is the generated LLB of one platform.
type Output struct {
	// Image is the image's root filesystem.
	Image llb.State
	// Site is the web root alone (the `site` target).
	Site llb.State
	// Check runs `nginx -t` as the runtime user on the image without its
	// site layer (the config does not depend on the site, so a site edit
	// finds the check cached); its CheckResult file says whether the
	// generated config passed.
	Check llb.State
	// Config is the image config with one history entry per layer.
	Config dockerspec.DockerOCIImage
	// Layers are the image's layers, bottom first.
	Layers []Layer
	// Staged holds the site as it is in the build context or as the
	// generator wrote it, in the folder StagedDir, before the helper
	// prepares it: the site check, the rule files and the layer plan read it.
	Staged    llb.State
	StagedDir string
	// Report holds the generator's ReportFile (nil for a prebuilt site):
	// which output files differ from an earlier run of the same inputs.
	Report *llb.State
}

// Build generates the LLB of one platform's image.
func Build(in Input) (*Output, error) {
	if err := in.check(); err != nil {
		return nil, err
	}
	debArch, err := deb.Arch(in.Platform.Architecture, in.Platform.Variant)
	if err != nil {
		return nil, err
	}
	src := packageSource{
		mirror: in.Mirror, suite: in.Spec.Debian.Suite, archives: in.Archives, helperImage: in.HelperImage,
		buildPlatform: in.BuildPlatform, epoch: in.Epoch, copyChain: in.CopyChain,
		at: in.locate, network: in.NetworkMode, pinClock: hasPackage(in.Toolchain, FakeTimePackage),
		epochFrom: in.EpochFrom, cacheNS: in.CacheNamespace,
	}
	var layers []Layer
	for _, p := range in.Packages {
		layers = append(layers, src.packageLayer(p))
	}
	staged, stagedDir, what, report := src.site(in)
	server := in.locate(atServer)
	layers = append(layers,
		skeletonLayer(in.Epoch, debArch, in.Spec.Debian.Suite, server),
		nssLayer(in.Epoch, server),
		serverConfigLayer(in.Epoch, nginxconf.Render(in.serverConfig()), in.Snippets, server))
	base := layers
	var siteOpts []llb.ConstraintsOpt
	if in.NoCacheSite {
		siteOpts = append(siteOpts, llb.IgnoreCache)
	}
	siteLayers := src.splitSite(staged, stagedDir, what, in.SiteExcluded(), webroot.PlanSite(in.SiteEntries, MaxLayers-len(base)), in.Spec.Server, siteOpts...)
	layers = append(slices.Clip(base), siteLayers...)
	image := in.locate(atImage)
	return &Output{
		Image:     join(layers, in.CopyChain, image),
		Site:      webRootAlone(siteLayers, in.Epoch, in.locate(atSite)),
		Check:     src.nginxCheck(join(base, in.CopyChain, image)),
		Config:    imageConfig(in.Platform, in.Epoch, in.Spec.Server.Port, in.Labels, layers),
		Layers:    layers,
		Staged:    staged,
		StagedDir: stagedDir,
		Report:    report,
	}, nil
}

// MaxLayers caps the image's layers, far below the 127 that overlay
// filesystems and some registries allow.
const MaxLayers = 40

func (in Input) check() error {
	var errs []error
	if in.Spec == nil {
		errs = append(errs, errors.New("no spec"))
	}
	if len(in.Packages) == 0 {
		errs = append(errs, errors.New("no runtime packages"))
	}
	if in.Mirror == "" {
		errs = append(errs, errors.New("no Debian mirror"))
	}
	if in.HelperImage == "" {
		errs = append(errs, errors.New("no helper image"))
	}
	if in.Spec != nil && in.Spec.Site.Build != nil && len(in.Toolchain) == 0 {
		errs = append(errs, errors.New("no toolchain packages for site.build"))
	}
	if in.Epoch.IsZero() {
		errs = append(errs, errors.New("no epoch"))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("generating LLB: %w", err)
	}
	return nil
}

// site is the staged site: the state and folder holding the site.dir of
// the context, or what the generator wrote.
// what says where it comes from, for progress and history; report is the
// generator's ReportFile folder (nil for a prebuilt site).
func (s packageSource) site(in Input) (st llb.State, dir, what string, report *llb.State) {
	b := in.Spec.Site.Build
	if b == nil {
		return in.Context, in.Spec.Site.Dir, in.Spec.Site.Dir, nil
	}
	var genOpts []llb.ConstraintsOpt
	if len(b.Steps) == 0 { // steps are located each at its own lines
		genOpts = append(genOpts, in.locate(atGenerator))
	}
	if in.NoCacheSite && in.Rerun == "" {
		genOpts = append(genOpts, llb.IgnoreCache)
	} else if in.NoCacheSite {
		s.rerun = in.Rerun
	}
	root := s.withNpmTools(s.toolchainRoot(b.Packages, in.Toolchain), b.NpmTools(), in.NpmRegistry)
	g := s.generateSite(root, in.Context, in, genOpts...)
	return g.state, g.dir, "generated by " + generatorName(b), &g.report
}

// hasPackage says whether pkgs holds the package name.
func hasPackage(pkgs []deb.Locked, name string) bool {
	return slices.ContainsFunc(pkgs, func(p deb.Locked) bool { return p.Name == name })
}

// join stacks the layers bottom first: with MergeOp each input stays its own
// blob; the copy chain gives the same files on builders without MergeOp.
func join(layers []Layer, copyChain bool, at llb.ConstraintsOpt) llb.State {
	if !copyChain {
		states := make([]llb.State, len(layers))
		for i, l := range layers {
			states[i] = l.State
		}
		return llb.Merge(states, Progress(fmt.Sprintf("merge %d layers", len(layers))), at)
	}
	st := layers[0].State
	for _, l := range layers[1:] {
		st = st.File(llb.Copy(l.State, "/", "/", &llb.CopyInfo{CopyDirContentsOnly: true}), Progress("add layer "+l.Name), at)
	}
	return st
}

package llbgen

import (
	"errors"
	"fmt"
	"time"

	"github.com/layercake-build/layercake/debian"
	"github.com/layercake-build/layercake/spec"
	"github.com/moby/buildkit/client/llb"
	dockerspec "github.com/moby/docker-image-spec/specs-go/v1"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

// Input is everything one platform's image depends on.
type Input struct {
	// Spec is validated and has its defaults applied.
	Spec *spec.Spec
	// Packages are the locked runtime packages of Platform's architecture.
	Packages []debian.LockedPackage
	// Mirror is the Debian archive URL, without a trailing slash.
	Mirror string
	// Platform is the image's platform; BuildPlatform runs the helper steps.
	Platform, BuildPlatform ocispecs.Platform
	// Epoch is the time every file and history entry carries.
	Epoch time.Time
	// HelperImage is the frontend image reference; its /bin/layercake unpacks packages.
	HelperImage string
	// Context is the build context the site is copied from.
	Context llb.State
	// CopyChain joins layers with copies instead of MergeOp, for builders without it.
	CopyChain bool
}

// Output is the generated LLB of one platform.
type Output struct {
	// Image is the image's root filesystem.
	Image llb.State
	// Site is the web root alone (the `site` target).
	Site llb.State
	// Check runs `nginx -t` on the image as its runtime user; solving it fails
	// the build when the generated config is bad.
	Check llb.State
	// Config is the image config with one history entry per layer.
	Config dockerspec.DockerOCIImage
	// Layers are the image's layers, bottom first.
	Layers []Layer
}

// Build generates the LLB of one platform's image.
func Build(in Input) (*Output, error) {
	if err := in.check(); err != nil {
		return nil, err
	}
	debArch, err := debian.DebArch(in.Platform.Architecture, in.Platform.Variant)
	if err != nil {
		return nil, err
	}
	src := packageSource{
		mirror: in.Mirror, suite: in.Spec.Debian.Suite, helperImage: in.HelperImage,
		buildPlatform: in.BuildPlatform, epoch: in.Epoch,
	}
	var layers []Layer
	for _, p := range in.Packages {
		layers = append(layers, src.packageLayer(p))
	}
	site := siteLayer(in.Context, in.Spec.Site.Dir, in.Epoch)
	layers = append(layers,
		skeletonLayer(in.Epoch, debArch),
		nssLayer(in.Epoch),
		configLayer(in.Epoch, NginxConf(ServerConfig{Port: in.Spec.Server.Port, Root: WebRoot})),
		site)
	img := join(layers, in.CopyChain)
	return &Output{
		Image:  img,
		Site:   webRootAlone(site, in.Epoch),
		Check:  nginxCheck(img),
		Config: imageConfig(in.Platform, in.Epoch, in.Spec.Server.Port, layers),
		Layers: layers,
	}, nil
}

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
	if in.Epoch.IsZero() {
		errs = append(errs, errors.New("no epoch"))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("generating LLB: %w", err)
	}
	return nil
}

// join stacks the layers bottom first: with MergeOp each input stays its own
// blob; the copy chain gives the same files on builders without MergeOp.
func join(layers []Layer, copyChain bool) llb.State {
	if !copyChain {
		states := make([]llb.State, len(layers))
		for i, l := range layers {
			states[i] = l.State
		}
		return llb.Merge(states, progress(fmt.Sprintf("merge %d layers", len(layers))))
	}
	st := layers[0].State
	for _, l := range layers[1:] {
		st = st.File(llb.Copy(l.State, "/", "/", &llb.CopyInfo{CopyDirContentsOnly: true}), progress("add layer "+l.Name))
	}
	return st
}

// nginxCheck runs `nginx -t` inside the image, as nobody, with no network.
func nginxCheck(img llb.State) llb.State {
	run := img.Run(
		llb.Args([]string{NginxBinary, "-t", "-c", ConfigPath, "-e", "stderr"}),
		llb.User(fmt.Sprintf("%d:%d", NobodyUID, NobodyGID)),
		llb.Network(llb.NetModeNone),
		progress("nginx -t (check the generated config)"))
	return run.Root()
}

package llbgen

import (
	"fmt"
	"path"
	"strconv"
	"time"

	"github.com/layercake-build/layercake/debian/deb"
	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/solver/pb"
	digest "github.com/opencontainers/go-digest"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

// HelperBinary is the layercake binary inside the frontend image.
const HelperBinary = "/bin/layercake"

// packageSource says where packages come from and what unpacks them.
type packageSource struct {
	mirror, suite string
	// archives are the URLs of the archives by suite (Input.Archives).
	archives      map[string]string
	helperImage   string
	buildPlatform ocispecs.Platform
	epoch         time.Time
	// copyChain joins states with copies: the builder has no MergeOp.
	copyChain bool
	// at locates a vertex at a spec path (see source.go).
	at func(path string) llb.ConstraintsOpt
	// network is the build's --network, for generator steps with network.
	network pb.NetMode
	// pinClock runs generator steps without network under libfaketime,
	// with the wall clock stopped at the epoch (the toolchain has it).
	pinClock bool
	// epochFrom says where epoch came from (Input.EpochFrom).
	epochFrom string
	// rerun, when set, is RerunEnv's value for the generator steps.
	rerun string
	// cacheNS prefixes cache mount IDs (Input.CacheNamespace).
	cacheNS string
}

// cacheID is the ID of the builder's cache mount id in this build's
// namespace: as a Dockerfile's cache mounts are, namespace + "/" + id.
func (s packageSource) cacheID(id string) string {
	if s.cacheNS == "" {
		return id
	}
	return s.cacheNS + "/" + id
}

// packageLayer downloads one pinned .deb (BuildKit checks the lock's sha256)
// and unpacks it with the frontend image's own helper, with no network and no
// maintainer scripts.
func (s packageSource) packageLayer(p deb.Locked) Layer {
	name := s.describe(p)
	file := path.Base(p.Path)
	at := s.at(atRuntime)
	run := s.helper(at).Run(
		llb.Args([]string{HelperBinary, "unpack", "--epoch", strconv.FormatInt(s.epoch.Unix(), 10), "--out", "/out", "/in/" + file}),
		llb.Network(llb.NetModeNone),
		Progress("unpack "+name), at)
	run.AddMount("/in", s.fetch(p, at), llb.Readonly)
	return Layer{Name: name, State: run.AddMount("/out", llb.Scratch())}
}

// describe names a package for progress and history.
func (s packageSource) describe(p deb.Locked) string {
	suite := p.Archive
	if suite == "" {
		suite = s.suite
	}
	return fmt.Sprintf("%s %s (debian %s %s)", p.Name, p.Version, suite, p.Architecture)
}

// url is where p is downloaded from: its path in its archive.
func (s packageSource) url(p deb.Locked) string {
	if base, ok := s.archives[p.Archive]; ok {
		return base + "/" + p.Path
	}
	return s.mirror + "/" + p.Path
}

// fetch downloads one pinned .deb; BuildKit checks the lock's sha256. The
// state holds the file at /<basename of its pool path>.
func (s packageSource) fetch(p deb.Locked, at llb.ConstraintsOpt) llb.State {
	return llb.HTTP(s.url(p),
		llb.Checksum(digest.NewDigestFromEncoded(digest.SHA256, p.SHA256)),
		llb.Filename(path.Base(p.Path)),
		Progress("fetch "+s.describe(p)), at)
}

// helper is the frontend image, run on the build platform, located where
// the step that runs it is.
func (s packageSource) helper(at llb.ConstraintsOpt) llb.State {
	return llb.Image(s.helperImage, llb.Platform(s.buildPlatform), Progress("helper image "+s.helperImage), at)
}

// RuntimeRoots are the Debian packages the image is built from; their
// dependency closure, less the excluded packages, becomes the package layers.
// The brotli module serves the precompressed .br files (loaded only when
// server.compress has br).
func RuntimeRoots() []string { return []string{"libnginx-mod-http-brotli-static", "nginx"} }

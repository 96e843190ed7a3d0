package llbgen

import (
	"fmt"
	"path"
	"strconv"
	"time"

	"github.com/layercake-build/layercake/debian"
	"github.com/moby/buildkit/client/llb"
	digest "github.com/opencontainers/go-digest"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

// HelperBinary is the layercake binary inside the frontend image.
const HelperBinary = "/bin/layercake"

// packageSource says where packages come from and what unpacks them.
type packageSource struct {
	mirror, suite string
	helperImage   string
	buildPlatform ocispecs.Platform
	epoch         time.Time
}

// packageLayer downloads one pinned .deb (BuildKit checks the lock's sha256)
// and unpacks it with the frontend image's own helper, with no network and no
// maintainer scripts.
func (s packageSource) packageLayer(p debian.LockedPackage) Layer {
	name := fmt.Sprintf("%s %s (debian %s %s)", p.Name, p.Version, s.suite, p.Architecture)
	file := path.Base(p.Path)
	deb := llb.HTTP(s.mirror+"/"+p.Path,
		llb.Checksum(digest.NewDigestFromEncoded(digest.SHA256, p.SHA256)),
		llb.Filename(file),
		progress("fetch "+name))
	run := llb.Image(s.helperImage, llb.Platform(s.buildPlatform), progress("helper image "+s.helperImage)).Run(
		llb.Args([]string{HelperBinary, "unpack", "--epoch", strconv.FormatInt(s.epoch.Unix(), 10), "--out", "/out", "/in/" + file}),
		llb.Network(llb.NetModeNone),
		progress("unpack "+name))
	run.AddMount("/in", deb, llb.Readonly)
	return Layer{Name: name, State: run.AddMount("/out", llb.Scratch())}
}

// RuntimeRoots are the Debian packages the image is built from; their
// dependency closure, less the excluded packages, becomes the package layers.
func RuntimeRoots() []string { return []string{"nginx"} }

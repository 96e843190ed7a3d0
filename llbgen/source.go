package llbgen

import (
	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/solver/pb"
)

// Spec locations. Every vertex carries the line of the spec it comes from,
// as BuildKit's Dockerfile frontend attaches each instruction's lines, so
// buildx shows the user's lines when any step fails: the runtime packages
// come from debian:, the toolchain from site.build.packages, the generator
// from its run:, the filesystem, config and nginx -t from server:, and the
// site from site:. Locations travel beside the graph, not in its ops, so
// they change no cache key.

// Spec paths vertices are located at.
const (
	atRuntime   = "debian"
	atToolchain = "site.build.packages"
	atGenerator = "site.build.run"
	atServer    = "server"
	atSite      = "site"
	atImage     = "version" // steps that join the whole image
)

// locate returns the location of a spec path's key (its nearest written
// parent's when absent). Without a source map it attaches nothing.
func (in Input) locate(path string) llb.ConstraintsOpt {
	line := int32(max(in.Spec.KeyPos(path).Line, 1))
	return in.SourceMap.Location([]*pb.Range{{Start: &pb.Position{Line: line}, End: &pb.Position{Line: line}}})
}

package frontend

import (
	"fmt"
	"slices"
	"strings"

	"github.com/moby/buildkit/client/llb"
	gatewaypb "github.com/moby/buildkit/frontend/gateway/pb"
	"github.com/moby/buildkit/solver/pb"
	"github.com/moby/buildkit/util/apicaps"
)

// MinimumBuilder names the oldest builders that have every capability
// layercake relies on (BuildKit v0.19 added file.symlink.create; Docker
// Engine 28.0 was the first release to embed a BuildKit that new).
const MinimumBuilder = "BuildKit v0.19 (Docker Engine 28.0)"

// requiredLLBCaps are the LLB capabilities every layercake build uses.
// file.symlink.create is listed here because BuildKit's client does not
// declare it in a marshalled definition, and an older builder rejects a
// symlink action with "invalid action type <nil>". The symbolic chmod of the
// site copy (u=rwX,go=rX) has a cap ID that no builder advertises; it came
// in BuildKit v0.17, before file.symlink.create, so this list covers it.
var requiredLLBCaps = []apicaps.CapID{
	pb.CapExecMetaBase,
	pb.CapExecMetaNetwork,
	pb.CapExecMountBind,
	pb.CapExecMountCache,
	pb.CapExecMountCacheSharing,
	pb.CapFileBase,
	pb.CapFileSymlinkCreate,
	pb.CapSourceHTTP,
	pb.CapSourceHTTPChecksum,
	pb.CapSourceImage,
	pb.CapSourceLocal,
}

// requiredGatewayCaps are the gateway calls the frontend makes.
var requiredGatewayCaps = []apicaps.CapID{
	gatewaypb.CapSolveBase,
	gatewaypb.CapReadFile,
	gatewaypb.CapReadDir,
	gatewaypb.CapStatFile,
	gatewaypb.CapReturnMap,
	gatewaypb.CapGatewayEvaluateSolve,
	gatewaypb.CapGatewayWarnings,
}

// OldBuilderError is a builder that lacks capabilities layercake needs.
type OldBuilderError struct {
	// Missing are the capabilities the builder does not support, sorted.
	Missing []apicaps.CapID
}

func (e *OldBuilderError) Error() string {
	ids := make([]string, len(e.Missing))
	for i, id := range e.Missing {
		ids[i] = string(id)
	}
	return fmt.Sprintf("this builder is too old for layercake, which needs %s or newer (missing: %s); "+
		"update Docker Engine, or build with a newer BuildKit: `docker buildx create --use --name layercake --driver docker-container` "+
		"then `docker buildx build .`", MinimumBuilder, strings.Join(ids, ", "))
}

// checkCaps returns an *OldBuilderError when the builder lacks any of the
// capabilities layercake always uses.
func checkCaps(llbCaps, gatewayCaps apicaps.CapSet) error {
	missing := missingCaps(llbCaps, requiredLLBCaps)
	missing = append(missing, missingCaps(gatewayCaps, requiredGatewayCaps)...)
	if len(missing) > 0 {
		return &OldBuilderError{Missing: missing}
	}
	return nil
}

// checkDefinitionCaps returns an *OldBuilderError when a definition needs a
// capability the builder lacks, so a new kind of step fails with one clear
// message instead of a solver error.
func checkDefinitionCaps(llbCaps apicaps.CapSet, def *llb.Definition) error {
	var ids []apicaps.CapID
	for _, md := range def.Metadata {
		for id, on := range md.Caps {
			if on {
				ids = append(ids, id)
			}
		}
	}
	if missing := missingCaps(llbCaps, ids); len(missing) > 0 {
		return &OldBuilderError{Missing: missing}
	}
	return nil
}

// missingCaps lists the ids caps does not support, sorted and unique.
func missingCaps(caps apicaps.CapSet, ids []apicaps.CapID) []apicaps.CapID {
	seen := map[apicaps.CapID]bool{}
	var out []apicaps.CapID
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		if caps.Supports(id) != nil {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

package frontend

import (
	"context"

	"github.com/containerd/platforms"
	"github.com/layercake-build/layercake/debian"
	"github.com/layercake-build/layercake/debian/deb"
	"github.com/layercake-build/layercake/llbgen"
	"github.com/layercake-build/layercake/sbom"
	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/frontend/dockerui"
	"github.com/moby/buildkit/frontend/gateway/client"
	gatewaypb "github.com/moby/buildkit/frontend/gateway/pb"
	"github.com/moby/buildkit/solver/result"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

// sbomPath is where the SPDX document lives in its attestation state.
const sbomPath = "/sbom.spdx.json"

// attachSBOMs adds, for `--sbom=true`, an SPDX document per platform made
// from the lock: no scanner image runs, and the image itself is untouched.
func (b *builder) attachSBOMs(ctx context.Context, rb *dockerui.ResultBuilder, lock *debian.Lock) error {
	if b.bc.SBOM == nil {
		return nil
	}
	return rb.EachPlatform(ctx, func(ctx context.Context, id string, p ocispecs.Platform) error {
		att, err := b.sbomAttestation(ctx, lock, p)
		if err != nil {
			return err
		}
		rb.AddAttestation(id, att)
		return nil
	})
}

func (b *builder) sbomAttestation(ctx context.Context, lock *debian.Lock, p ocispecs.Platform) (result.Attestation[client.Reference], error) {
	var att result.Attestation[client.Reference]
	arch, err := deb.Arch(p.Architecture, p.Variant)
	if err != nil {
		return att, err
	}
	epoch := b.epoch(lock)
	doc, err := sbom.SPDX(sbom.Image{
		Platform: platforms.Format(p),
		Suite:    lock.Suite,
		Packages: lock.Architectures[arch].Runtime,
		Site:     b.siteOrigin(),
		Created:  epoch,
		Tool:     "layercake-" + Version,
	})
	if err != nil {
		return att, err
	}
	st := llb.Scratch().File(llb.Mkfile(sbomPath, 0o644, doc, llb.WithCreatedTime(epoch)), llbgen.Progress("SBOM for "+platforms.Format(p)), b.at("version"))
	ref, err := b.solve(ctx, st, false)
	if err != nil {
		return att, err
	}
	return result.Attestation[client.Reference]{
		Kind:     gatewaypb.AttestationKind_InToto,
		Ref:      ref,
		Path:     sbomPath,
		Metadata: map[string][]byte{result.AttestationReasonKey: []byte(result.AttestationReasonSBOM)},
		InToto:   result.InTotoAttestation{PredicateType: sbom.PredicateType},
	}, nil
}

// siteOrigin says where the served files come from, for the SBOM.
func (b *builder) siteOrigin() string {
	if bld := b.spec.Site.Build; bld != nil {
		return "generated in the build by: " + bld.Run.String()
	}
	return "the build context's " + b.spec.Site.Dir + " folder"
}

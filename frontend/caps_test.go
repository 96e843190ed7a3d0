package frontend

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/moby/buildkit/client/llb"
	gatewaypb "github.com/moby/buildkit/frontend/gateway/pb"
	"github.com/moby/buildkit/solver/pb"
	"github.com/moby/buildkit/util/apicaps"
	apicapspb "github.com/moby/buildkit/util/apicaps/pb"
)

// capSet is a builder that supports every cap of list except those left out.
func capSet(list *apicaps.CapList, without ...apicaps.CapID) apicaps.CapSet {
	var caps []*apicapspb.APICap
	for _, c := range list.All() {
		if !slices.Contains(without, apicaps.CapID(c.ID)) {
			caps = append(caps, c)
		}
	}
	return list.CapSet(caps)
}

func TestCheckCaps(t *testing.T) {
	for _, tc := range []struct {
		name         string
		llb, gateway apicaps.CapSet
		wantMissing  []apicaps.CapID
	}{
		{"current builder", capSet(&pb.Caps), capSet(&gatewaypb.Caps), nil},
		// BuildKit v0.18 (Docker Engine 27): no symlink action.
		{"no symlink action", capSet(&pb.Caps, pb.CapFileSymlinkCreate), capSet(&gatewaypb.Caps), []apicaps.CapID{pb.CapFileSymlinkCreate}},
		// BuildKit v0.10: no warnings either.
		{"older", capSet(&pb.Caps, pb.CapFileSymlinkCreate), capSet(&gatewaypb.Caps, gatewaypb.CapGatewayWarnings),
			[]apicaps.CapID{pb.CapFileSymlinkCreate, gatewaypb.CapGatewayWarnings}},
		// MergeOp is optional: the copy chain replaces it.
		{"no MergeOp", capSet(&pb.Caps, pb.CapMergeOp), capSet(&gatewaypb.Caps), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := checkCaps(tc.llb, tc.gateway)
			var old *OldBuilderError
			if tc.wantMissing == nil {
				if err != nil {
					t.Fatalf("checkCaps() = %v, want nil", err)
				}
				return
			}
			if !errors.As(err, &old) {
				t.Fatalf("checkCaps() = %v, want an *OldBuilderError", err)
			}
			if !slices.Equal(old.Missing, tc.wantMissing) {
				t.Errorf("Missing = %v, want %v", old.Missing, tc.wantMissing)
			}
			for _, want := range []string{MinimumBuilder, "docker buildx create", string(tc.wantMissing[0])} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not name %q", err, want)
				}
			}
		})
	}
}

// A definition that needs a capability the builder lacks fails before it is
// solved, with the same message.
func TestCheckDefinitionCaps(t *testing.T) {
	st := llb.Merge([]llb.State{llb.Scratch().File(llb.Mkdir("/a", 0o755)), llb.Scratch().File(llb.Mkdir("/b", 0o755))})
	def, err := st.Marshal(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if err := checkDefinitionCaps(capSet(&pb.Caps), def); err != nil {
		t.Errorf("checkDefinitionCaps(all caps) = %v", err)
	}
	err = checkDefinitionCaps(capSet(&pb.Caps, pb.CapMergeOp), def)
	var old *OldBuilderError
	if !errors.As(err, &old) || !slices.Equal(old.Missing, []apicaps.CapID{pb.CapMergeOp}) {
		t.Errorf("checkDefinitionCaps(no mergeop) = %v, want mergeop missing", err)
	}
}

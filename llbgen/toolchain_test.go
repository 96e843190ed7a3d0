package llbgen

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/layercake-build/layercake/debian/deb"
	"github.com/layercake-build/layercake/internal/llbtest"
	"github.com/moby/buildkit/solver/pb"
	digest "github.com/opencontainers/go-digest"
)

// unpackDigests maps each toolchain package's unpack step to its digest.
func unpackDigests(t *testing.T, in Input) map[string]digest.Digest {
	t.Helper()
	g := llbtest.Marshal(t, mustBuild(t, in).Image)
	out := map[string]digest.Digest{}
	for _, d := range g.Named("[layercake] toolchain: unpack ") {
		name := strings.Fields(strings.TrimPrefix(g.Names[d], "[layercake] toolchain: unpack "))[0]
		out[name] = d
	}
	return out
}

// Every toolchain package is unpacked in a step of its own whose inputs are
// the helper and that one pinned .deb, with no network.
func TestToolchainUnpacksEachPackageAlone(t *testing.T) {
	in := generatorInput(t, hugoBuild)
	g := llbtest.Marshal(t, mustBuild(t, in).Image)
	for _, p := range in.Toolchain {
		op := g.One(t, "[layercake] toolchain: unpack "+p.Name+" ")
		exec := op.GetExec()
		if exec.Network != pb.NetMode_NONE {
			t.Errorf("unpack %s: network %v, want none", p.Name, exec.Network)
		}
		if !slices.Contains(exec.Meta.Args, "--dpkg") {
			t.Errorf("unpack %s: args %q lack --dpkg", p.Name, exec.Meta.Args)
		}
		var sources []string
		for i := range op.Inputs {
			if src := g.Input(op, i).GetSource(); src != nil {
				sources = append(sources, src.Identifier)
			}
		}
		if !slices.ContainsFunc(sources, func(s string) bool { return strings.HasSuffix(s, p.Path) }) {
			t.Errorf("unpack %s: sources %q, want one ending in %s", p.Name, sources, p.Path)
		}
		if len(op.Inputs) != 2 {
			t.Errorf("unpack %s: %d inputs, want 2 (helper, .deb)", p.Name, len(op.Inputs))
		}
	}
}

// Adding a package, or a lock refresh that changes one, leaves every other
// package's unpack step as it was, so BuildKit re-does only that one.
func TestToolchainChangeReunpacksOnlyWhatChanged(t *testing.T) {
	in := generatorInput(t, hugoBuild)
	before := unpackDigests(t, in)
	in.Toolchain = append(slices.Clone(in.Toolchain), deb.Locked{Name: "pandoc", Version: "3.1-1",
		Architecture: "amd64", Path: "pool/main/p/pandoc/pandoc_3.1-1_amd64.deb", Size: 1, SHA256: strings.Repeat("9", 64)})
	in.Toolchain[2].SHA256 = strings.Repeat("8", 64) // hugo refreshed
	after := unpackDigests(t, in)
	if len(after) != len(before)+1 {
		t.Fatalf("unpack steps = %d, want %d", len(after), len(before)+1)
	}
	for name, d := range before {
		changed := after[name] != d
		if changed != (name == "hugo") {
			t.Errorf("unpack %s changed = %v, want %v", name, changed, name == "hugo")
		}
	}
}

// Without MergeOp the package layers are joined by one file op (one
// snapshot), with one copy per layer.
func TestToolchainCopyChainIsOneFileOp(t *testing.T) {
	in := generatorInput(t, hugoBuild)
	in.CopyChain = true
	g := llbtest.Marshal(t, mustBuild(t, in).Image)
	join := g.One(t, "[layercake] toolchain: join").GetFile()
	if join == nil {
		t.Fatal("toolchain join is not a file op")
	}
	if got, want := len(join.Actions), len(in.Toolchain); got != want {
		t.Errorf("copies = %d, want %d (one per package onto the empty root)", got, want)
	}
	for i, a := range join.Actions {
		if a.GetCopy() == nil {
			t.Errorf("action %d is not a copy: %v", i, fmt.Sprint(a))
		}
	}
}

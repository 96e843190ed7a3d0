package llbgen

import (
	"fmt"
	"path"
	"slices"
	"strings"
	"testing"

	"github.com/layercake-build/layercake/debian/deb"
	"github.com/layercake-build/layercake/testkit/llbtest"
	"github.com/moby/buildkit/solver/pb"
	digest "github.com/opencontainers/go-digest"
)

// bigToolchain is two large packages and twenty small ones.
func bigToolchain() []deb.Locked {
	var out []deb.Locked
	add := func(name string, size int64) {
		out = append(out, deb.Locked{Name: name, Version: "1.0-1", Architecture: "amd64",
			Path: fmt.Sprintf("pool/main/x/%s/%s_1.0-1_amd64.deb", name, name), Size: size,
			SHA256: fmt.Sprintf("%064x", len(out)+1)})
	}
	add("ghc", 76<<20)
	add("pandoc", 3<<20)
	for i := range 20 {
		add(fmt.Sprintf("libghc-small%d-dev", i), 100<<10)
	}
	return out
}

// unpackSteps maps each toolchain package to the digest of the step that
// unpacks it, and returns the number of unpack steps.
func unpackSteps(t *testing.T, in Input) (map[string]digest.Digest, int) {
	t.Helper()
	g := llbtest.Marshal(t, mustBuild(t, in).Image)
	out := map[string]digest.Digest{}
	steps := g.Named("[layercake] toolchain: unpack ")
	for _, d := range steps {
		for _, a := range g.Ops[d].GetExec().Meta.Args {
			if strings.HasPrefix(a, "/in/") {
				name := strings.Split(a, "/")[2]
				if _, dup := out[name]; dup {
					t.Errorf("%s is unpacked twice", name)
				}
				out[name] = d
			}
		}
	}
	return out, len(steps)
}

// Large packages get an unpack step each; small ones share a few steps.
// Every step's inputs are the helper and its pinned .debs, with no network.
func TestToolchainUnpackSteps(t *testing.T) {
	in := generatorInput(t, hugoBuild)
	in.Toolchain = bigToolchain()
	byPkg, n := unpackSteps(t, in)
	if len(byPkg) != len(in.Toolchain) {
		t.Fatalf("packages unpacked = %d, want %d", len(byPkg), len(in.Toolchain))
	}
	if want := len(toolchainGroups(in.Toolchain)); n != want || n < 4 || n > 2+smallGroups {
		t.Errorf("unpack steps = %d, want %d (two large packages alone, the small ones in groups)", n, want)
	}
	g := llbtest.Marshal(t, mustBuild(t, in).Image)
	for _, p := range in.Toolchain {
		op := g.Ops[byPkg[p.Name]]
		exec := op.GetExec()
		if exec.Network != pb.NetMode_NONE || !slices.Contains(exec.Meta.Args, "--dpkg") {
			t.Errorf("unpack %s: network %v, args %q", p.Name, exec.Network, exec.Meta.Args)
		}
		var sources []string
		for i := range op.Inputs {
			if src := g.Input(op, i).GetSource(); src != nil && strings.HasPrefix(src.Identifier, "http") {
				sources = append(sources, path.Base(src.Identifier))
			}
		}
		if len(op.Inputs) != len(sources)+1 || !slices.Contains(sources, path.Base(p.Path)) {
			t.Errorf("unpack %s: %d inputs, .debs %q; want the helper and the step's .debs", p.Name, len(op.Inputs), sources)
		}
		if p.Size >= smallPackage && len(sources) != 1 {
			t.Errorf("large package %s shares its step with %q", p.Name, sources)
		}
	}
}

// Packages under 2 MiB share their steps, and those steps are at most 8:
// each step costs a container start, which on a toolchain like Hugo's (68
// packages, most of them small) took longer than the unpacking itself.
func TestToolchainSmallPackagesShareFewSteps(t *testing.T) {
	in := generatorInput(t, hugoBuild)
	in.Toolchain = bigToolchain()
	for i := range 40 {
		in.Toolchain = append(in.Toolchain, deb.Locked{Name: fmt.Sprintf("libmid%d", i), Version: "1", Architecture: "amd64",
			Path: fmt.Sprintf("pool/main/l/libmid%d/libmid%d_1_amd64.deb", i, i), Size: 1536 << 10, SHA256: fmt.Sprintf("%064x", 100+i)})
	}
	byPkg, n := unpackSteps(t, in)
	if n > 2+8 {
		t.Errorf("unpack steps = %d, want at most 10 (ghc and pandoc alone, the rest in 8 groups)", n)
	}
	if byPkg["libmid0"] == byPkg["ghc"] || byPkg["libmid0"] == byPkg["pandoc"] {
		t.Error("a 1.5 MiB package shares its step with a large one")
	}
}

// Adding a package, or a lock refresh that changes one, re-unpacks that
// package (with its group when it is small) and nothing else.
func TestToolchainChangeReunpacksOnlyWhatChanged(t *testing.T) {
	in := generatorInput(t, hugoBuild)
	in.Toolchain = bigToolchain()
	before, _ := unpackSteps(t, in)
	for _, tc := range []struct {
		name    string
		change  func([]deb.Locked) []deb.Locked
		touched string // the package whose step may change
	}{
		{"large refreshed", func(p []deb.Locked) []deb.Locked { p[0].SHA256 = strings.Repeat("a", 64); return p }, "ghc"},
		{"small refreshed", func(p []deb.Locked) []deb.Locked { p[5].SHA256 = strings.Repeat("b", 64); return p }, "libghc-small3-dev"},
		{"large added", func(p []deb.Locked) []deb.Locked {
			return append(p, deb.Locked{Name: "gcc", Version: "1", Architecture: "amd64", Path: "pool/g/gcc_1_amd64.deb", Size: 9 << 20, SHA256: strings.Repeat("c", 64)})
		}, "gcc"},
		{"small added", func(p []deb.Locked) []deb.Locked {
			return append(p, deb.Locked{Name: "libfoo1", Version: "1", Architecture: "amd64", Path: "pool/l/libfoo1_1_amd64.deb", Size: 9 << 10, SHA256: strings.Repeat("d", 64)})
		}, "libfoo1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in.Toolchain = tc.change(bigToolchain())
			after, _ := unpackSteps(t, in)
			for name, d := range before {
				if after[name] == d {
					continue
				}
				if name == tc.touched || (after[name] == after[tc.touched] && !isLarge(in.Toolchain, name)) {
					continue // the changed package, or a small one sharing its step
				}
				t.Errorf("unpack step of %s changed", name)
			}
		})
	}
}

func isLarge(pkgs []deb.Locked, name string) bool {
	i := slices.IndexFunc(pkgs, func(p deb.Locked) bool { return p.Name == name })
	return i >= 0 && pkgs[i].Size >= smallPackage
}

// Without MergeOp the package layers are joined by one file op (one
// snapshot), with one copy per layer.
func TestToolchainCopyChainIsOneFileOp(t *testing.T) {
	in := generatorInput(t, hugoBuild)
	in.Toolchain = bigToolchain()
	in.CopyChain = true
	g := llbtest.Marshal(t, mustBuild(t, in).Image)
	join := g.One(t, "[layercake] toolchain: join").GetFile()
	if join == nil {
		t.Fatal("toolchain join is not a file op")
	}
	if got, want := len(join.Actions), len(toolchainGroups(in.Toolchain)); got != want {
		t.Errorf("copies = %d, want %d (one per unpack step onto the empty root)", got, want)
	}
	for i, a := range join.Actions {
		if a.GetCopy() == nil {
			t.Errorf("action %d is not a copy: %v", i, a)
		}
	}
}

// A package of exactly smallPackage bytes is large: it gets a step of its
// own, as toolchainGroups says. Kills toolchain.go:175 (>= -> >).
func TestToolchainGroupsAtTheSizeLimit(t *testing.T) {
	pkgs := []deb.Locked{{Name: "edge", Size: smallPackage}, {Name: "tiny", Size: smallPackage - 1}}
	groups := toolchainGroups(pkgs)
	if len(groups) != 2 || len(groups[0]) != 1 || groups[0][0].Name != "edge" || groups[1][0].Name != "tiny" {
		t.Errorf("toolchainGroups() = %v, want [edge] alone first, then [tiny]", groups)
	}
}

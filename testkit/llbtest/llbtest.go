// Package llbtest decodes marshalled LLB so tests can assert on the ops a
// state produces: look ops up by digest or progress name and follow inputs.
package llbtest

import (
	"context"
	"strings"
	"testing"

	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/solver/pb"
	digest "github.com/opencontainers/go-digest"
)

// Graph is a decoded LLB definition.
type Graph struct {
	// Bytes is the marshalled definition, op by op.
	Bytes [][]byte
	// Ops maps each op's digest to the op.
	Ops map[digest.Digest]*pb.Op
	// Names maps each op's digest to its progress name ("" if none).
	Names map[digest.Digest]string
	// Head is the digest of the state's own op.
	Head digest.Digest
}

// Marshal marshals st and decodes every op.
func Marshal(t testing.TB, st llb.State) *Graph {
	t.Helper()
	def, err := st.Marshal(context.Background())
	if err != nil {
		t.Fatalf("Marshal() error = %v", err)
	}
	g := &Graph{Bytes: def.Def, Ops: map[digest.Digest]*pb.Op{}, Names: map[digest.Digest]string{}}
	for _, dt := range def.Def {
		var op pb.Op
		if err := op.UnmarshalVT(dt); err != nil {
			t.Fatalf("decoding op: %v", err)
		}
		d := digest.FromBytes(dt)
		g.Ops[d] = &op
		g.Names[d] = def.Metadata[d].Description["llb.customname"]
	}
	if g.Head, err = def.Head(); err != nil {
		t.Fatalf("Head() error = %v", err)
	}
	return g
}

// HeadOp is the state's own op.
func (g *Graph) HeadOp() *pb.Op { return g.Ops[g.Head] }

// Named returns the digests of the ops whose progress name starts with prefix.
func (g *Graph) Named(prefix string) []digest.Digest {
	var out []digest.Digest
	for d, n := range g.Names {
		if strings.HasPrefix(n, prefix) {
			out = append(out, d)
		}
	}
	return out
}

// One returns the only op whose progress name starts with prefix.
func (g *Graph) One(t testing.TB, prefix string) *pb.Op {
	t.Helper()
	ds := g.Named(prefix)
	if len(ds) != 1 {
		t.Fatalf("ops named %q: %d, want 1", prefix, len(ds))
	}
	return g.Ops[ds[0]]
}

// Input returns the op feeding input i of op.
func (g *Graph) Input(op *pb.Op, i int) *pb.Op {
	return g.Ops[digest.Digest(op.Inputs[i].Digest)]
}

package frontend

import (
	"context"

	"github.com/moby/buildkit/client/llb/sourceresolver"
	"github.com/moby/buildkit/frontend/gateway/client"
	digest "github.com/opencontainers/go-digest"
	fstypes "github.com/tonistiigi/fsutil/types"
)

// gateway is what layercake itself asks of BuildKit's gateway client: the
// build's options and solving LLB. Everything else (build args, contexts,
// the spec file, subrequests, warnings, multi-platform results) goes through
// dockerui.Client, which wraps the same client the way BuildKit's Dockerfile
// frontend does. Tests give Build an in-memory client (fake_test.go).
type gateway interface {
	BuildOpts() client.BuildOpts
	Solve(ctx context.Context, req client.SolveRequest) (*client.Result, error)
	// ResolveImageConfig pins the helper image to a digest.
	ResolveImageConfig(ctx context.Context, ref string, opt sourceresolver.Opt) (string, digest.Digest, []byte, error)
}

// files is what the frontend reads from a solved reference: the lock, the
// .gitignore files, archive indexes and keys, and the site's entries.
type files interface {
	ReadFile(ctx context.Context, req client.ReadRequest) ([]byte, error)
	StatFile(ctx context.Context, req client.StatRequest) (*fstypes.Stat, error)
	ReadDir(ctx context.Context, req client.ReadDirRequest) ([]*fstypes.Stat, error)
}

var (
	_ gateway = client.Client(nil)
	_ files   = client.Reference(nil)
)

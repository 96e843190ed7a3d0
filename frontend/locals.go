package frontend

import (
	"context"

	"github.com/layercake-build/layercake/llbgen"
	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/frontend/gateway/client"
)

// localFiles transfers some files of a local source of the build ("context"
// or "dockerfile", the spec's folder), chosen by opts, and returns them. key
// names the transfer so BuildKit reuses it between builds; opts include the
// spec location (b.at) the files are read for.
func (b *builder) localFiles(ctx context.Context, local, key, what string, opts ...llb.LocalOption) (client.Reference, error) {
	opts = append([]llb.LocalOption{
		llb.SessionID(b.c.BuildOpts().SessionID),
		llb.SharedKeyHint(key),
		llbgen.Progress("load " + what),
	}, opts...)
	return b.solve(ctx, llb.Local(local, opts...), true)
}

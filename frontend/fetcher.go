package frontend

import (
	"context"
	"fmt"
	"io/fs"
	"strings"

	"github.com/layercake-build/layercake/debian"
	"github.com/layercake-build/layercake/llbgen"
	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/frontend/gateway/client"
	digest "github.com/opencontainers/go-digest"
)

// readChunk stays well under the gateway's 16 MiB message limit.
const readChunk = 4 << 20

// gatewayFetcher reads archive files through BuildKit's HTTP source, so the
// daemon downloads and caches them and the frontend needs no network.
type gatewayFetcher struct {
	c      gateway
	mirror string
	at     llb.ConstraintsOpt // where the spec names the mirror
}

var _ debian.Fetcher = (*gatewayFetcher)(nil)

// Fetch implements debian.Fetcher.
func (f *gatewayFetcher) Fetch(ctx context.Context, path, wantSHA256 string) ([]byte, error) {
	const name = "file"
	opts := []llb.HTTPOption{llb.Filename(name), llbgen.Progress("fetch " + path), f.at}
	if wantSHA256 != "" {
		opts = append(opts, llb.Checksum(digest.NewDigestFromEncoded(digest.SHA256, wantSHA256)))
	}
	def, err := llb.HTTP(f.mirror+"/"+path, opts...).Marshal(ctx)
	if err != nil {
		return nil, err
	}
	res, err := f.c.Solve(ctx, client.SolveRequest{Definition: def.ToPB()})
	if err != nil {
		if missing(err) {
			err = fmt.Errorf("%w: %w", fs.ErrNotExist, err)
		}
		return nil, fmt.Errorf("downloading %s/%s: %w", f.mirror, path, err)
	}
	ref, err := res.SingleRef()
	if err != nil {
		return nil, err
	}
	return readAll(ctx, ref, name)
}

// missing reports whether a download failed because the server has no such
// file. BuildKit's HTTP source says so only in its message ("invalid
// response status 404"), which crosses the gateway as text; this is the one
// place that reads it, so debian can tell an unsigned archive (no
// Release.gpg) from a download that failed.
func missing(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "invalid response status 404") || strings.Contains(msg, "invalid response status 410")
}

// emptySHA256 is the sha256 of no bytes.
const emptySHA256 = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

// missingPinned reports whether a download pinned by its checksum failed
// because the server has no such file. Besides missing's messages,
// BuildKit v0.34.2 answers a pinned download whose checksum its cache
// already knows (from another URL) by saving the response without checking
// its status, so a 404 with an empty body fails as "digest mismatch
// <sha256 of nothing>: <pinned sha256>" (seen with a lock doctored to a
// version the archive no longer has).
func missingPinned(err error) bool {
	return missing(err) || strings.Contains(err.Error(), "digest mismatch "+emptySHA256+":")
}

// readAll reads a file of any size in chunks.
func readAll(ctx context.Context, ref files, name string) ([]byte, error) {
	st, err := ref.StatFile(ctx, client.StatRequest{Path: name})
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, st.Size)
	for int64(len(out)) < st.Size {
		chunk, err := ref.ReadFile(ctx, client.ReadRequest{
			Filename: name,
			Range:    &client.FileRange{Offset: len(out), Length: readChunk},
		})
		if err != nil {
			return nil, err
		}
		if len(chunk) == 0 {
			return nil, fmt.Errorf("reading %s: short read at %d of %d bytes", name, len(out), st.Size)
		}
		out = append(out, chunk...)
	}
	return out, nil
}

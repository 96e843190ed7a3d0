package llbgen

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/layercake-build/layercake/spec"
	"github.com/layercake-build/layercake/webroot"
	"github.com/moby/buildkit/client/llb"
)

// VariantCacheID is the builder's cache mount that keeps compressed variants
// by the digest of what they encode, so a page edit compresses that page
// again, not its whole layer (see sitefiles.VariantCache). It is not part of
// any cache key, and a builder without it writes the same bytes.
const VariantCacheID = "layercake-precompressed-variants"

// variantCache is where the precompression step mounts it.
const variantCache = "/cache"

// compressSite adds .gz and .br siblings to the compressible files of a
// prepared site layer (the encodings server.compress asks for), with the
// helper's `layercake site`, which keeps every time and pins the folders.
// Its input is read-only, so BuildKit keys it by the layer's content: an
// unchanged layer is not compressed again. Without encodings the layer is a
// copy of the prepared files, keyed by their content the same way.
func (s packageSource) compressSite(l Layer, srv spec.Server, opts ...llb.ConstraintsOpt) Layer {
	args := []string{HelperBinary, "site", "--epoch", strconv.FormatInt(s.epoch.Unix(), 10),
		"--in", "/in" + WebRoot, "--out", "/out", "--dir", strings.TrimPrefix(WebRoot, "/"), "--cache", variantCache}
	var enc []string
	if srv.Compresses(spec.EncodingGzip) {
		args = append(args, "--gzip")
		enc = append(enc, "gzip")
	}
	if srv.Compresses(spec.EncodingBrotli) {
		args = append(args, "--br")
		enc = append(enc, "br")
	}
	at := s.at(atSite)
	if len(enc) == 0 {
		co := append([]llb.ConstraintsOpt{Progress(l.Name), at}, opts...)
		return Layer{Name: l.Name, State: llb.Scratch().File(llb.Copy(l.State, "/", "/", &llb.CopyInfo{CopyDirContentsOnly: true}), co...)}
	}
	ro := []llb.RunOption{llb.Args(args), llb.Network(llb.NetModeNone),
		Progress("precompress " + l.Name + " (" + strings.Join(enc, " and ") + ")"), at}
	for _, o := range opts {
		ro = append(ro, o)
	}
	run := s.helper(at).Run(ro...)
	run.AddMount("/in", l.State, llb.Readonly)
	run.AddMount(variantCache, llb.Scratch(), llb.AsPersistentCacheDir(VariantCacheID, llb.CacheMountShared))
	return Layer{Name: l.Name, State: run.AddMount("/out", llb.Scratch())}
}

// SiteExcluded are the paths of the staged site that are never served:
// webroot.ServedNever's names at the top and in.SiteExclude.
func (in Input) SiteExcluded() []string {
	out := webroot.ServedNever(in.Spec.File())
	for _, p := range in.SiteExclude {
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// webRootAlone is the served tree, gathered from the site layers, at the
// root of an otherwise empty state, for `--target site -o out/`.
func webRootAlone(site []Layer, epoch time.Time, at llb.ConstraintsOpt) llb.State {
	st := llb.Scratch()
	for _, l := range site {
		st = st.File(llb.Copy(l.State, WebRoot, "/", &llb.CopyInfo{CopyDirContentsOnly: true, CreatedTime: &epoch}),
			Progress("web root: "+l.Name), at)
	}
	return st
}

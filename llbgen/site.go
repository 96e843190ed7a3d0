package llbgen

import (
	"slices"
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

// variantCache is where the split step mounts it.
const variantCache = "/cache"

// siteLayer makes a layer of one output of the split step: a copy of it
// into scratch. The copy's cache key is the output's content, so when the
// split runs again after an edit, a layer whose files (and variants) did
// not change is a cache hit that keeps its blob, and only the changed
// layers are packed and pushed.
func siteLayer(l Layer, at llb.ConstraintsOpt, opts ...llb.ConstraintsOpt) Layer {
	co := append([]llb.ConstraintsOpt{Progress(l.Name), at}, opts...)
	return Layer{Name: l.Name, State: llb.Scratch().File(llb.Copy(l.State, "/", "/", &llb.CopyInfo{CopyDirContentsOnly: true}), co...)}
}

// compressArgs are the split step's flags for the encodings server.compress
// asks for, and their names for its progress.
func compressArgs(srv spec.Server) (args, names []string) {
	if srv.Compresses(spec.EncodingGzip) {
		args, names = append(args, "--gzip"), append(names, "gzip")
	}
	if srv.Compresses(spec.EncodingBrotli) {
		args, names = append(args, "--br"), append(names, "br")
	}
	if len(args) > 0 {
		args = append(args, "--cache", variantCache)
	}
	return args, names
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

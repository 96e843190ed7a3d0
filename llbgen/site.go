package llbgen

import (
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/layercake-build/layercake/spec"
	"github.com/moby/buildkit/client/llb"
)

// LockFile is the lock's name beside the spec.
const LockFile = "layercake.lock"

// RuleFiles are the site's own nginx rules (Netlify / Cloudflare Pages
// syntax), read from the top of the web root and never served.
var RuleFiles = []string{"_headers", "_redirects"}

// stageSite copies a folder of the build context (or of a generator's
// output) to WebRoot as it is: links, dotfiles and rule files included. The
// frontend checks it and reads the rule files from it.
func stageSite(context llb.State, dir, what string, opts ...llb.ConstraintsOpt) llb.State {
	return llb.Scratch().File(
		llb.Copy(context, path.Join("/", dir), WebRoot, &llb.CopyInfo{CopyDirContentsOnly: true, CreateDestPath: true}),
		append(slices.Clip(opts), Progress("stage site from "+what))...)
}

// siteLayer is the served site, made from the staged one by the helper's
// `layercake site`: every file's time comes from its bytes (so nginx's ETag
// and Last-Modified change exactly when the content does), links become
// copies of their targets, dotfiles (but /.well-known) and the build's own
// files are left out. The helper pins owners, modes and folder times, so the
// layer's bytes depend only on the site's names, contents and executable
// bits. Precompression is a step of its own (compressSite), run per site
// layer so a page edit compresses one layer again, not the whole site.
func (s packageSource) siteLayer(staged llb.State, specFile, what string, opts ...llb.ConstraintsOpt) Layer {
	args := []string{HelperBinary, "site", "--epoch", strconv.FormatInt(s.epoch.Unix(), 10),
		"--in", "/in" + WebRoot, "--out", "/out", "--dir", strings.TrimPrefix(WebRoot, "/")}
	for _, x := range ServedNever(specFile) {
		args = append(args, "--exclude", x)
	}
	ro := []llb.RunOption{llb.Args(args), llb.Network(llb.NetModeNone), Progress("prepare site: content-derived times")}
	for _, o := range opts {
		ro = append(ro, o)
	}
	run := s.helper(s.at(atSite)).Run(ro...)
	run.AddMount("/in", staged, llb.Readonly)
	return Layer{Name: "site (" + what + " -> " + WebRoot + ")", State: run.AddMount("/out", llb.Scratch())}
}

// compressSite adds .gz and .br siblings to the compressible files of a
// prepared site layer (the encodings server.compress asks for), with the
// helper's `layercake site`, which keeps every time and pins the folders.
// Its input is read-only, so BuildKit keys it by the layer's content: an
// unchanged layer is not compressed again.
func (s packageSource) compressSite(l Layer, srv spec.Server, name string, opts ...llb.ConstraintsOpt) Layer {
	args := []string{HelperBinary, "site", "--epoch", strconv.FormatInt(s.epoch.Unix(), 10),
		"--in", "/in" + WebRoot, "--out", "/out", "--dir", strings.TrimPrefix(WebRoot, "/")}
	var enc []string
	if srv.Compresses(spec.EncodingGzip) {
		args = append(args, "--gzip")
		enc = append(enc, "gzip")
	}
	if srv.Compresses(spec.EncodingBrotli) {
		args = append(args, "--br")
		enc = append(enc, "br")
	}
	if len(enc) == 0 {
		return l
	}
	at := s.at(atSite)
	ro := []llb.RunOption{llb.Args(args), llb.Network(llb.NetModeNone),
		Progress("precompress " + name + " (" + strings.Join(enc, " and ") + ")"), at}
	for _, o := range opts {
		ro = append(ro, o)
	}
	run := s.helper(at).Run(ro...)
	run.AddMount("/in", l.State, llb.Readonly)
	return Layer{Name: l.Name, State: run.AddMount("/out", llb.Scratch())}
}

// ServedNever are the names at the top of the web root that are left out of
// the image: the rule files, the lock, and the spec (with site.dir "." or a
// generator that copies its sources, they would be there).
func ServedNever(specFile string) []string {
	names := append(slices.Clone(RuleFiles), LockFile)
	if b := path.Base(specFile); specFile != "" && b != "." && b != "/" && !slices.Contains(names, b) {
		names = append(names, b)
	}
	return names
}

// webRootAlone is the served tree at the root of an otherwise empty state, for
// `--target site -o out/`.
func webRootAlone(site Layer, epoch time.Time, at llb.ConstraintsOpt) llb.State {
	return llb.Scratch().File(
		llb.Copy(site.State, WebRoot, "/", &llb.CopyInfo{CopyDirContentsOnly: true, CreatedTime: &epoch}),
		Progress("web root"), at)
}

package llbgen

import (
	"path"
	"slices"
	"time"

	"github.com/moby/buildkit/client/llb"
)

// siteMode makes the served tree independent of the user's umask: folders and
// executables 0755, other files 0644.
const siteMode = "u=rwX,go=rX"

// siteLayer copies a folder of the build context to WebRoot. The second copy
// pins every entry's time and owner and normalises modes, so the layer's bytes
// depend only on the files' contents and names.
func siteLayer(context llb.State, dir string, epoch time.Time, what string, opts ...llb.ConstraintsOpt) Layer {
	src := path.Join("/", dir)
	staging := llb.Scratch().File(
		llb.Copy(context, src, WebRoot, &llb.CopyInfo{CopyDirContentsOnly: true, CreateDestPath: true}),
		append(slices.Clip(opts), progress("stage site from "+what))...)
	st := pin(staging, epoch, "site", opts,
		rootOwner(),
		llb.ChmodOpt{ModeStr: siteMode})
	return Layer{Name: "site (" + what + " -> " + WebRoot + ")", State: st}
}

// webRootAlone is the served tree at the root of an otherwise empty state, for
// `--target site -o out/`.
func webRootAlone(site Layer, epoch time.Time) llb.State {
	return llb.Scratch().File(
		llb.Copy(site.State, WebRoot, "/", &llb.CopyInfo{CopyDirContentsOnly: true, CreatedTime: &epoch}),
		progress("web root"))
}

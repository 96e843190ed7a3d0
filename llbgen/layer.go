package llbgen

import (
	"slices"
	"time"

	"github.com/moby/buildkit/client/llb"
)

// Layer is one image layer: a state built from scratch and the words its
// history entry uses to name the dependency it holds.
type Layer struct {
	// Name is short and stable, e.g. "nginx 1.26.3-3 (debian trixie amd64)" or "nginx.conf".
	Name string
	// State holds the layer's files and nothing else.
	State llb.State
}

// Progress names a vertex for BuildKit's progress display, "[layercake]
// name"; the frontend names its own vertices with it too.
func Progress(name string) llb.ConstraintsOpt {
	return llb.WithCustomName("[layercake] " + name)
}

// pin copies a staging state into scratch with every entry's time set to the
// epoch. Writing a file into a folder resets the folder's time to the wall
// clock even when the write carries a time, so every generated layer is made in
// staging and pinned by this copy.
func pin(staging llb.State, epoch time.Time, name string, opts []llb.ConstraintsOpt, extra ...llb.CopyOption) llb.State {
	info := &llb.CopyInfo{
		CopyDirContentsOnly: true,
		CreatedTime:         &epoch,
	}
	for _, o := range extra {
		o.SetCopyOption(info)
	}
	return llb.Scratch().File(llb.Copy(staging, "/", "/", info), append(slices.Clip(opts), Progress(name))...)
}

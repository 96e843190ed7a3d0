package llbgen

import (
	"path"
	"time"

	"github.com/moby/buildkit/client/llb"
)

// splitSite makes one layer per group from the whole site layer. Each group
// is first copied entry by entry into a staging state: the copy's cache key
// is the content of exactly those entries, so a group whose files did not
// change is a cache hit on a warm rebuild, not a copy. The staging state is
// then pinned into scratch with the epoch as every time; its cache key is the
// staging content (BuildKit's content hash leaves out times), so an unchanged
// group keeps its blob.
func splitSite(site Layer, groups []SiteGroup, epoch time.Time) []Layer {
	layers := make([]Layer, 0, len(groups))
	for _, g := range groups {
		var fa *llb.FileAction
		for _, p := range g.Paths {
			abs := path.Join(WebRoot, p)
			info := &llb.CopyInfo{CreateDestPath: true}
			if fa == nil {
				fa = llb.Copy(site.State, abs, abs, info)
			} else {
				fa = fa.Copy(site.State, abs, abs, info)
			}
		}
		staging := llb.Scratch().File(fa, progress("stage "+g.Name()))
		layers = append(layers, Layer{Name: g.Name(), State: pin(staging, epoch, g.Name(), nil)})
	}
	return layers
}

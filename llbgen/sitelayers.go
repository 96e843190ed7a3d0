package llbgen

import (
	"path"
	"strconv"
	"strings"

	"github.com/moby/buildkit/client/llb"
)

// splitSite makes one layer per group from the prepared site layer. Each
// group is first copied entry by entry into a staging state: the copy's cache
// key is the content of exactly those entries, so a group whose files did not
// change is a cache hit on a warm rebuild, not a copy. The helper's
// `layercake site` then writes the group as a layer of its own, keeping the
// files' content-derived times and pinning its folders to the epoch (copying
// files into a folder moves the folder's time to the wall clock). Its input
// is read-only, so BuildKit keys it by the staging content, which leaves
// times out: an unchanged group keeps its blob.
func (s packageSource) splitSite(site Layer, groups []SiteGroup) []Layer {
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
		at := s.at(atSite)
		staging := llb.Scratch().File(fa, Progress("stage "+g.Name()), at)
		run := s.helper(at).Run(
			llb.Args([]string{HelperBinary, "site", "--epoch", strconv.FormatInt(s.epoch.Unix(), 10),
				"--in", "/in" + WebRoot, "--out", "/out", "--dir", strings.TrimPrefix(WebRoot, "/")}),
			llb.Network(llb.NetModeNone),
			Progress(g.Name()), at)
		run.AddMount("/in", staging, llb.Readonly)
		layers = append(layers, Layer{Name: g.Name(), State: run.AddMount("/out", llb.Scratch())})
	}
	return layers
}

package llbgen

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/moby/buildkit/client/llb"
)

// splitPlan is the file the split step reads: each group's paths.
const splitPlan = "/plan/layers.json"

// splitSite makes one layer per group from the prepared site layer. One
// helper step (`layercake split`) reads the site once and writes each group
// into an output of its own, keeping the files' content-derived times and
// pinning folders to the epoch. Each layer is then a copy of its output:
// BuildKit keys that copy by the output's content (times left out), so a
// group whose files did not change is a cache hit and keeps its blob, and
// only changed groups are packed and pushed again.
func (s packageSource) splitSite(site Layer, groups []SiteGroup) []Layer {
	at := s.at(atSite)
	paths := make([][]string, len(groups))
	for i, g := range groups {
		paths[i] = g.Paths
	}
	plan, err := json.Marshal(paths)
	if err != nil {
		panic(err) // a [][]string always marshals
	}
	planState := llb.Scratch().File(
		llb.Mkdir("/plan", 0o755, llb.WithCreatedTime(s.epoch)).
			Mkfile(splitPlan, 0o644, plan, llb.WithCreatedTime(s.epoch)),
		Progress(fmt.Sprintf("plan %d site layers", len(groups))), at)
	args := []string{HelperBinary, "split", "--epoch", strconv.FormatInt(s.epoch.Unix(), 10),
		"--plan", splitPlan, "--in", "/in" + WebRoot, "--dir", strings.TrimPrefix(WebRoot, "/")}
	for i := range groups {
		args = append(args, "--out", splitOut(i))
	}
	run := s.helper(at).Run(llb.Args(args), llb.Network(llb.NetModeNone),
		Progress(fmt.Sprintf("split the site into %d layers", len(groups))), at)
	run.AddMount("/in", site.State, llb.Readonly)
	run.AddMount("/plan", planState, llb.Readonly, llb.SourcePath("/plan"))
	layers := make([]Layer, 0, len(groups))
	for i, g := range groups {
		out := run.AddMount(splitOut(i), llb.Scratch())
		st := llb.Scratch().File(llb.Copy(out, "/", "/", &llb.CopyInfo{CopyDirContentsOnly: true}), Progress(g.Name()), at)
		layers = append(layers, Layer{Name: g.Name(), State: st})
	}
	return layers
}

func splitOut(i int) string { return fmt.Sprintf("/out/%d", i) }

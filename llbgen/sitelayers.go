package llbgen

import (
	"fmt"
	"path"
	"strconv"
	"strings"

	"github.com/layercake-build/layercake/spec"
	"github.com/layercake-build/layercake/webroot"
	"github.com/moby/buildkit/client/llb"
)

// splitSite makes the served site's layers, one per group, from the staged
// site (the folder dir of staged: the build context's site.dir, or the
// generator's output) in one helper step, `layercake split`. It reads the
// site once and writes each served file into the output of its group, with
// the .gz and .br siblings server.compress asks for (each group's files
// compressed as a tree of their own, on every core, the variants kept in
// the builder's cache mount): content-derived times (so nginx's ETag and
// Last-Modified change exactly when the bytes do), links replaced by copies
// of their targets, dotfiles (but /.well-known) and the build's own files
// left out, owners, modes and folder times pinned. Each group names its
// class and bucket, and the step places every path itself with the plan's
// rule (webroot.RouteSite), so the step's definition does not grow with
// the site.
//
// The outputs are not layers yet: siteLayer copies each one, keyed by its
// content, so a group whose files did not change is a cache hit that keeps
// its blob even though the split ran again.
func (s packageSource) splitSite(staged llb.State, dir, what string, exclude []string, groups []webroot.SiteGroup, srv spec.Server, opts ...llb.ConstraintsOpt) []Layer {
	at := s.at(atSite)
	args := []string{HelperBinary, "split", "--epoch", strconv.FormatInt(s.epoch.Unix(), 10),
		"--in", "/in", "--dir", strings.TrimPrefix(WebRoot, "/")}
	compress, encodings := compressArgs(srv)
	args = append(args, compress...)
	for _, x := range exclude {
		args = append(args, "--exclude", x)
	}
	for i, g := range groups {
		args = append(args, "--group", g.Key(), "--out", splitOut(i))
	}
	n := "1 layer"
	if len(groups) > 1 {
		n = fmt.Sprintf("%d layers", len(groups))
	}
	name := "prepare the site (" + what + ") in " + n + ": content-derived times"
	if len(encodings) > 0 {
		name += ", " + strings.Join(encodings, " and ") + " variants"
	}
	ro := []llb.RunOption{llb.Args(args), llb.Network(llb.NetModeNone), Progress(name), at}
	for _, o := range opts {
		ro = append(ro, o)
	}
	run := s.helper(at).Run(ro...)
	run.AddMount("/in", staged, llb.SourcePath(path.Join("/", dir)), llb.Readonly)
	if len(encodings) > 0 {
		run.AddMount(variantCache, llb.Scratch(), llb.AsPersistentCacheDir(s.cacheID(VariantCacheID), llb.CacheMountShared))
	}
	layers := make([]Layer, 0, len(groups))
	for i, g := range groups {
		name := g.Name()
		if g.Class == webroot.ClassAll {
			name = "site (" + what + " -> " + WebRoot + ")"
		}
		layers = append(layers, siteLayer(Layer{Name: name, State: run.AddMount(splitOut(i), llb.Scratch())}, at, opts...))
	}
	return layers
}

func splitOut(i int) string { return fmt.Sprintf("/out/%d", i) }

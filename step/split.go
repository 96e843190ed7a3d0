package step

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/layercake-build/layercake/internal/clip"
	"github.com/layercake-build/layercake/step/sitefiles"
	"github.com/layercake-build/layercake/webroot"
)

const splitUsage = "usage: layercake split --epoch N --in SITE --dir srv/www [--gzip] [--br] [--cache DIR] [--exclude PATH]… --group CLASS/BUCKET/BUCKETS --out ROOT [--group … --out ROOT]…"

// splitMain is the helper step that makes the served site in one pass over
// the staged one (see sitefiles.PrepareSplit), already split into layers:
// the i-th --out root receives, below --dir, the served paths of the i-th
// --group, placed by webroot.RouteSite, with the .gz and .br siblings
// --gzip and --br ask for (each root's files compressed as a tree of their
// own, as `layercake site` would, and kept in --cache). Each root and every
// folder above the site is 0755, owned by root, at the epoch.
func splitMain(args []string) int {
	fs := flag.NewFlagSet("split", flag.ContinueOnError)
	fs.Usage = func() { fmt.Fprintln(fs.Output(), splitUsage); fs.PrintDefaults() }
	epoch := fs.Int64("epoch", 0, "time (Unix seconds) of every folder")
	in := fs.String("in", "", "the staged site")
	dir := fs.String("dir", "", "folder of the site below each --out, such as srv/www")
	gz := fs.Bool("gzip", false, "write .gz siblings of compressible files")
	br := fs.Bool("br", false, "write .br siblings of compressible files")
	cache := fs.String("cache", "", "folder that keeps compressed variants across builds (a cache mount)")
	var exclude, keys, outs stringList
	fs.Var(&exclude, "exclude", "a path of the site (relative to it) that is not served, nor any link to it (repeatable)")
	fs.Var(&keys, "group", "the class and bucket of one layer, such as text/0/4 (repeatable, one per --out)")
	fs.Var(&outs, "out", "root of one layer to write (repeatable, in --group order)")
	if err := fs.Parse(args); err != nil {
		return usageStatus(err)
	}
	if *in == "" || *dir == "" || len(outs) == 0 || len(keys) != len(outs) || fs.NArg() != 0 {
		fmt.Fprintln(os.Stderr, splitUsage)
		return 2
	}
	groups := make([]webroot.SiteGroup, len(keys))
	for i, k := range keys {
		g, err := webroot.ParseSiteGroup(k)
		if err != nil {
			fmt.Fprintf(os.Stderr, "layercake split: %v\n", err)
			return 2
		}
		groups[i] = g
	}
	opts := sitefiles.Options{
		Epoch: time.Unix(*epoch, 0).UTC(), Exclude: exclude, Gzip: *gz, Brotli: *br,
		Chown: os.Geteuid() == 0, Route: webroot.RouteSite(groups),
	}
	if *cache != "" {
		opts.Cache = sitefiles.NewVariantCache(*cache)
	}
	sites := make([]string, len(outs))
	for i, out := range outs {
		sites[i] = filepath.Join(out, filepath.FromSlash(*dir))
	}
	st, err := sitefiles.PrepareSplit(*in, sites, opts)
	if err == nil {
		for i, out := range outs {
			if err = pinParents(out, filepath.Dir(sites[i]), opts); err != nil {
				break
			}
		}
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "layercake split: %s\n", clip.Valid(err.Error()))
		return 1
	}
	layers := "1 layer"
	if len(groups) > 1 {
		layers = fmt.Sprintf("%d layers", len(groups))
	}
	fmt.Printf("site: %s, in %s\n", st, layers)
	return 0
}

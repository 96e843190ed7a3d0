package step

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/layercake-build/layercake/internal/clip"
	"github.com/layercake-build/layercake/step/sitefiles"
)

// siteMain makes the served site from the staged one as one tree, with the
// .gz and .br siblings: what `layercake split` does for each of its
// outputs, without the split. The frontend runs split; bench/big-files
// times this one on a single large file:
//
//	layercake site --epoch N --in DIR --out ROOT --dir srv/www [--gzip] [--br] [--cache DIR] [--exclude PATH]…
//
// It writes ROOT/srv/www and pins ROOT and every folder above the site to
// the epoch, owned by root, mode 0755.
func siteMain(args []string) int {
	fs := flag.NewFlagSet("site", flag.ContinueOnError)
	epoch := fs.Int64("epoch", 0, "time (Unix seconds) of every folder")
	in := fs.String("in", "", "the staged site")
	out := fs.String("out", "", "root of the layer to write")
	dir := fs.String("dir", "", "folder of the site below --out, such as srv/www")
	gz := fs.Bool("gzip", false, "write .gz siblings of compressible files")
	br := fs.Bool("br", false, "write .br siblings of compressible files")
	cache := fs.String("cache", "", "folder that keeps compressed variants across builds (a cache mount)")
	var exclude stringList
	fs.Var(&exclude, "exclude", "a path of the site (relative to it) that is not served, nor any link to it (repeatable)")
	if err := fs.Parse(args); err != nil {
		return usageStatus(err)
	}
	if *in == "" || *out == "" || *dir == "" || fs.NArg() != 0 {
		fmt.Fprintln(os.Stderr, "usage: layercake site --epoch N --in DIR --out ROOT --dir srv/www [--gzip] [--br] [--cache DIR] [--exclude PATH]…")
		return 2
	}
	opts := sitefiles.Options{
		Epoch: time.Unix(*epoch, 0).UTC(), Gzip: *gz, Brotli: *br,
		Exclude: exclude, Chown: os.Geteuid() == 0,
	}
	if *cache != "" {
		opts.Cache = sitefiles.NewVariantCache(*cache)
	}
	site := filepath.Join(*out, filepath.FromSlash(*dir))
	st, err := sitefiles.Prepare(*in, site, opts)
	if err != nil {
		fmt.Fprintf(os.Stderr, "layercake site: %s\n", clip.Valid(err.Error()))
		return 1
	}
	if err := pinParents(*out, filepath.Dir(site), opts); err != nil {
		fmt.Fprintf(os.Stderr, "layercake site: %s\n", clip.Valid(err.Error()))
		return 1
	}
	fmt.Println("site:", st)
	return 0
}

// pinParents gives the folders from root down to dir the epoch, mode 0755
// and root as owner.
func pinParents(root, dir string, opts sitefiles.Options) error {
	for {
		if err := os.Chmod(dir, 0o755); err != nil {
			return err
		}
		if opts.Chown {
			if err := os.Lchown(dir, 0, 0); err != nil {
				return err
			}
		}
		if err := os.Chtimes(dir, opts.Epoch, opts.Epoch); err != nil {
			return err
		}
		if filepath.Clean(dir) == filepath.Clean(root) {
			return nil
		}
		dir = filepath.Dir(dir)
	}
}

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

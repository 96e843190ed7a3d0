package frontend

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/layercake-build/layercake/internal/sitecheck"
	"github.com/layercake-build/layercake/llbgen"
	"github.com/moby/buildkit/frontend/gateway/client"
)

// checkSite fails the build when the site holds links out of the web root
// or special files. It reads the site layer through the gateway, so no
// container starts for it.
func (b *builder) checkSite(ctx context.Context, out *llbgen.Output) error {
	site := out.Layers[len(out.Layers)-1]
	ref, err := b.solve(ctx, site.State, true)
	if err != nil {
		return err
	}
	var report sitecheck.Report
	err = walkEntries(ctx, ref, llbgen.WebRoot, func(abs string, mode fs.FileMode, target string) error {
		rel := strings.TrimPrefix(abs, llbgen.WebRoot+"/")
		if msg := sitecheck.Inspect(rel, mode, target); msg != "" {
			report.Add(sitecheck.Problem{Path: rel, Msg: msg})
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("checking the site: %w", err)
	}
	if report.Total == 0 {
		return nil
	}
	return b.src.withPositions(errors.New(report.Error()), b.spec.KeyPos("site"))
}

// walkEntries calls fn for every entry below dir in ref, in name order, with
// its mode and, for a link, its target; it stops at fn's first error.
func walkEntries(ctx context.Context, ref files, dir string, fn func(p string, mode fs.FileMode, target string) error) error {
	entries, err := ref.ReadDir(ctx, client.ReadDirRequest{Path: dir})
	if err != nil {
		return err
	}
	for _, e := range entries {
		p := path.Join(dir, e.Path)
		mode := fs.FileMode(e.Mode)
		if err := fn(p, mode, e.Linkname); err != nil {
			return err
		}
		if mode.IsDir() {
			if err := walkEntries(ctx, ref, p, fn); err != nil {
				return err
			}
		}
	}
	return nil
}

package frontend

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/layercake-build/layercake/internal/sitecheck"
	"github.com/layercake-build/layercake/internal/sitefiles"
	"github.com/layercake-build/layercake/llbgen"
	"github.com/moby/buildkit/frontend/gateway/client"
)

// checkSite fails the build when the staged site (the folder dir of ref)
// holds links out of the web root, through any chain of links, or special
// files. It reads the site through the gateway, so no container starts for
// it. It returns what the site serves, from which its layers are planned.
func (b *builder) checkSite(ctx context.Context, ref files, dir string) ([]llbgen.SiteEntry, error) {
	if err := b.checkSiteDir(ctx, ref, dir); err != nil {
		return nil, err
	}
	var report sitecheck.Report
	add := func(rel, msg string) {
		if msg != "" {
			report.Add(sitecheck.Problem{Path: rel, Msg: msg})
		}
	}
	tree := sitecheck.NewTree()
	var links []string
	top := path.Join("/", dir)
	err := walkEntries(ctx, ref, top, func(abs string, mode fs.FileMode, target string, size int64) error {
		rel := strings.TrimPrefix(strings.TrimPrefix(abs, top), "/")
		tree.Add(rel, mode, target, size)
		if mode.Type()&fs.ModeSymlink != 0 {
			links = append(links, rel)
			return nil
		}
		add(rel, sitecheck.Inspect(rel, mode, target))
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("checking the site: %w", err)
	}
	for _, rel := range links {
		add(rel, tree.LinkProblem(rel))
	}
	if report.Total > 0 {
		return nil, b.src.withPositions(errors.New(report.Error()), b.spec.KeyPos("site"))
	}
	served := tree.Served(sitefiles.LeftOut(llbgen.ServedNever(b.spec.File())))
	entries := make([]llbgen.SiteEntry, len(served))
	for i, e := range served {
		entries[i] = llbgen.SiteEntry{Path: e.Path, Size: e.Size}
	}
	return entries, nil
}

// checkSiteDir fails when the site's folder is missing or not a folder.
func (b *builder) checkSiteDir(ctx context.Context, ref files, dir string) error {
	st, err := ref.StatFile(ctx, client.StatRequest{Path: path.Join("/", dir)})
	switch {
	case b.spec.Site.Build != nil && (err != nil || !fs.FileMode(st.Mode).IsDir()):
		return b.src.withPositions(fmt.Errorf("the generator's output %s is not a folder", dir), b.spec.KeyPos("site.build.output"))
	case err != nil:
		return b.src.withPositions(fmt.Errorf("site.dir %s: no such folder in the build context; set site.dir to the folder that holds the site", dir), b.spec.KeyPos("site.dir"))
	case !fs.FileMode(st.Mode).IsDir():
		return b.src.withPositions(fmt.Errorf("site.dir %s is a file; set it to the folder that holds the site", dir), b.spec.KeyPos("site.dir"))
	}
	return nil
}

// walkEntries calls fn for every entry below dir in ref, in name order, with
// its mode, for a link its target, and its size; it stops at fn's first
// error.
func walkEntries(ctx context.Context, ref files, dir string, fn func(p string, mode fs.FileMode, target string, size int64) error) error {
	entries, err := ref.ReadDir(ctx, client.ReadDirRequest{Path: dir})
	if err != nil {
		return err
	}
	for _, e := range entries {
		p := path.Join(dir, e.Path)
		mode := fs.FileMode(e.Mode)
		if err := fn(p, mode, e.Linkname, e.Size); err != nil {
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

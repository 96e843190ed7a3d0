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

// checkSite fails the build when the staged site (ref) holds links out of
// the web root, through any chain of links, or special files. It reads the
// site through the gateway, so no container starts for it.
func (b *builder) checkSite(ctx context.Context, ref files) error {
	var report sitecheck.Report
	add := func(rel, msg string) {
		if msg != "" {
			report.Add(sitecheck.Problem{Path: rel, Msg: msg})
		}
	}
	tree := sitecheck.NewTree()
	var links []string
	err := walkEntries(ctx, ref, llbgen.WebRoot, func(abs string, mode fs.FileMode, target string, _ int64) error {
		rel := strings.TrimPrefix(abs, llbgen.WebRoot+"/")
		tree.Add(rel, mode, target)
		if mode.Type()&fs.ModeSymlink != 0 {
			links = append(links, rel)
			return nil
		}
		add(rel, sitecheck.Inspect(rel, mode, target))
		return nil
	})
	if err != nil {
		return fmt.Errorf("checking the site: %w", err)
	}
	for _, rel := range links {
		add(rel, tree.LinkProblem(rel))
	}
	if report.Total == 0 {
		return nil
	}
	return b.src.withPositions(errors.New(report.Error()), b.spec.KeyPos("site"))
}

// listSite solves the prepared site layer and lists its entries (files and
// empty folders, relative to the web root) for splitting it into layers.
func (b *builder) listSite(ctx context.Context, out *llbgen.Output) ([]llbgen.SiteEntry, error) {
	ref, err := b.solve(ctx, out.SiteLayer, true)
	if err != nil {
		return nil, err
	}
	var entries []llbgen.SiteEntry
	children := map[string]int{} // folder -> entries in it; files are not keys
	err = walkEntries(ctx, ref, llbgen.WebRoot, func(abs string, mode fs.FileMode, _ string, size int64) error {
		rel := strings.TrimPrefix(abs, llbgen.WebRoot+"/")
		children[path.Dir(rel)]++
		if mode.IsDir() {
			children[rel] += 0
		}
		entries = append(entries, llbgen.SiteEntry{Path: rel, Size: size})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("listing the site: %w", err)
	}
	// Folders travel with the files in them; only empty ones are entries.
	kept := entries[:0]
	for _, e := range entries {
		if n, isDir := children[e.Path]; !isDir || n == 0 {
			kept = append(kept, e)
		}
	}
	return kept, nil
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

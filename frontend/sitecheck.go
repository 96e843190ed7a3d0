package frontend

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/layercake-build/layercake/llbgen"
	"github.com/layercake-build/layercake/webroot"
	"github.com/moby/buildkit/frontend/gateway/client"
	fstypes "github.com/tonistiigi/fsutil/types"
	"golang.org/x/sync/errgroup"
)

// checkSite fails the build when the staged site (the folder dir of ref)
// holds links out of the web root, through any chain of links, or special
// files. It reads the site through the gateway, so no container starts for
// it. It returns what the site serves, from which its layers are planned,
// and the paths of the site that are copies of the spec or the lock (see
// ownFiles), which are never served.
func (b *builder) checkSite(ctx context.Context, ref files, dir string) ([]webroot.SiteEntry, []string, error) {
	if err := b.checkSiteDir(ctx, ref, dir); err != nil {
		return nil, nil, err
	}
	var report webroot.Report
	add := func(rel, msg string) {
		if msg != "" {
			report.Add(webroot.Problem{Path: rel, Msg: msg})
		}
	}
	tree := webroot.NewTree()
	var links []string
	own := b.ownFiles()
	var candidates []string
	top := path.Join("/", dir)
	err := walkEntries(ctx, ref, top, func(abs string, mode fs.FileMode, target string, size int64) error {
		rel := strings.TrimPrefix(strings.TrimPrefix(abs, top), "/")
		tree.Add(rel, mode, target, size)
		if mode.Type()&fs.ModeSymlink != 0 {
			links = append(links, rel)
			return nil
		}
		if data, ok := own[path.Base(rel)]; ok && mode.IsRegular() && size == int64(len(data)) {
			candidates = append(candidates, rel)
		}
		add(rel, webroot.Inspect(rel, mode, target))
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("checking the site: %w", err)
	}
	for _, rel := range links {
		add(rel, tree.LinkProblem(rel))
	}
	if report.Total > 0 {
		return nil, nil, b.src.withPositions(errors.New(report.Error()), b.spec.KeyPos("site"))
	}
	var exclude []string
	for _, rel := range candidates {
		data, err := readAll(ctx, ref, path.Join(top, rel))
		if err != nil {
			return nil, nil, fmt.Errorf("checking the site: %s: %w", rel, err)
		}
		if bytes.Equal(data, own[path.Base(rel)]) {
			exclude = append(exclude, rel)
		}
	}
	in := llbgen.Input{Spec: b.spec, SiteExclude: exclude}
	served := tree.Served(webroot.LeftOut(in.SiteExcluded()))
	entries := make([]webroot.SiteEntry, len(served))
	for i, e := range served {
		entries[i] = webroot.SiteEntry{Path: e.Path, Size: e.Size}
	}
	return entries, exclude, nil
}

// ownFiles maps the names of the build's own files, the spec and the lock,
// to their bytes. A file of the site with one of these names and the same
// bytes is a copy of one of them (with site.dir . and the spec in a folder,
// `docker build -f specs/site.yaml .`, the context holds them at paths the
// frontend is never told), and is never served.
func (b *builder) ownFiles() map[string][]byte {
	own := map[string][]byte{path.Base(b.spec.File()): b.entry.Data}
	if b.lockData != nil {
		own[webroot.LockFile] = b.lockData
	}
	return own
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
// error. The folders are listed first, level by level, readDirParallel at
// once: each listing is a round trip to the builder, and a site with pretty
// URLs has a folder per page (2,000 Jekyll posts took 2 s one at a time).
func walkEntries(ctx context.Context, ref files, dir string, fn func(p string, mode fs.FileMode, target string, size int64) error) error {
	listed, err := listFolders(ctx, ref, dir)
	if err != nil {
		return err
	}
	var walk func(dir string) error
	walk = func(dir string) error {
		for _, e := range listed[dir] {
			p := path.Join(dir, e.Path)
			mode := fs.FileMode(e.Mode)
			if err := fn(p, mode, e.Linkname, e.Size); err != nil {
				return err
			}
			if mode.IsDir() {
				if err := walk(p); err != nil {
					return err
				}
			}
		}
		return nil
	}
	return walk(dir)
}

// readDirParallel bounds the folder listings walkEntries has in flight.
const readDirParallel = 16

// listFolders lists dir and every folder below it (not through links), by
// path. A level's listings all finish before the next level starts, and
// the error returned is that of the first failed folder in walk order at
// the shallowest level, so it does not depend on timing.
func listFolders(ctx context.Context, ref files, dir string) (map[string][]*fstypes.Stat, error) {
	listed := map[string][]*fstypes.Stat{}
	for level := []string{dir}; len(level) > 0; {
		entries := make([][]*fstypes.Stat, len(level))
		errs := make([]error, len(level))
		var eg errgroup.Group
		eg.SetLimit(readDirParallel)
		for i, d := range level {
			eg.Go(func() error {
				entries[i], errs[i] = ref.ReadDir(ctx, client.ReadDirRequest{Path: d})
				return nil
			})
		}
		eg.Wait()
		var next []string
		for i, d := range level {
			if errs[i] != nil {
				return nil, errs[i]
			}
			listed[d] = entries[i]
			for _, e := range entries[i] {
				if fs.FileMode(e.Mode).IsDir() {
					next = append(next, path.Join(d, e.Path))
				}
			}
		}
		level = next
	}
	return listed, nil
}

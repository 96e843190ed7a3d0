package sitefiles

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/layercake-build/layercake/webroot"
)

// PrepareSplit puts each served path in the output its route names: files
// keep their bytes and executable bit and get content times; every folder
// is 0755 at the epoch, whatever order the writes came in; nothing of
// another output leaks in.
func TestPrepareSplit(t *testing.T) {
	in := t.TempDir()
	for rel, mode := range map[string]fs.FileMode{"index.html": 0o644, "posts/a/index.html": 0o644, "posts/b/index.html": 0o600, "img/x.jpg": 0o644, "bin/run": 0o700, ".git/config": 0o644, "drafts/.x": 0o644} {
		p := filepath.Join(in, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(rel), mode); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(in, "empty"), 0o700); err != nil {
		t.Fatal(err)
	}
	second := map[string]bool{"img/x.jpg": true, "posts/b/index.html": true, "drafts": true}
	route := func(rel string) (int, error) {
		if second[rel] {
			return 1, nil
		}
		return 0, nil
	}
	top := []string{filepath.Join(t.TempDir(), "srv/www"), filepath.Join(t.TempDir(), "srv/www")}
	if _, err := PrepareSplit(in, top, Options{Epoch: epoch, Route: route}); err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"index.html", "posts", "posts/a", "posts/a/index.html", "bin", "bin/run", "empty"},
		{"img", "img/x.jpg", "posts", "posts/b", "posts/b/index.html", "drafts"},
	}
	for i, paths := range want {
		var got []string
		filepath.WalkDir(top[i], func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				t.Fatal(err)
			}
			rel, _ := filepath.Rel(top[i], p)
			fi, _ := os.Lstat(p)
			wantTime, wantMode := ContentTime([]byte(rel)), fs.FileMode(0o644)
			switch {
			case fi.IsDir():
				wantTime, wantMode = epoch, 0o755
			case rel == "bin/run":
				wantMode = 0o755
			}
			if !fi.ModTime().Equal(wantTime) || fi.Mode().Perm() != wantMode {
				t.Errorf("%s: time %v mode %v, want %v %v", rel, fi.ModTime(), fi.Mode().Perm(), wantTime, wantMode)
			}
			if rel != "." {
				got = append(got, filepath.ToSlash(rel))
			}
			return nil
		})
		slices.Sort(got)
		slices.Sort(paths)
		if !slices.Equal(got, paths) {
			t.Errorf("output %d holds %q, want %q", i, got, paths)
		}
	}

	bad := func(string) (int, error) { return 2, nil }
	if _, err := PrepareSplit(in, top, Options{Epoch: epoch, Route: bad}); err == nil || !strings.Contains(err.Error(), "output 3 of 2") {
		t.Errorf("PrepareSplit with a route past the outputs: error = %v", err)
	}
	refuse := errors.New("not planned")
	if _, err := PrepareSplit(in, []string{t.TempDir()}, Options{Epoch: epoch, Route: func(string) (int, error) { return 0, refuse }}); !errors.Is(err, refuse) {
		t.Errorf("PrepareSplit with a failing route: error = %v, want %v", err, refuse)
	}
}

// The frontend plans the site's layers from a listing of the staged site
// (sitecheck's Served); the split step writes what Prepare serves. The two
// must name the same files and empty folders, or a file would go to a layer
// the plan does not have.
func TestServedListingMatchesPrepare(t *testing.T) {
	in := writeTree(t, map[string]string{
		"index.html": "home", "_headers": "/*\n", "Dockerfile": "spec", ".env": "x",
		".well-known/security.txt": "Contact: x", "blog/.hidden": "x", "blog/post/index.html": "post",
		"only-dots/.a": "x", "assets/css/site.css": "body{}", "assets/img/a.png": "png",
	})
	for _, d := range []string{"empty", "nested/empty"} {
		if err := os.MkdirAll(filepath.Join(in, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for link, target := range map[string]string{"latest.html": "blog/post/index.html", "static": "assets", "blog/up.css": "../assets/css/site.css", "dotlink": "only-dots"} {
		if err := os.Symlink(target, filepath.Join(in, link)); err != nil {
			t.Fatal(err)
		}
	}
	exclude := []string{"_headers", "Dockerfile"}
	tree := treeOf(t, in)
	var listed []string
	for _, e := range tree.Served(webroot.LeftOut(exclude)) {
		listed = append(listed, e.Path)
		if !e.Dir && e.Size == 0 {
			t.Errorf("Served %s with size 0", e.Path)
		}
	}
	var routed []string
	route := func(rel string) (int, error) { routed = append(routed, rel); return 0, nil }
	if _, err := PrepareSplit(in, []string{filepath.Join(t.TempDir(), "www")}, Options{Epoch: epoch, Exclude: exclude, Route: route}); err != nil {
		t.Fatal(err)
	}
	slices.Sort(listed)
	slices.Sort(routed)
	if !slices.Equal(listed, routed) {
		t.Errorf("Served listed %q\nPrepareSplit routed %q", listed, routed)
	}
	for _, want := range []string{"static/img/a.png", "latest.html", "empty", "nested/empty", "only-dots", "dotlink"} {
		if !slices.Contains(routed, want) {
			t.Errorf("PrepareSplit routed no %s: %q", want, routed)
		}
	}
}

// A link never publishes what the site keeps back: links to dotfiles, to
// the rule files, into dot-folders, through a chain of links, or to a
// left-out path through a link to its folder, are left out by Prepare and
// by Served alike; links to served files (and into /.well-known) stay.
func TestLinksToLeftOutEntries(t *testing.T) {
	in := writeTree(t, map[string]string{
		"index.html": "home", "_headers": "/*\n  X: y\n", "_redirects": "/a /b\n", ".env": "SECRET=1",
		".git/config": "[remote]", "specs/site.yaml": "spec", "specs/notes.html": "notes",
		".well-known/security.txt": "Contact: x", "blog/_headers": "a page of the blog",
	})
	links := map[string]string{
		"envlink": ".env", "hlink": "_headers", "sub-rules": "_redirects", "gitcfg": ".git/config", "git": ".git",
		"chain": "envlink", "blog/up": "../.env", "s": "specs", "spec.txt": "specs/site.yaml",
		"security.txt": ".well-known/security.txt", "blog-headers": "blog/_headers", "home.html": "index.html",
	}
	for link, target := range links {
		if err := os.Symlink(target, filepath.Join(in, filepath.FromSlash(link))); err != nil {
			t.Fatal(err)
		}
	}
	exclude := []string{"_headers", "_redirects", "specs/site.yaml"}
	out := filepath.Join(t.TempDir(), "www")
	var routed []string
	route := func(rel string) (int, error) { routed = append(routed, rel); return 0, nil }
	if _, err := PrepareSplit(in, []string{out}, Options{Epoch: epoch, Exclude: exclude, Route: route}); err != nil {
		t.Fatal(err)
	}
	for _, kept := range []string{"envlink", "hlink", "sub-rules", "gitcfg", "git", "chain", "blog/up", "s/site.yaml", "spec.txt", "specs/site.yaml"} {
		if _, err := os.Lstat(filepath.Join(out, filepath.FromSlash(kept))); err == nil {
			t.Errorf("Prepare wrote %s, which leads to a left-out entry", kept)
		}
	}
	for _, served := range []string{"security.txt", "blog-headers", "home.html", "s/notes.html", "specs/notes.html"} {
		if _, err := os.Lstat(filepath.Join(out, filepath.FromSlash(served))); err != nil {
			t.Errorf("Prepare did not write %s: %v", served, err)
		}
	}
	var listed []string
	for _, e := range treeOf(t, in).Served(webroot.LeftOut(exclude)) {
		listed = append(listed, e.Path)
	}
	slices.Sort(listed)
	slices.Sort(routed)
	if !slices.Equal(listed, routed) {
		t.Errorf("Served listed %q\nPrepareSplit routed %q", listed, routed)
	}
}

// treeOf lists the site at in as the frontend does.
func treeOf(t *testing.T, in string) *webroot.Tree {
	t.Helper()
	tree := webroot.NewTree()
	filepath.WalkDir(in, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(in, p)
		if rel == "." {
			return nil
		}
		fi, _ := os.Lstat(p)
		target, _ := os.Readlink(p)
		tree.Add(filepath.ToSlash(rel), fi.Mode(), target, fi.Size())
		return nil
	})
	return tree
}

// Each output of PrepareSplit is compressed as a tree of its own: its
// variants are the bytes Prepare writes for that output's files alone (a
// small output gets brotli 11 and gzip 9 though the whole site is big
// enough for 6 and 6).
func TestPrepareSplitCompressesEachOutputAlone(t *testing.T) {
	in := t.TempDir()
	files := map[string]int{"small/a.html": 40_000, "small/b.css": 30_000}
	for i := range 5 {
		files[fmt.Sprintf("big/p%d.html", i)] = 200_000 + i
	}
	for rel, n := range files {
		p := filepath.Join(in, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, htmlOfSize(n), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	route := func(rel string) (int, error) {
		if strings.HasPrefix(rel, "big") {
			return 1, nil
		}
		return 0, nil
	}
	top := []string{filepath.Join(t.TempDir(), "srv/www"), filepath.Join(t.TempDir(), "srv/www")}
	st, err := PrepareSplit(in, top, Options{Epoch: epoch, Route: route, Gzip: true, Brotli: true, Cache: NewVariantCache(t.TempDir())})
	if err != nil {
		t.Fatal(err)
	}
	if st.Gzip != 7 || st.Brotli != 7 || st.BrotliQuality != 6 {
		t.Errorf("stats = %+v, want 7 .gz, 7 .br, quality 6 at least", st)
	}
	for i, part := range []string{"small", "big"} {
		alone := t.TempDir()
		if err := os.CopyFS(filepath.Join(alone, part), os.DirFS(filepath.Join(in, part))); err != nil {
			t.Fatal(err)
		}
		want := filepath.Join(t.TempDir(), "srv/www")
		if _, err := Prepare(alone, want, Options{Epoch: epoch, Gzip: true, Brotli: true}); err != nil {
			t.Fatal(err)
		}
		for rel := range files {
			if !strings.HasPrefix(rel, part) {
				continue
			}
			for _, ext := range []string{".gz", ".br"} {
				got, err := os.ReadFile(filepath.Join(top[i], rel+ext))
				if err != nil {
					t.Fatal(err)
				}
				if w, _ := os.ReadFile(filepath.Join(want, rel+ext)); !bytes.Equal(got, w) {
					t.Errorf("%s%s: %d bytes, Prepare of its output alone writes %d", rel, ext, len(got), len(w))
				}
			}
		}
	}
}

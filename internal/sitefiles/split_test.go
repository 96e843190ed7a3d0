package sitefiles

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// Split puts each group in its own output: files keep their bytes, modes and
// content times; every folder is 0755 at the epoch, whatever order the
// writes came in; nothing of another group leaks in.
func TestSplit(t *testing.T) {
	in := t.TempDir()
	content := time.Unix(1_100_000_000, 0)
	for rel, mode := range map[string]fs.FileMode{"index.html": 0o644, "posts/a/index.html": 0o644, "posts/b/index.html": 0o644, "img/x.jpg": 0o644, "bin/run": 0o755} {
		p := filepath.Join(in, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(rel), mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, content, content); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(in, "empty"), 0o755); err != nil {
		t.Fatal(err)
	}
	epoch := time.Unix(1_700_000_000, 0)
	outs := []string{t.TempDir(), t.TempDir()}
	groups := [][]string{{"index.html", "posts/a/index.html", "bin/run", "empty"}, {"img/x.jpg", "posts/b/index.html"}}
	if err := Split(in, groups, outs, "srv/www", epoch, false); err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		outs[0]: {"srv", "srv/www", "srv/www/index.html", "srv/www/posts", "srv/www/posts/a", "srv/www/posts/a/index.html", "srv/www/bin", "srv/www/bin/run", "srv/www/empty"},
		outs[1]: {"srv", "srv/www", "srv/www/img", "srv/www/img/x.jpg", "srv/www/posts", "srv/www/posts/b", "srv/www/posts/b/index.html"},
	}
	for out, paths := range want {
		n := 0
		filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
			if p != out {
				n++
			}
			return err
		})
		if n != len(paths) {
			t.Errorf("%s holds %d entries, want %d", out, n, len(paths))
		}
		for _, rel := range paths {
			fi, err := os.Lstat(filepath.Join(out, rel))
			if err != nil {
				t.Errorf("%s: %v", rel, err)
				continue
			}
			wantTime, wantMode := content, fs.FileMode(0o644)
			if fi.IsDir() {
				wantTime, wantMode = epoch, 0o755
			} else if rel == "srv/www/bin/run" {
				wantMode = 0o755
			}
			if !fi.ModTime().Equal(wantTime) || fi.Mode().Perm() != wantMode {
				t.Errorf("%s: time %v mode %v, want %v %v", rel, fi.ModTime(), fi.Mode().Perm(), wantTime, wantMode)
			}
		}
	}
	if err := Split(in, groups, outs[:1], "srv/www", epoch, false); err == nil {
		t.Errorf("Split with fewer outputs than groups succeeded")
	}
}

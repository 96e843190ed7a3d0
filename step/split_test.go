package step

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// `layercake split` writes each --group's files below --dir of its --out,
// pins the folders above the site, and refuses mismatched flags.
func TestSplitCommand(t *testing.T) {
	in := t.TempDir()
	for name, data := range map[string]string{"index.html": "<p>hi</p>", "img/a.png": "png", "Dockerfile": "spec"} {
		p := filepath.Join(in, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	outs := []string{t.TempDir(), t.TempDir()}
	args := []string{"--epoch", "1700000000", "--in", in, "--dir", "srv/www", "--exclude", "Dockerfile",
		"--group", "text/0/1", "--out", outs[0], "--group", "media/0/1", "--out", outs[1]}
	if code := splitMain(args); code != 0 {
		t.Fatalf("split exited %d", code)
	}
	for _, p := range []string{filepath.Join(outs[0], "srv/www/index.html"), filepath.Join(outs[1], "srv/www/img/a.png")} {
		if _, err := os.Stat(p); err != nil {
			t.Error(err)
		}
	}
	for _, p := range []string{filepath.Join(outs[0], "srv/www/img"), filepath.Join(outs[1], "srv/www/index.html"), filepath.Join(outs[0], "srv/www/Dockerfile")} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s was written", p)
		}
	}
	if fi, err := os.Stat(filepath.Join(outs[1], "srv")); err != nil || !fi.ModTime().Equal(time.Unix(1700000000, 0)) || fi.Mode().Perm() != 0o755 {
		t.Errorf("srv above the site: %v, %v; want 0755 at the epoch", fi, err)
	}
	for _, bad := range [][]string{
		{"--in", in, "--dir", "srv/www", "--group", "text/0/1"},
		{"--in", in, "--dir", "srv/www", "--group", "text/2/1", "--out", t.TempDir()},
	} {
		if code := splitMain(bad); code != 2 {
			t.Errorf("split %q exited %d, want 2", bad, code)
		}
	}
	if code := splitMain([]string{"--in", in, "--dir", "srv/www", "--group", "text/0/1", "--out", t.TempDir()}); code != 1 {
		t.Errorf("split with a media file and no media group exited %d, want 1", code)
	}
}

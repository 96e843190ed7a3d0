package sitecheck

import (
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
)

func TestCheck(t *testing.T) {
	root := t.TempDir()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(root, "posts/2024"), 0o755))
	must(os.WriteFile(filepath.Join(root, "posts/2024/a.html"), nil, 0o644))
	must(os.Symlink("posts/2024/a.html", filepath.Join(root, "latest.html")))    // inside: fine
	must(os.Symlink("../2024/a.html", filepath.Join(root, "posts/2024/b.html"))) // inside: fine
	must(os.Symlink("/etc/passwd", filepath.Join(root, "passwd")))               // absolute
	must(os.Symlink("../../Dockerfile", filepath.Join(root, "posts/spec")))      // escapes
	must(syscall.Mkfifo(filepath.Join(root, "pipe"), 0o644))                     // not a file
	got, err := Check(root)
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, p := range got {
		paths = append(paths, p.Path)
	}
	if want := []string{"passwd", "pipe", "posts/spec"}; !slices.Equal(paths, want) {
		t.Errorf("Check() problems = %v, want %v", got, want)
	}
}

func TestEscapes(t *testing.T) {
	for _, tc := range []struct {
		rel, target string
		want        bool
	}{
		{"a", "b", false},
		{"a/b", "../c", false},
		{"a/b", "../../c", true},
		{"a", "..", true},
		{"a", "/srv/www/x", true},
		{"a/b/c", "./../../d", false},
	} {
		if got := escapes(tc.rel, tc.target); got != tc.want {
			t.Errorf("escapes(%q, %q) = %v, want %v", tc.rel, tc.target, got, tc.want)
		}
	}
}

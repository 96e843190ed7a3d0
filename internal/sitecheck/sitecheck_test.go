package sitecheck

import (
	"io/fs"
	"strings"
	"testing"
)

func TestInspect(t *testing.T) {
	for _, tc := range []struct {
		rel    string
		mode   fs.FileMode
		target string
		want   string // substring; "" means fine
	}{
		{"index.html", 0o644, "", ""},
		{"posts", fs.ModeDir | 0o755, "", ""},
		{"latest.html", fs.ModeSymlink | 0o777, "posts/2024/a.html", ""},      // inside the site
		{"posts/2024/b.html", fs.ModeSymlink | 0o777, "../2024/a.html", ""},   // inside, through ..
		{"passwd", fs.ModeSymlink | 0o777, "/etc/passwd", "outside the site"}, // absolute
		{"posts/spec", fs.ModeSymlink | 0o777, "../../Dockerfile", "outside"}, // escapes upwards
		{"pipe", fs.ModeNamedPipe | 0o644, "", "not a file or folder"},
		{"dev", fs.ModeDevice | 0o644, "", "not a file or folder"},
	} {
		got := Inspect(tc.rel, tc.mode, tc.target)
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("Inspect(%q, %v, %q) = %q, want %q", tc.rel, tc.mode, tc.target, got, tc.want)
		}
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

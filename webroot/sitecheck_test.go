package webroot

import (
	"fmt"
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
		{"fifo", fs.ModeNamedPipe | 0o644, "", "is a named pipe,"},
		{"sock", fs.ModeSocket | 0o755, "", "is a socket,"},
		{"tty", fs.ModeDevice | fs.ModeCharDevice | 0o600, "", "is a character device,"},
		{"disk", fs.ModeDevice | 0o600, "", "is a block device,"},
		{"odd", fs.ModeIrregular, "", "is an irregular file,"},
	} {
		got := Inspect(tc.rel, tc.mode, tc.target)
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("Inspect(%q, %v, %q) = %q, want %q", tc.rel, tc.mode, tc.target, got, tc.want)
		}
	}
}

// A type is named in words, never as a mode string such as "p---------".
func TestInspectNamesTypes(t *testing.T) {
	for _, m := range []fs.FileMode{fs.ModeNamedPipe, fs.ModeSocket, fs.ModeDevice, fs.ModeDevice | fs.ModeCharDevice, fs.ModeIrregular} {
		if got := Inspect("x", m|0o644, ""); strings.Contains(got, "---") {
			t.Errorf("Inspect(%v) = %q, want the type in words", m, got)
		}
	}
}

// Check lists the first MaxProblems entries and counts them all.
func TestReport(t *testing.T) {
	var r Report
	for i := range MaxProblems + 7 {
		r.Add(Problem{Path: fmt.Sprintf("p%d", i), Msg: "bad"})
	}
	if r.Total != MaxProblems+7 || len(r.Problems) != MaxProblems {
		t.Errorf("Report = %d listed of %d, want %d of %d", len(r.Problems), r.Total, MaxProblems, MaxProblems+7)
	}
	if got := r.Error(); !strings.HasPrefix(got, fmt.Sprintf("the site holds %d entries that must not be served (the first %d are listed):\n  p0: bad\n", MaxProblems+7, MaxProblems)) {
		t.Errorf("Error() = %.200q", got)
	}
	var one Report
	one.Add(Problem{Path: "a", Msg: "bad"})
	if got := one.Error(); got != "the site holds 1 entry that must not be served:\n  a: bad" {
		t.Errorf("Error() = %q", got)
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

package webroot

import (
	"io/fs"
	"strings"
	"testing"
)

func TestLinkProblem(t *testing.T) {
	tree := func(links map[string]string) *Tree {
		tr := NewTree()
		for _, d := range []string{"sub", "posts"} {
			tr.Add(d, fs.ModeDir|0o755, "", 0)
		}
		for _, f := range []string{"index.html", "posts/a.html", "sub/b.html"} {
			tr.Add(f, 0o644, "", 10)
		}
		for l, target := range links {
			tr.Add(l, fs.ModeSymlink|0o777, target, 0)
		}
		return tr
	}
	for _, tt := range []struct {
		name  string
		links map[string]string
		check string
		want  string // substring; "" means fine
	}{
		{"file inside", map[string]string{"latest.html": "posts/a.html"}, "latest.html", ""},
		{"through ..", map[string]string{"sub/x.html": "../posts/a.html"}, "sub/x.html", ""},
		{"folder inside", map[string]string{"blog": "posts"}, "blog", ""},
		{"chain inside", map[string]string{"a": "b", "b": "posts/a.html"}, "a", ""},
		{"absolute", map[string]string{"passwd": "/etc/passwd"}, "passwd", "outside the site"},
		{"upwards", map[string]string{"sub/up2": "../../x"}, "sub/up2", "outside the site"},
		// each link alone looks inside; together they leave the site
		{"chain escapes", map[string]string{"sub/up": "..", "sub/esc": "up/../../etc/passwd"}, "sub/esc", "outside the site"},
		{"link to a parent", map[string]string{"sub/up": ".."}, "sub/up", "a folder that contains it"},
		{"loop", map[string]string{"a": "b", "b": "a"}, "a", "more than 40 links"},
		{"dangling", map[string]string{"gone.html": "nowhere.html"}, "gone.html", "not in the site"},
		{"through an absolute link", map[string]string{"etc": "/etc", "pw": "etc/passwd"}, "pw", "outside the site"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := tree(tt.links).LinkProblem(tt.check)
			if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
				t.Errorf("LinkProblem(%q) with %v = %q, want %q", tt.check, tt.links, got, tt.want)
			}
		})
	}
}

package integration

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRedirectsErrorsPointAtLines: a bad _redirects fails the build with
// every problem at _redirects:LINE:COL, and buildx shows the lines.
func TestRedirectsErrorsPointAtLines(t *testing.T) {
	t.Parallel()
	e := need(t)
	dir := e.siteDir(t, 8080)
	write(t, dir, "public/_redirects", "# moved\n/old /new 301\n/shop/* https://shop.example/:splat 200\n/a /b 302 Country=us\n")
	write(t, dir, "public/_headers", "/*\n  ! X-Powered-By\n")
	out, err := e.tryBuild(t, build{dir: dir})
	if err == nil {
		t.Fatalf("a build with a bad _redirects succeeded:\n%s", tail(out, 20))
	}
	for _, want := range []string{
		"public/_redirects:3:37: 200 with an absolute URL would proxy to another host",
		"public/_redirects:4:11: \"Country=us\": conditions",
		"public/_headers:2:3: removing a header with \"!\" is not supported",
		">>> /shop/* https://shop.example/:splat 200", // buildx's source snippet
		">>> /a /b 302 Country=us",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, tail(out, 40))
		}
	}
}

// TestSnippetErrorNamesContextPath: nginx -t's error in a server.include
// snippet names the snippet's path in the context and its line.
func TestSnippetErrorNamesContextPath(t *testing.T) {
	t.Parallel()
	e := need(t)
	dir := e.siteDir(t, 8080)
	spec, err := os.ReadFile(filepath.Join(dir, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	write(t, dir, "Dockerfile", strings.Replace(string(spec), "site:\n", "  include:\n    server: [nginx/extra.conf]\nsite:\n", 1))
	write(t, dir, "nginx/extra.conf", "# extra\nlocation = /x {\n    add_heder X-A b;\n}\n")
	out, err := e.tryBuild(t, build{dir: dir})
	if err == nil {
		t.Fatalf("a build with a bad snippet succeeded:\n%s", tail(out, 20))
	}
	for _, want := range []string{
		`nginx/extra.conf:3: unknown directive "add_heder"`,
		"3 | >>>     add_heder X-A b;", // buildx shows the snippet's line
		"does not pass nginx -t",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, tail(out, 40))
		}
	}
	if strings.Contains(out, "/etc/layercake/context") {
		t.Errorf("output names the snippet's path in the image:\n%s", tail(out, 40))
	}
}

// TestLinkChainOutOfSiteFails: each link alone stays inside the site, but
// followed together they reach /etc/passwd.
func TestLinkChainOutOfSiteFails(t *testing.T) {
	t.Parallel()
	e := need(t)
	dir := e.siteDir(t, 8080)
	sub := filepath.Join(dir, "public", "sub")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("..", filepath.Join(sub, "up")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("up/../../etc/passwd", filepath.Join(sub, "esc")); err != nil {
		t.Fatal(err)
	}
	out, err := e.tryBuild(t, build{dir: dir})
	if err == nil {
		t.Fatalf("a site with a link chain to /etc/passwd built:\n%s", tail(out, 20))
	}
	if !strings.Contains(out, "sub/esc: is a symbolic link to up/../../etc/passwd, outside the site") {
		t.Errorf("output does not name the escaping link:\n%s", tail(out, 30))
	}
}
